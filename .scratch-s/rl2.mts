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
let stop = false, ok = 0
const client = async (n: number) => { for (let i = n; !stop; i++) { const res = await fetch(`${svc.url}/api/offer`, { method: 'POST', headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'content-type': 'application/json' }, body: '{}' }); await res.json(); ok++ } }
const t0 = performance.now()
const clients = Array.from({ length: 6 }, (_, n) => client(n))
await new Promise((r) => setTimeout(r, 1000))
console.log('req/s', ok / ((performance.now() - t0) / 1000))
for (let i = 0; i < 5; i++) { const a = performance.now(); await svc.app.rules.reload(); console.log('reload ms', performance.now() - a) }
stop = true; await Promise.all(clients); await svc.close()
