// The roll-ups are exact: reports over random windows equal a direct computation from the raw rows, however the
// consumer's catch-ups were interleaved with the writes.
import { seededRandom, sourceWriters } from '../../scripts/lib/seed-sources.js'
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/open-database.js'
import { AnalyticsConsumer, keepDecisionsReadable } from '../../server/analytics/consumer.js'
import { StatsReader, segments } from '../../server/analytics/report.js'
import { meanInterval, roundInterval, round4 } from '../../server/analytics/intervals.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

t.test('segments split a window into minutes, whole hours and whole days', async (t) => {
  const d = Date.UTC(2026, 10, 1)
  // 10:30 on day 1 to 05:20 on day 4: minutes [10:30, 11:00) and [05:00, 05:20), hours up to midnight and after the
  // last midnight, whole days 2 and 3.
  const s = segments(d + 10.5 * HOUR, d + 3 * DAY + 5 * HOUR + 20 * 60_000, true)
  t.same(
    [s.u1 - d, s.h1 - d, s.h2 - d, s.dFrom - d, s.dTo - d, s.h3 - d, s.h4 - d, s.u2 - d].map((x) => x / HOUR),
    [11, 11, 24, 24, 72, 72, 77, 77]
  )
  const inHour = segments(d + 10 * 60_000, d + 20 * 60_000, true)
  t.same([inHour.u1, inHour.u2, inHour.dFrom, inHour.dTo], [d + 20 * 60_000, d + 20 * 60_000, 0, 0])
  const hourly = segments(d, d + 2 * DAY, false)
  t.same([hourly.h1, hourly.h2, hourly.dFrom, hourly.dTo], [d, d + 2 * DAY, 0, 0], 'bucket=hour reads hours only')
})

t.test(
  'random traffic: every report equals the direct computation from decisions, acceptances and events',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'encore-rollups-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const { sqlite } = openDatabase(join(dir, 'encore.db'))
    t.teardown(() => sqlite.close())
    const consumer = new AnalyticsConsumer(sqlite)
    const reader = new StatsReader(sqlite)
    const rnd = seededRandom(7)
    const sources = sourceWriters(sqlite)
    type D = { id: string; ref: string; shop: string; rule: string; arm: string | null; holdout: boolean }
    /** A decision as the offer service stores it: the checkout's row (with its currency) once, then the decision. */
    const insD = (
      d: D,
      currency: string,
      offer: string | null,
      after: string | null,
      outcome: 'accepted' | 'declined' | null,
      at: number
    ) =>
      sources.decision(
        { ...d, customer: null, offer, after: after === null ? null : { offerId: after, outcome: outcome! }, at },
        currency
      )
    const start = Date.UTC(2026, 10, 1)
    type Offer = { id: string; ref: string; shop: string; rule: string; arm: string | null }
    const offers: Offer[] = []
    let n = 0
    const write = (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        const shop = rnd() < 0.5 ? 'a.myshopify.com' : 'b.myshopify.com'
        const rule = `r${Math.floor(rnd() * 3)}`
        const holdout = rule === 'r0' && rnd() < 0.4
        const arm = rule === 'r0' ? (holdout ? 'none' : 'show') : null
        const ref = `ref-${n}`
        // On a quarter-hour grid, so that checkouts fall exactly on hour, day and window boundaries.
        const at = start + Math.floor(rnd() * 4 * 96) * 15 * 60_000
        const currency = rnd() < 0.8 ? 'USD' : 'EUR'
        const offered = !holdout && rnd() < 0.8
        insD({ id: `d-${n}`, ref, shop, rule, arm, holdout }, currency, offered ? '{}' : null, null, null, at)
        // Some checkouts ask again (a repeat decision for the same rule), sometimes after declining the first offer.
        if (offered && rnd() < 0.2) {
          const declined = rnd() < 0.5
          const again = { id: `d-${n}-again`, ref, shop, rule, arm, holdout: false }
          insD(again, currency, '{}', `d-${n}`, declined ? 'declined' : 'accepted', at + 1000)
          offers.push({ id: `d-${n}-again`, ref, shop, rule, arm })
        }
        if (offered) offers.push({ id: `d-${n}`, ref, shop, rule, arm })
      }
    }
    const react = (count: number) => {
      // Events and acceptances for random earlier offers, including ones already consumed (late events).
      for (let i = 0; i < count && offers.length > 0; i++) {
        const o = offers[Math.floor(rnd() * offers.length)]!
        const r = rnd()
        const at = start + 5 * DAY
        if (r < 0.4) sources.event(o, 'viewed', null, at)
        else if (r < 0.6) sources.event(o, 'declined', null, at)
        else if (r < 0.8) {
          try {
            sources.acceptance(o, at)
          } catch {
            continue // one acceptance per offer (unique index), as the service guarantees
          }
          sources.event(o, 'applied', (rnd() * 50).toFixed(2), at)
        } else sources.event(o, 'applied', (rnd() * 50).toFixed(2), at)
      }
    }
    for (let round = 0; round < 4; round++) {
      write(150)
      react(120)
      consumer.catchUp()
    }
    write(50)
    react(60)
    consumer.catchUp()

    /** The direct computation, from the raw rows only. */
    const direct = (from: number, to: number, shop: string | null) => {
      const ds = sqlite.prepare('SELECT * FROM decisions ORDER BY rowid').all() as any[]
      const evs = sqlite.prepare('SELECT * FROM events ORDER BY id').all() as any[]
      const acc = sqlite.prepare('SELECT * FROM acceptances').all() as any[]
      const currencies = new Map(
        (sqlite.prepare('SELECT reference_id, currency FROM checkouts').all() as any[]).map((c) => [
          c.reference_id,
          c.currency
        ])
      )
      const units = new Map<string, any>()
      const offerUnit = new Map<string, any>()
      for (const d of ds) {
        const key = `${d.reference_id}|${d.rule_id}`
        let u = units.get(key)
        if (!u) {
          u = { d, currency: currencies.get(d.reference_id) }
          Object.assign(u, { offered: 0, viewed: 0, accepted: 0, declined: 0, revenue: new Map<string, number>() })
          units.set(key, u)
        }
        if (d.offer !== null) {
          u.offered = 1
          offerUnit.set(d.id, u)
        }
        if (d.after_outcome === 'declined') offerUnit.get(d.after_offer_id).declined = 1
      }
      // An acceptance proves a view (the consumer counts it so even when the viewed event was lost).
      for (const a of acc) Object.assign(offerUnit.get(a.offer_id), { accepted: 1, viewed: 1 })
      for (const e of evs) {
        const u = offerUnit.get(e.offer_id)
        if (e.type === 'viewed') u.viewed = 1
        if (e.type === 'declined') u.declined = 1
        if (e.type === 'applied' && !u.revenue.has(e.offer_id)) u.revenue.set(e.offer_id, Number(e.amount))
      }
      const rows = new Map<string, any>()
      for (const u of units.values()) {
        if (u.d.created_at < from || u.d.created_at >= to || (shop !== null && u.d.shop_domain !== shop)) continue
        const key = `${u.d.rule_id}|${u.d.arm ?? ''}|${u.currency}`
        const r = rows.get(key) ?? {
          checkouts: 0,
          offers: 0,
          views: 0,
          accepts: 0,
          declines: 0,
          revenues: [] as number[]
        }
        r.checkouts++
        r.offers += u.offered
        r.views += u.viewed
        r.accepts += u.accepted
        r.declines += u.declined
        r.revenues.push([...u.revenue.values()].reduce((x: number, y: number) => x + y, 0))
        rows.set(key, r)
      }
      return rows
    }

    const windows: [number, number][] = [[start - DAY, start + 10 * DAY]]
    for (let i = 0; i < 25; i++) {
      // Half on the quarter-hour grid (boundaries shared with checkouts), half anywhere.
      const grid = i % 2 === 0 ? 15 * 60_000 : 1
      const a = start - HOUR + Math.floor((rnd() * 5 * DAY) / grid) * grid
      windows.push([a, a + Math.floor((rnd() * 3 * DAY) / grid) * grid])
    }
    for (const [from, to] of windows) {
      for (const shop of [null, 'a.myshopify.com']) {
        for (const bucket of ['day', 'hour'] as const) {
          const report = reader.report({ from, to, bucket }, shop)
          const want = direct(from, to, shop)
          const label = `${new Date(from).toISOString()}..${new Date(to).toISOString()} ${shop ?? 'all'} ${bucket}`
          t.equal(report.rows.length, want.size, `${label}: rows`)
          for (const row of report.rows) {
            const w = want.get(`${row.ruleId}|${row.arm ?? ''}|${row.currency}`)
            // Sums of amounts with at most 6 decimals, as the report normalises them (summation order aside).
            const sum = Math.round(w.revenues.reduce((x: number, y: number) => x + y, 0) * 1e6) / 1e6
            const m = { n: w.revenues.length, sum, sumSq: w.revenues.reduce((x: number, y: number) => x + y * y, 0) }
            t.same(
              [row.checkouts, row.offers, row.views, row.accepts, row.declines, row.revenue, row.revenuePerCheckout],
              [w.checkouts, w.offers, w.views, w.accepts, w.declines, round4(sum), roundInterval(meanInterval(m))],
              `${label}: ${row.ruleId} ${row.arm} ${row.currency}`
            )
          }
          const seriesCheckouts = report.series.reduce((x, s) => x + s.checkouts, 0)
          t.equal(
            seriesCheckouts,
            [...want.values()].reduce((x, r) => x + r.checkouts, 0),
            `${label}: series`
          )
        }
      }
    }
  }
)

t.test('redacting the newest decisions does not make the consumer skip the ones after (SQLite rowids)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-rowid-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { sqlite } = openDatabase(join(dir, 'encore.db'))
  t.teardown(() => sqlite.close())
  const consumer = new AnalyticsConsumer(sqlite)
  const at = Date.UTC(2026, 10, 1)
  const insert = (i: number, customer: string) =>
    sqlite
      .prepare(
        `INSERT INTO decisions (id, reference_id, shop_domain, customer_id, step, rule_id, holdout, ruleset_hash,
           created_at) VALUES (?, ?, 's.myshopify.com', ?, 's:', 'r', 0, 'h', ?)`
      )
      .run(`d-${i}`, `ref-${i}`, customer, at)
  const checkouts = () =>
    (sqlite.prepare('SELECT COALESCE(SUM(checkouts), 0) AS n FROM analytics_daily').get() as { n: number }).n
  insert(1, 'keep')
  insert(2, 'gone')
  insert(3, 'gone')
  consumer.catchUp()
  t.equal(checkouts(), 3)
  // customers/redact deletes the two newest decisions; SQLite gives the next row the largest rowid left + 1.
  sqlite.transaction(() => {
    sqlite.prepare("DELETE FROM decisions WHERE customer_id = 'gone'").run()
    t.ok(keepDecisionsReadable(sqlite), 'the watermark comes down to the largest rowid left')
  })()
  insert(4, 'new')
  consumer.catchUp()
  t.equal(checkouts(), 4, 'the decision stored after the redaction is counted')
  t.notOk(keepDecisionsReadable(sqlite), 'nothing to do when no newest decision went')
})
