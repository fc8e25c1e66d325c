// SIGKILL in the middle of a load of accepts: every changeset token a client received has its acceptance on disk after
// restart.
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startService } from '../support/server-app.js'
import { checkout, tokenFor, writeRules, standardRules, decodeJwt, SECRET } from '../support/server-world.js'
import { nodeTs } from '../support/node-ts.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

t.test('no token is ever returned before its acceptance is durable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-crash-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const rulesDir = join(dir, 'rules')
  const databasePath = join(dir, 'encore.db')
  writeRules(rulesDir, standardRules())

  const child = spawn(process.execPath, nodeTs('server/server.ts'), {
    cwd: ROOT,
    env: {
      ...process.env,
      SHOPIFY_API_SECRET: SECRET,
      DATABASE_PATH: databasePath,
      RULES_DIR: rulesDir,
      PORT: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m?.[1]) resolve(m[1])
    })
    child.on('exit', () => reject(new Error(`server exited early: ${out}`)))
  })

  type Received = { checkoutToken: string; offerId: string; token: string }
  const received: Received[] = []
  let killed = false
  const call = async (path: string, token: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const client = async () => {
    while (!killed) {
      try {
        const checkoutToken = tokenFor(checkout())
        const offer = await call('/api/offer', checkoutToken, {})
        const signed = await call('/api/sign-changeset', checkoutToken, { offerId: offer.body.offer.id })
        if (signed.status === 200)
          received.push({ checkoutToken, offerId: offer.body.offer.id, token: signed.body.token })
      } catch {
        // The server died mid-request: that client simply never received a token.
      }
    }
  }
  const clients = Array.from({ length: 8 }, () => client())
  // Bounded: if signing breaks, fail here with a count rather than wait for tap's timeout.
  for (let i = 0; i < 3000 && received.length < 150; i++) await new Promise((r) => setTimeout(r, 10))
  child.kill('SIGKILL')
  killed = true
  t.equal(await exited, 'SIGKILL')
  await Promise.all(clients)
  t.ok(received.length >= 150, `${received.length} tokens received before the kill`)

  const svc = await startService(t, { rulesDir, databasePath, apiSecret: SECRET })
  let onDisk = 0
  let same = 0
  for (const r of received) {
    const row = await svc.app.storage.acceptance(r.offerId)
    if (row && row.jti === decodeJwt(r.token).payload.jti && row.token === r.token) onDisk++
    const again = await svc.app.inject({
      method: 'POST',
      url: '/api/sign-changeset',
      headers: { authorization: `Bearer ${r.checkoutToken}`, 'content-type': 'application/json' },
      payload: { offerId: r.offerId }
    })
    if (again.statusCode === 200 && again.json().token === r.token) same++
  }
  t.equal(onDisk, received.length, 'every received token has its acceptance on disk')
  t.equal(same, received.length, 'asking again after the restart returns the very same token')
})
