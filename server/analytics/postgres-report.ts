// The stats report on PostgreSQL: the same bucket and follow-on sums as the SQLite queries (report.ts, follow-on.ts),
// in Postgres SQL, assembled by the shared report logic.
import type { StatsReport } from '../../contract/admin.js'
import { assembleReport, reportParams, source, type BucketAgg } from './report.js'
import type { Queryable } from './postgres-consumer.js'
import { followOnFigures, followOnParams, followOnSql, type FollowOnAgg } from './follow-on.js'
import type { Range } from './time-range.js'
import { surfacesSql, type SurfaceAgg } from './surfaces.js'

/** `@name` placeholders (the SQLite text) as `$n` with their values in order; a name used twice is one `$n`. */
export function numbered(text: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const order: string[] = []
  const out = text.replace(/@(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for @${name}`)
    let i = order.indexOf(name)
    if (i < 0) i = order.push(name) - 1
    return `$${i + 1}`
  })
  return { text: out, values: order.map((n) => params[n]) }
}

/** Bucket sums: the SQLite query's sources, with quoted aliases (Postgres folds unquoted names to lower case). */
const bucketsSql = (shopFilter: boolean) => `
  SELECT ((t - @origin) / @bucket) * @bucket + @origin AS t, rule_id AS "ruleId", arm, currency,
         MAX(holdout) AS holdout, SUM(checkouts) AS checkouts, SUM(offers) AS offers, SUM(views) AS views,
         SUM(accepts) AS accepts, SUM(declines) AS declines, SUM(applied) AS applied, SUM(confirmed) AS confirmed,
         SUM(revenue) AS revenue, SUM(revenue_sq) AS "revenueSq", SUM(revenue_confirmed) AS "revenueConfirmed"
  FROM (${source(shopFilter)}) s GROUP BY 1, rule_id, arm, currency ORDER BY 1, rule_id, arm, currency`

/** See follow-on.ts: the follow-on sums from the daily roll-ups and the checkouts at the edges. */
const followOnPgSql = (shopFilter: boolean) => followOnSql(shopFilter, 'rule_id = ANY(@ruleIds::text[])')

const SQL = {
  buckets: bucketsSql(false),
  bucketsShop: bucketsSql(true),
  followOn: followOnPgSql(false),
  followOnShop: followOnPgSql(true),
  surfaces: surfacesSql(false),
  surfacesShop: surfacesSql(true)
}

export async function postgresReport(
  db: Queryable,
  range: Range,
  shop: string | null,
  now: number
): Promise<StatsReport> {
  const params = reportParams(range, shop)
  const buckets = numbered(shop === null ? SQL.buckets : SQL.bucketsShop, params)
  const series = (await db.query<BucketAgg>(buckets.text, buckets.values)).rows
  let followOn: FollowOnAgg[] = []
  const holdoutRules = [...new Set(series.filter((a) => a.holdout === 1).map((a) => a.ruleId))]
  if (holdoutRules.length > 0) {
    const params = { ...followOnParams({ from: range.from, to: range.to, now }), ruleIds: holdoutRules }
    const q = numbered(shop === null ? SQL.followOn : SQL.followOnShop, shop === null ? params : { ...params, shop })
    followOn = (await db.query<FollowOnAgg>(q.text, q.values)).rows
  }
  const sq = numbered(shop === null ? SQL.surfaces : SQL.surfacesShop, { from: range.from, to: range.to, shop })
  const surfaces = (await db.query<SurfaceAgg>(sq.text, sq.values)).rows
  return assembleReport(range, shop, series, surfaces, () => followOnFigures(followOn))
}
