// Reloading the rules again and again while requests run never fails a request.
import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startService } from '../support/server-app.js'
import {
  checkout,
  tokenFor,
  writeRules,
  standardRules,
  matchAllRules,
  SECRET,
  ADMIN_TOKEN
} from '../support/server-world.js'

t.test('24 reloads under 4 concurrent clients: zero failed requests', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-reload-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const rulesDir = join(dir, 'rules')
  writeRules(rulesDir, standardRules())
  const svc = await startService(t, {
    rulesDir,
    databasePath: join(dir, 'encore.db'),
    apiSecret: SECRET,
    adminToken: ADMIN_TOKEN
  })

  const tokens = Array.from({ length: 50 }, () => tokenFor(checkout()))
  let stop = false
  let ok = 0
  const failures: string[] = []
  const client = async (n: number) => {
    for (let i = n; !stop; i++) {
      try {
        const res = await fetch(`${svc.url}/api/offer`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'content-type': 'application/json' },
          body: '{}'
        })
        const body = (await res.json()) as { render?: unknown }
        if (res.status !== 200 || typeof body.render !== 'boolean')
          failures.push(`${res.status} ${JSON.stringify(body)}`)
        else ok++
        // Leave the event loop some air: the reloads' file reads share it with these clients.
        if (i % 4 === 0) await new Promise((r) => setTimeout(r, 1))
      } catch (err) {
        failures.push(String(err))
      }
    }
  }
  const clients = Array.from({ length: 4 }, (_, n) => client(n))

  const hashes = new Set([svc.app.rules.current().hash])
  let invalid = 0
  for (let i = 0; i < 24; i++) {
    // Alternate two valid rulesets and a broken file; reload through both the endpoint and the store.
    if (i % 3 === 2) writeFileSync(join(rulesDir, 'offers', 'broken.json'), '{ "id": ')
    else writeRules(rulesDir, i % 2 === 0 ? standardRules() : [...standardRules(), ...matchAllRules(20)])
    const outcome =
      i % 2 === 0
        ? await svc.app.rules.reload()
        : ((await (
            await fetch(`${svc.url}/admin/rules/reload`, {
              method: 'POST',
              headers: { authorization: `Bearer ${ADMIN_TOKEN}` }
            })
          ).json()) as { ok?: boolean; hash?: string })
    if (outcome.ok === true && outcome.hash) hashes.add(outcome.hash)
    else invalid++
    await new Promise((r) => setImmediate(r))
  }
  stop = true
  await Promise.all(clients)

  t.same(failures, [], 'no request failed')
  t.ok(ok > 24, `requests ran during the reloads (${ok})`)
  t.ok(invalid > 0, 'some reloads were refused')
  const stored = svc.app.database.sqlite.prepare('SELECT DISTINCT ruleset_hash AS h FROM decisions').all() as {
    h: string
  }[]
  for (const { h } of stored) t.ok(hashes.has(h), 'every decision names a ruleset that was served')
  const kept = svc.app.database.sqlite.prepare('SELECT hash FROM rulesets').all() as { hash: string }[]
  t.ok(kept.length >= 2, 'every served ruleset is stored by hash')
})
