// Storage: migrations from migrations/ apply to a fresh file, WAL checkpoints run off the main thread, writes batch per
// turn.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../../server/db/open-database.js'
import { Store } from '../../server/db/store.js'
import { Checkpointer, type CheckpointResult } from '../../server/db/checkpointer.js'
import { createVerifier } from 'fast-jwt'
import { SECRET } from '../support/server-world.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const decision = (i: number) => ({
  id: `dc_${i}`,
  referenceId: `ref-${i}`,
  shopDomain: 's.myshopify.com',
  customerId: null,
  ruleId: null,
  arm: null,
  holdout: false,
  skipped: null,
  rulesetHash: 'h',
  facts: JSON.stringify({ pad: 'x'.repeat(2000) }),
  evaluatedAt: new Date().toISOString(),
  offer: null,
  signableUntil: null,
  afterOfferId: null,
  afterOutcome: null,
  answer: null,
  createdAt: Date.now()
})

t.test('a fresh file is migrated in WAL mode and the checkpointer keeps the WAL in check', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-storage-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'e.db')
  const handle = openDatabase(path)
  t.equal(handle.sqlite.pragma('journal_mode', { simple: true }), 'wal')
  const tables = (
    handle.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
  ).map((r) => r.name)
  for (const name of ['rulesets', 'decisions', 'acceptances', 'events']) t.ok(tables.includes(name), `${name} exists`)

  const results: CheckpointResult[] = []
  const checkpointer = new Checkpointer(handle.sqlite, path, 50, (r) => results.push(r))
  t.equal(handle.sqlite.pragma('wal_autocheckpoint', { simple: true }), 0, 'the main connection no longer checkpoints')
  const store = new Store(handle)
  // Writes of one turn share a transaction; each caller resumes after the COMMIT.
  await Promise.all(Array.from({ length: 500 }, (_, i) => store.saveDecision(decision(i))))
  t.equal(store.decisionsFor('ref-499').length, 1)
  for (let i = 0; i < 200 && !results.some((r) => r.checkpointed === r.log && r.log > 0); i++)
    await new Promise((r) => setTimeout(r, 25))
  t.ok(
    results.some((r) => r.checkpointed === r.log && r.log > 0),
    'the worker checkpointed the whole WAL'
  )
  await checkpointer.stop()
  store.close()
})

t.test('mint-token prints a checkout token for a fixture, signed with the configured secret', async (t) => {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/mint-token.ts', 'boots-us', '--reference-id', 'r-custom'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, SHOPIFY_API_SECRET: SECRET }
    }
  )
  t.equal(res.status, 0, res.stderr)
  const claims = createVerifier({ key: SECRET, algorithms: ['HS256'] })(res.stdout.trim())
  t.match(claims, { iss: 'shopify', sub: 'r-custom', input_data: { initialPurchase: { referenceId: 'r-custom' } } })
  t.type(claims.iat, 'number')
  const missing = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/mint-token.ts', 'no-such-fixture'], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  t.equal(missing.status, 2)
  t.match(missing.stderr, /no fixture no-such-fixture/)
})
