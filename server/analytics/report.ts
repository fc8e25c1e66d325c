// The stats report: per rule, arm and currency over [from, to), from the hourly roll-ups plus the checkouts of the
// partial hours at either end, so every figure is exact.
import type Database from 'better-sqlite3'
import type { FollowOn, StatsReport, StatsRow } from '../../contract/admin.js'
import { meanInterval, round4, roundInterval, welch, wilson, type Moments } from './intervals.js'
import { BUCKET_MS, type Range } from './time-range.js'
import { verdictFor } from './verdict.js'
import { FollowOnReader, followOnKey } from './follow-on.js'
import { surfacesSql, type SurfaceAgg } from './surfaces.js'

const HOUR = 3_600_000
const DAY = 86_400_000

export type Agg = {
  ruleId: string
  arm: string
  currency: string
  holdout: number
  checkouts: number
  offers: number
  views: number
  accepts: number
  declines: number
  applied: number
  confirmed: number
  revenue: number
  revenueSq: number
  revenueConfirmed: number
}
/**
 * Rows of three sources in one shape: whole days from the daily roll-ups, whole hours around them from the hourly ones,
 * and the minutes at either end from the checkouts themselves.
 */
export function source(shopFilter: boolean): string {
  const shop = shopFilter ? 'AND shop = @shop' : ''
  const sums = 'checkouts, offers, views, accepts, declines, applied, confirmed, revenue, revenue_sq, revenue_confirmed'
  const hours = (lo: string, hi: string) => `
    SELECT rule_id, arm, currency, holdout, ${sums}, hour AS t
    FROM analytics_hourly WHERE hour >= ${lo} AND hour < ${hi} ${shop}`
  const minutes = (lo: string, hi: string) => `
    SELECT rule_id, arm, currency, holdout, 1, offered, viewed, accepted, declined, applied, confirmed, revenue,
           revenue * revenue,
           revenue_confirmed, created_at AS t
    FROM analytics_checkout_rules WHERE created_at >= ${lo} AND created_at < ${hi} ${shop}`
  // One simple range per branch (no OR), so that each reads its index range and nothing else.
  return `
    SELECT rule_id, arm, currency, holdout, ${sums}, day AS t
    FROM analytics_daily WHERE day >= @dFrom AND day < @dTo ${shop}
    UNION ALL ${hours('@h1', '@h2')}
    UNION ALL ${hours('@h3', '@h4')}
    UNION ALL ${minutes('@from', '@u1')}
    UNION ALL ${minutes('@u2', '@to')}`
}

/** Splits [from, to) into minutes, whole hours and whole days (days only for daily buckets). */
export function segments(from: number, to: number, useDays: boolean) {
  const up = (x: number, unit: number) => Math.min(Math.ceil(x / unit) * unit, to)
  const down = (x: number, unit: number, floor: number) => Math.max(Math.floor(x / unit) * unit, floor)
  const u1 = up(from, HOUR)
  const u2 = down(to, HOUR, u1)
  // Whole hours are [u1, u2); whole days inside them, when asked for, are [dFrom, dTo).
  const dFrom = useDays ? up(u1, DAY) : u1
  const dTo = useDays ? Math.min(u2, down(u2, DAY, dFrom)) : u1
  if (dFrom < dTo) return { from, to, u1, u2, h1: u1, h2: dFrom, h3: dTo, h4: u2, dFrom, dTo }
  return { from, to, u1, u2, h1: u1, h2: u2, h3: 0, h4: 0, dFrom: 0, dTo: 0 }
}

/**
 * One pass over the sources per report: sums per bucket, rule, arm and currency. The rows are the buckets added up in
 * JS (a few thousand at most), which halves the work of reading the roll-ups twice.
 */
function prepare(sqlite: Database.Database, shopFilter: boolean) {
  return sqlite.prepare<Record<string, unknown>, BucketAgg>(`
    SELECT CAST((t - @origin) / @bucket AS INTEGER) * @bucket + @origin AS t, rule_id AS ruleId, arm, currency,
           MAX(holdout) AS holdout, SUM(checkouts) AS checkouts, SUM(offers) AS offers, SUM(views) AS views,
           SUM(accepts) AS accepts, SUM(declines) AS declines, SUM(applied) AS applied, SUM(confirmed) AS confirmed,
           SUM(revenue) AS revenue, SUM(revenue_sq) AS revenueSq, SUM(revenue_confirmed) AS revenueConfirmed
    FROM (${source(shopFilter)}) GROUP BY 1, rule_id, arm, currency ORDER BY 1, rule_id, arm, currency`)
}

export type BucketAgg = Agg & { t: number }

/** Adds the buckets up per rule, arm and currency, ordered like the rows of the contract's example. */
function totals(buckets: BucketAgg[]): Agg[] {
  const out = new Map<string, Agg>()
  for (const b of buckets) {
    const key = `${b.ruleId}\u0000${b.arm}\u0000${b.currency}`
    const a = out.get(key)
    if (a === undefined) {
      const { t: _t, ...first } = b
      out.set(key, first)
      continue
    }
    a.holdout = Math.max(a.holdout, b.holdout)
    a.checkouts += b.checkouts
    a.offers += b.offers
    a.views += b.views
    a.accepts += b.accepts
    a.declines += b.declines
    a.applied += b.applied
    a.confirmed += b.confirmed
    a.revenue += b.revenue
    a.revenueSq += b.revenueSq
    a.revenueConfirmed += b.revenueConfirmed
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
  return [...out.values()].sort((x, y) => cmp(x.ruleId, y.ruleId) || cmp(x.arm, y.arm) || cmp(x.currency, y.currency))
}

/**
 * Amounts have at most 6 decimals (the events schema): sums are normalised to that, so that the order in which floats
 * were added (roll-ups, deltas, edges) cannot move a rounded figure.
 */
const micro = (x: number) => Math.round(x * 1e6) / 1e6
const moments = (a: Agg): Moments => ({ n: a.checkouts, sum: micro(a.revenue), sumSq: a.revenueSq })

export class StatsReader {
  private readonly all: ReturnType<typeof prepare>
  private readonly one: ReturnType<typeof prepare>
  private readonly followOn: FollowOnReader
  private readonly surfacesAll: Database.Statement<Record<string, unknown>, SurfaceAgg>
  private readonly surfacesOne: Database.Statement<Record<string, unknown>, SurfaceAgg>

  constructor(sqlite: Database.Database) {
    this.all = prepare(sqlite, false)
    this.one = prepare(sqlite, true)
    this.surfacesAll = sqlite.prepare(surfacesSql(false))
    this.surfacesOne = sqlite.prepare(surfacesSql(true))
    this.followOn = new FollowOnReader(sqlite)
  }

  /** `now` decides which checkouts are old enough for the follow-on question (30 whole days behind them). */
  report(range: Range, shop: string | null, now = Date.now()): StatsReport {
    const params = reportParams(range, shop)
    const { shop: _s, ...noShop } = params
    const series = shop === null ? this.all.all(noShop) : this.one.all(params)
    const { from, to } = range
    const surfaces = shop === null ? this.surfacesAll.all({ from, to }) : this.surfacesOne.all({ from, to, shop })
    return assembleReport(range, shop, series, surfaces, (ruleIds) =>
      this.followOn.read({ from: range.from, to: range.to, shop, now, ruleIds })
    )
  }
}

/** The named parameters of the bucket query (either database): the segments, the bucket and its origin. */
export function reportParams(range: Range, shop: string | null) {
  const bucket = BUCKET_MS[range.bucket]
  return {
    ...segments(range.from, range.to, range.bucket === 'day'),
    shop,
    bucket,
    // Buckets are aligned to UTC midnight or the hour; `t` never goes below `from`, so dividing from `origin` floors.
    origin: Math.floor(range.from / bucket) * bucket
  }
}

/**
 * The report from the bucket sums (either database): rows per rule, arm and currency with their intervals, the
 * follow-on figures of the rules with a holdout, and the series.
 */
export function assembleReport(
  range: Range,
  shop: string | null,
  series: BucketAgg[],
  surfaces: SurfaceAgg[],
  followOnOf: (holdoutRules: string[]) => Map<string, FollowOn>
): StatsReport {
  const aggs = totals(series)
  const holdoutRules = [...new Set(aggs.filter((a) => a.holdout === 1).map((a) => a.ruleId))]
  const followOn = followOnOf(holdoutRules)
  const rows = buildRows(aggs).map((r) => ({
    ...r,
    followOn: holdoutRules.includes(r.ruleId) ? (followOn.get(followOnKey(r)) ?? null) : null
  }))
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    shop,
    bucket: range.bucket,
    rows,
    series: series.map((s) => ({
      t: new Date(s.t).toISOString(),
      ruleId: s.ruleId,
      arm: s.arm === '' ? null : s.arm,
      currency: s.currency === '' ? null : s.currency,
      checkouts: s.checkouts,
      accepts: s.accepts,
      revenue: round4(s.revenue)
    })),
    surfaces: surfaces.map((s) => ({
      surface: s.surface,
      currency: s.currency === '' ? null : s.currency,
      offers: s.offers,
      accepts: s.accepts,
      revenue: round4(micro(s.revenue))
    }))
  }
}

/** Per-row figures and, for rules with a holdout arm, each other arm's lift over it (same currency only). */
export function buildRows(aggs: Agg[]): Omit<StatsRow, 'followOn'>[] {
  const holdouts = new Map<string, Agg>()
  for (const a of aggs) if (a.holdout) holdouts.set(`${a.ruleId}\u0000${a.currency}`, a)
  return aggs.map((a) => {
    const hold = a.holdout ? undefined : holdouts.get(`${a.ruleId}\u0000${a.currency}`)
    let lift: StatsRow['lift'] = null
    let verdict: string | null = null
    if (hold) {
      const d = welch(moments(a), moments(hold))
      if (d) {
        lift = { vsArm: hold.arm, ...roundInterval(d)! }
        verdict = verdictFor(a.arm === '' ? a.ruleId : a.arm, d, moments(a), moments(hold))
      }
    }
    return {
      ruleId: a.ruleId,
      arm: a.arm === '' ? null : a.arm,
      holdout: a.holdout === 1,
      currency: a.currency === '' ? null : a.currency,
      checkouts: a.checkouts,
      offers: a.offers,
      views: a.views,
      accepts: a.accepts,
      declines: a.declines,
      applied: a.applied,
      confirmed: a.confirmed,
      acceptRate: roundInterval(wilson(a.accepts, a.views)),
      revenue: round4(micro(a.revenue)),
      revenueConfirmed: round4(micro(a.revenueConfirmed)),
      revenuePerCheckout: roundInterval(meanInterval(moments(a))),
      lift,
      verdict
    }
  })
}
