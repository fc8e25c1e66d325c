// Storage: migrations apply to a fresh file, checkpoints run off the main thread, writes batch per turn, the atomic
// operations hold, retention prunes.
import t, { type Test } from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/open-database.js'
import { SqliteStorage } from '../../server/db/sqlite-storage.js'
import { startRetention } from '../../server/db/retention.js'
import { Checkpointer, type CheckpointResult } from '../../server/db/checkpointer.js'

const checkoutOf = (i: number, createdAt = Date.now()) => ({
  referenceId: `ref-${i}`,
  shopDomain: 's.myshopify.com',
  customerId: null,
  currency: 'USD',
  facts: JSON.stringify({ pad: 'x'.repeat(2000) }),
  createdAt
})

const decision = (i: number, step = 's:', createdAt = Date.now()) => ({
  id: `dc_${i}_${step}`,
  referenceId: `ref-${i}`,
  shopDomain: 's.myshopify.com',
  customerId: null,
  step,
  ruleId: null,
  arm: null,
  holdout: false,
  skipped: null,
  rulesetHash: 'h',
  context: JSON.stringify({ only: ['r'] }),
  offer: null,
  signableUntil: null,
  afterOfferId: null,
  afterOutcome: null,
  answer: null,
  createdAt
})

function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'encore-storage-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'e.db')
}

t.test('a fresh file is migrated in WAL mode and the checkpointer keeps the WAL in check', async (t) => {
  const path = scratch(t)
  const handle = openDatabase(path)
  t.equal(handle.sqlite.pragma('journal_mode', { simple: true }), 'wal')
  const tables = (
    handle.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
  ).map((r) => r.name)
  for (const name of ['rulesets', 'checkouts', 'decisions', 'acceptances', 'events'])
    t.ok(tables.includes(name), `${name} exists`)

  const results: CheckpointResult[] = []
  const checkpointer = new Checkpointer(handle.sqlite, path, 50, (r) => results.push(r))
  t.equal(
    handle.sqlite.pragma('wal_autocheckpoint', { simple: true }),
    2000,
    'the main connection checkpoints only past 2,000 frames'
  )
  const storage = new SqliteStorage(handle)
  // Writes of one turn share a transaction; each caller resumes after the COMMIT.
  await Promise.all(Array.from({ length: 500 }, (_, i) => storage.decideOnce(checkoutOf(i), decision(i))))
  t.equal((await storage.decisionsFor('ref-499')).length, 1)
  for (let i = 0; i < 200 && !results.some((r) => r.checkpointed === r.log && r.log > 0); i++)
    await new Promise((r) => setTimeout(r, 25))
  t.ok(
    results.some((r) => r.checkpointed === r.log && r.log > 0),
    'the worker checkpointed the whole WAL'
  )
  await checkpointer.stop()
  await storage.close()
})

// decideOnce, acceptOnce and pruneFacts on both databases: storage-contract.test.ts.

t.test('retention forgets old checkout facts in batches and keeps the rows reports count', async (t) => {
  const storage = new SqliteStorage(openDatabase(scratch(t)))
  t.teardown(() => storage.close())
  const old = Date.now() - 100 * 24 * 3600 * 1000
  for (let i = 0; i < 25; i++) await storage.decideOnce(checkoutOf(i, old), decision(i, 's:', old))
  await storage.decideOnce(checkoutOf(99), decision(99))
  const retention = startRetention(storage, { days: 90, batch: 10, intervalMs: 3_600_000 })
  t.equal(await retention.sweep(), 25, 'every old checkout, in batches of 10')
  await retention.stop()
  const [pruned] = await storage.explainableDecisions('ref-3')
  t.equal(pruned?.inputData, null)
  t.equal(pruned?.context, null)
  t.equal((await storage.decisionsFor('ref-3')).length, 1, 'the decision row stays')
  const [kept] = await storage.explainableDecisions('ref-99')
  t.equal(kept?.inputData, checkoutOf(99).facts, 'recent facts stay')
  t.equal(await storage.pruneFacts(Date.now() - 90 * 24 * 3600 * 1000, 10), 0, 'nothing is left to prune')
})
