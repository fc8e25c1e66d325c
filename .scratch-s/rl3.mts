import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startService } from '../test/support/server-app.js'
import { checkout, tokenFor, writeRules, standardRules, SECRET } from '../test/support/server-world.js'
const dir = mkdtempSync(join(tmpdir(), 'encore-reload-'))
const rulesDir = join(dir, 'rules')
writeRules(rulesDir, standardRules())
const svc = await startService({ rulesDir, databasePath: join(dir, 'encore.db'), apiSecret: SECRET })
const tokens = Array.from({ length: 50 }, () => tokenFor(checkout()))
let t0 = performance.now()
for (let i = 0; i < 200; i++) await svc.app.inject({ method: 'POST', url: '/api/offer', headers: { authorization: `Bearer ${tokens[i % 50]}`, 'content-type': 'application/json' }, payload: '{}' })
console.log('inject ms/req', (performance.now() - t0) / 200)
t0 = performance.now()
for (let i = 0; i < 200; i++) await svc.app.inject({ method: 'GET', url: '/health' })
console.log('health inject ms/req', (performance.now() - t0) / 200)
t0 = performance.now()
for (let i = 0; i < 50; i++) { const r = await fetch(`${svc.url}/health`); await r.text() }
console.log('health fetch ms/req', (performance.now() - t0) / 50)
await svc.close()
