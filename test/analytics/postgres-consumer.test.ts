// The analytics consumer on PostgreSQL: the same random traffic gives the same reports as on SQLite while two
// instances catch up at once; a row committed after a later one is still counted; a backlog larger than a batch keeps
// its acceptances (on both databases).
import t, { type Test } from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type pg from 'pg'
import { openDatabase } from '../../server/db/open-database.js'
import { openPostgres } from '../../server/db/open-postgres.js'
import { AnalyticsConsumer } from '../../server/analytics/consumer.js'
import { StatsReader } from '../../server/analytics/report.js'
import { PostgresConsumer } from '../../server/analytics/postgres-consumer.js'
import { postgresReport } from '../../server/analytics/postgres-report.js'
import { postgresUnavailable } from '../../scripts/lib/postgres-cluster.js'
import { sharedCluster } from '../support/databases.js'
import type { Range } from '../../server/analytics/time-range.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const START = Date.UTC(2026, 10, 1)
const skip = postgresUnavailable()

type Row =
  | {
      kind: 'decision'
      id: string
      ref: string
      shop: string
      customer: string | null
      rule: string
      arm: string | null
      holdout: boolean
      offer: boolean
      after: string | null
      outcome: string | null
      currency: string
      at: number
    }
  | { kind: 'acceptance'; offer: string; ref: string; shop: string; rule: string; at: number }
  | {
      kind: 'event'
      offer: string
      ref: string
      shop: string
      rule: string
      type: string
      amount: string | null
      at: number
    }

/** Both databases, fresh and migrated: the SQLite file and a PostgreSQL database of the shared test cluster. */
async function twoDatabases(t: Test, name: string): Promise<{ sqlite: Database.Database; pool: pg.Pool; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'encore-pg-consumer-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { sqlite } = openDatabase(join(dir, 'encore.db'))
  t.teardown(() => sqlite.close())
  const url = (await sharedCluster()).createDatabase(`${name}_${process.pid}`)
  const { pool } = await openPostgres({ url, poolMax: 4 })
  t.teardown(() => pool.end())
  return { sqlite, pool, url }
}

function writeSqlite(sqlite: Database.Database, rows: Row[]): void {
  const insC = sqlite.prepare(`INSERT INTO checkouts (reference_id, shop_domain, customer_id, currency, created_at)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
  const insD = sqlite.prepare(`INSERT INTO decisions (id, reference_id, shop_domain, customer_id, step, rule_id, arm,
    holdout, ruleset_hash, offer, after_offer_id, after_outcome, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'h', ?, ?, ?, ?)`)
  const insA = sqlite.prepare(`INSERT INTO acceptances (offer_id, reference_id, shop_domain, rule_id, variant_id,
    quantity, changes, jti, token, created_at) VALUES (?, ?, ?, ?, 1, 1, '[]', '', '', ?)`)
  const insE = sqlite.prepare(`INSERT INTO events (offer_id, reference_id, shop_domain, rule_id, type, amount,
    created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
  sqlite.transaction(() => {
    for (const r of rows) {
      if (r.kind === 'decision') {
        insC.run(r.ref, r.shop, r.customer, r.currency, r.at)
        insD.run(
          r.id,
          r.ref,
          r.shop,
          r.customer,
          r.after === null ? 's:' : `a:${r.after}`,
          r.rule,
          r.arm,
          r.holdout ? 1 : 0,
          r.offer ? '{}' : null,
          r.after,
          r.outcome,
          r.at
        )
      } else if (r.kind === 'acceptance') insA.run(r.offer, r.ref, r.shop, r.rule, r.at)
      else insE.run(r.offer, r.ref, r.shop, r.rule, r.type, r.amount, r.at)
    }
  })()
}

/** Each row in its own transaction, as the service writes them. */
async function writePostgres(db: pg.Pool | pg.PoolClient, rows: Row[]): Promise<void> {
  for (const r of rows) {
    if (r.kind === 'decision') {
      await db.query(
        `WITH c AS (INSERT INTO checkouts (reference_id, shop_domain, customer_id, currency, created_at)
           VALUES ($2, $3, $4, $10, $11) ON CONFLICT DO NOTHING)
         INSERT INTO decisions (id, reference_id, shop_domain, customer_id, step, rule_id, arm, holdout, ruleset_hash,
           offer, after_offer_id, after_outcome, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'h', $9, $12, $13, $11)`,
        [
          r.id,
          r.ref,
          r.shop,
          r.customer,
          r.after === null ? 's:' : `a:${r.after}`,
          r.rule,
          r.arm,
          r.holdout,
          r.offer ? '{}' : null,
          r.currency,
          r.at,
          r.after,
          r.outcome
        ]
      )
    } else if (r.kind === 'acceptance') {
      await db.query(
        `INSERT INTO acceptances (offer_id, reference_id, shop_domain, rule_id, variant_id, quantity, changes, jti,
           token, created_at) VALUES ($1, $2, $3, $4, 1, 1, '[]', '', '', $5)`,
        [r.offer, r.ref, r.shop, r.rule, r.at]
      )
    } else {
      await db.query(
        `INSERT INTO events (offer_id, reference_id, shop_domain, rule_id, type, amount, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [r.offer, r.ref, r.shop, r.rule, r.type, r.amount, r.at]
      )
    }
  }
}

/** Random checkouts (some asking twice), then views, declines, acceptances and applied amounts for earlier offers. */
function traffic(seed: number) {
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x80000000
  }
  const offers: Extract<Row, { kind: 'event' }>[] = []
  const accepted = new Set<string>()
  let n = 0
  return (count: number): Row[] => {
    const out: Row[] = []
    for (let i = 0; i < count; i++, n++) {
      const shop = rnd() < 0.5 ? 'a.myshopify.com' : 'b.myshopify.com'
      const rule = `r${Math.floor(rnd() * 3)}`
      const holdout = rule === 'r0' && rnd() < 0.4
      const arm = rule === 'r0' ? (holdout ? 'none' : 'show') : null
      const ref = `ref-${n}`
      const at = START + Math.floor(rnd() * 4 * 96) * 15 * 60_000
      const currency = rnd() < 0.8 ? 'USD' : 'EUR'
      const customer = rnd() < 0.7 ? `c${Math.floor(rnd() * 20)}` : null
      const offer = !holdout && rnd() < 0.8
      const base = { ref, shop, customer, rule, arm, currency }
      out.push({ kind: 'decision', id: `d-${n}`, ...base, holdout, offer, after: null, outcome: null, at })
      if (offer) offers.push({ kind: 'event', offer: `d-${n}`, ref, shop, rule, type: '', amount: null, at })
      if (offer && rnd() < 0.2) {
        const outcome = rnd() < 0.5 ? 'declined' : 'accepted'
        out.push({
          kind: 'decision',
          id: `d-${n}-b`,
          ...base,
          holdout: false,
          offer: true,
          after: `d-${n}`,
          outcome,
          at: at + 1000
        })
        offers.push({ kind: 'event', offer: `d-${n}-b`, ref, shop, rule, type: '', amount: null, at })
      }
    }
    for (let i = 0; i < count && offers.length > 0; i++) {
      const o = offers[Math.floor(rnd() * offers.length)]!
      const r = rnd()
      const at = START + 5 * DAY
      if (r < 0.4) out.push({ ...o, type: 'viewed', at })
      else if (r < 0.6) out.push({ ...o, type: 'declined', at })
      else if (r < 0.8 && !accepted.has(o.offer)) {
        accepted.add(o.offer)
        out.push({ kind: 'acceptance', offer: o.offer, ref: o.ref, shop: o.shop, rule: o.rule, at })
        out.push({ ...o, type: 'applied', amount: (rnd() * 50).toFixed(2), at })
      } else out.push({ ...o, type: 'applied', amount: (rnd() * 50).toFixed(2), at })
    }
    return out
  }
}

t.test(
  'random traffic: the same reports on PostgreSQL as on SQLite, with two instances catching up at once',
  { skip: skip ?? false },
  async (t) => {
    const { sqlite, pool, url } = await twoDatabases(t, 'parity')
    // A second instance: its own pool on the same database.
    const { pool: other } = await openPostgres({ url, poolMax: 4 })
    t.teardown(() => other.end())
    const sqliteConsumer = new AnalyticsConsumer(sqlite, 7)
    const a = new PostgresConsumer(pool, 7)
    const b = new PostgresConsumer(other, 7)
    const next = traffic(11)
    for (let round = 0; round < 6; round++) {
      const rows = next(40)
      writeSqlite(sqlite, rows)
      // Half of the rows land while both instances are catching up.
      const half = Math.floor(rows.length / 2)
      await writePostgres(pool, rows.slice(0, half))
      await Promise.all([a.catchUp(true), b.catchUp(false), writePostgres(other, rows.slice(half)), b.catchUp(true)])
      sqliteConsumer.catchUp()
    }
    await Promise.all([a.catchUp(true), b.catchUp(true)])
    const reader = new StatsReader(sqlite)
    const now = START + 40 * DAY
    const windows: Range[] = [
      { from: START, to: START + 4 * DAY, bucket: 'day' },
      { from: START + 7 * 60_000, to: START + 3 * DAY + 5 * HOUR + 20 * 60_000, bucket: 'day' },
      { from: START + 90 * 60_000, to: START + DAY + 15 * 60_000, bucket: 'hour' },
      { from: START - DAY, to: START + 10 * DAY, bucket: 'day' }
    ]
    let checkouts = 0
    for (const range of windows) {
      for (const shop of [null, 'a.myshopify.com']) {
        const expected = reader.report(range, shop, now)
        const actual = await postgresReport(pool, range, shop, now)
        t.same(actual, expected, `${JSON.stringify(range)} ${shop}`)
        checkouts += expected.rows.reduce((s, r) => s + r.checkouts, 0)
      }
    }
    t.ok(checkouts > 200, 'the windows hold the checkouts')
    const shown = reader.report(windows[3]!, null, now).rows.filter((r) => r.arm === 'show' || r.arm === null)
    const sum = (f: 'views' | 'accepts' | 'revenue') => shown.reduce((s, r) => s + r[f], 0)
    t.ok(sum('views') > 20 && sum('accepts') > 10 && sum('revenue') > 500, 'views, accepts and revenue were counted')
  }
)

t.test(
  'a decision committed after a later one is read once its transaction ends: never skipped, never twice',
  { skip: skip ?? false },
  async (t) => {
    const { pool } = await twoDatabases(t, 'late')
    const consumer = new PostgresConsumer(pool)
    const rows = traffic(3)(2)
      .filter((r) => r.kind === 'decision' && r.after === null)
      .slice(0, 2)
    t.equal(rows.length, 2)
    const slow = await pool.connect()
    t.teardown(() => slow.release())
    await slow.query('BEGIN')
    await writePostgres(slow, [rows[0]!]) // its ids (txid) are the smaller ones, its commit comes last
    await writePostgres(pool, [rows[1]!])
    await consumer.catchUp(true)
    const count = async () =>
      Number((await pool.query('SELECT COALESCE(SUM(checkouts), 0) AS n FROM analytics_daily')).rows[0].n)
    t.equal(await count(), 0, 'nothing past a transaction still running is read')
    await slow.query('COMMIT')
    await consumer.catchUp(true)
    t.equal(await count(), 2, 'both, once the slow one committed')
    await consumer.catchUp(true)
    t.equal(await count(), 2, 'and never again')
  }
)

t.test('a backlog larger than a batch keeps its acceptances and events, on both databases', async (t) => {
  // Five checkouts, each offered, viewed and accepted: with batches of 2, the acceptances of the last checkouts come
  // before their decisions were read unless the consumer waits for the decisions first.
  const rows: Row[] = []
  for (let i = 0; i < 5; i++) {
    const base = { ref: `ref-${i}`, shop: 's.myshopify.com', rule: 'r', at: START + i * HOUR }
    rows.push({
      kind: 'decision',
      id: `d-${i}`,
      ...base,
      customer: null,
      arm: null,
      holdout: false,
      offer: true,
      after: null,
      outcome: null,
      currency: 'USD'
    })
  }
  for (let i = 0; i < 5; i++) {
    const base = { offer: `d-${i}`, ref: `ref-${i}`, shop: 's.myshopify.com', rule: 'r', at: START + i * HOUR }
    rows.push({ kind: 'acceptance', ...base }, { kind: 'event', ...base, type: 'viewed', amount: null })
  }
  const range: Range = { from: START, to: START + DAY, bucket: 'day' }
  const dir = mkdtempSync(join(tmpdir(), 'encore-backlog-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { sqlite } = openDatabase(join(dir, 'encore.db'))
  t.teardown(() => sqlite.close())
  writeSqlite(sqlite, rows)
  new AnalyticsConsumer(sqlite, 2).catchUp()
  t.match(new StatsReader(sqlite).report(range, null, START).rows, [{ checkouts: 5, views: 5, accepts: 5 }], 'SQLite')
  if (skip) return
  const { pool } = await twoDatabases(t, 'backlog')
  await writePostgres(pool, rows)
  await new PostgresConsumer(pool, 2).catchUp(true)
  t.match((await postgresReport(pool, range, null, START)).rows, [{ checkouts: 5, views: 5, accepts: 5 }], 'PostgreSQL')
})
