// The follow-on question: the buyer's orders in the 30 days after a checkout, exposed arm against the holdout.
import type Database from 'better-sqlite3'
import type { FollowOn } from '../../contract/admin.js'
import { round4, roundInterval, meanInterval, welch, type Moments } from './intervals.js'

export const FOLLOW_ON_MS = 30 * 86_400_000

export type FollowOnAgg = {
  ruleId: string
  arm: string
  currency: string
  holdout: number
  checkouts: number
  guests: number
  recent: number
  orders: number
  revenue: number
  revenueSq: number
}

/** Rows of the report and the follow-on figures meet on rule, arm and currency (null columns as ''). */
export function followOnKey(r: { ruleId: string; arm: string | null; currency: string | null }): string {
  return `${r.ruleId}\u0000${r.arm ?? ''}\u0000${r.currency ?? ''}`
}

const DAY = 86_400_000

/**
 * Where each part of [from, to) is read from. A checkout is measured when its 30 days are over (created_at <= cutoff),
 * so whole days before the cutoff's day are all measured and whole days after it all recent: those come from the
 * daily roll-ups' follow-on sums. The partial days at either end of the range and the cutoff's own day are read per
 * checkout (its follow_orders and follow_revenue, kept by the order webhooks and the consumer).
 */
export function followOnParams(o: { from: number; to: number; now: number }) {
  const cutoff = o.now - FOLLOW_ON_MS
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi)
  let dLo = Math.ceil(o.from / DAY) * DAY
  let dHi = Math.floor(o.to / DAY) * DAY
  if (dLo >= dHi) dLo = dHi = o.to // no whole day: every checkout on its own
  // The day the cutoff falls in (none when the cutoff is a day's last millisecond), clipped to the whole days.
  const c1 = cutoff + 1
  const cutDay = Math.floor(c1 / DAY) * DAY
  const cLo = clamp(cutDay, dLo, dHi)
  const cHi = clamp(c1 % DAY === 0 ? cutDay : cutDay + DAY, dLo, dHi)
  return { from: o.from, to: o.to, cutoff, c1, dLo, dHi, cLo, cHi }
}

/**
 * The follow-on sums per rule, arm and currency (either database: `rules` is its filter on the holdout rules). Whole
 * days from analytics_daily: [dLo, cLo) all measured, [cHi, dHi) all recent; checkouts of [from, dLo), [dHi, to) and
 * the cutoff's day [cLo, cHi) one by one. One simple range per branch, so that each reads its index range only.
 */
export function followOnSql(shopFilter: boolean, rules: string): string {
  const shop = shopFilter ? 'AND shop = @shop' : ''
  const days = (lo: string, hi: string) => `
    SELECT rule_id, arm, currency, holdout,
           CASE WHEN day < @c1 THEN follow_customers ELSE 0 END AS measured, checkouts - follow_customers AS guests,
           CASE WHEN day < @c1 THEN 0 ELSE follow_customers END AS recent,
           CASE WHEN day < @c1 THEN follow_orders ELSE 0 END AS orders,
           CASE WHEN day < @c1 THEN follow_revenue ELSE 0 END AS revenue,
           CASE WHEN day < @c1 THEN follow_revenue_sq ELSE 0 END AS revenue_sq
    FROM analytics_daily WHERE day >= ${lo} AND day < ${hi} ${shop} AND ${rules}`
  const measured = 'customer_id IS NOT NULL AND created_at <= @cutoff'
  const checkouts = (lo: string, hi: string) => `
    SELECT rule_id, arm, currency, holdout,
           CASE WHEN ${measured} THEN 1 ELSE 0 END, CASE WHEN customer_id IS NULL THEN 1 ELSE 0 END,
           CASE WHEN customer_id IS NOT NULL AND created_at > @cutoff THEN 1 ELSE 0 END,
           CASE WHEN ${measured} THEN follow_orders ELSE 0 END,
           CASE WHEN ${measured} THEN follow_revenue ELSE 0 END,
           CASE WHEN ${measured} THEN follow_revenue * follow_revenue ELSE 0 END
    FROM analytics_checkout_rules WHERE created_at >= ${lo} AND created_at < ${hi} ${shop} AND ${rules}`
  return `
    SELECT rule_id AS "ruleId", arm, currency, MAX(holdout) AS holdout, CAST(SUM(measured) AS INTEGER) AS checkouts,
           CAST(SUM(guests) AS INTEGER) AS guests, CAST(SUM(recent) AS INTEGER) AS recent,
           CAST(SUM(orders) AS INTEGER) AS orders, SUM(revenue) AS revenue, SUM(revenue_sq) AS "revenueSq"
    FROM (${days('@dLo', '@cLo')}
      UNION ALL ${days('@cHi', '@dHi')}
      UNION ALL ${checkouts('@from', '@dLo')}
      UNION ALL ${checkouts('@dHi', '@to')}
      UNION ALL ${checkouts('@cLo', '@cHi')}) s
    GROUP BY rule_id, arm, currency`
}

/** Per rule, arm and currency over the range's checkouts of the given holdout rules, on SQLite. */
function prepare(sqlite: Database.Database, shopFilter: boolean) {
  return sqlite.prepare<Record<string, unknown>, FollowOnAgg>(
    followOnSql(shopFilter, 'rule_id IN (SELECT value FROM json_each(@ruleIds))')
  )
}

const micro = (x: number) => Math.round(x * 1e6) / 1e6

export class FollowOnReader {
  private readonly all: ReturnType<typeof prepare>
  private readonly one: ReturnType<typeof prepare>

  constructor(sqlite: Database.Database) {
    this.all = prepare(sqlite, false)
    this.one = prepare(sqlite, true)
  }

  /** Follow-on figures per rule, arm and currency (keyed by followOnKey) for the given holdout rules. */
  read(o: { from: number; to: number; shop: string | null; now: number; ruleIds: string[] }): Map<string, FollowOn> {
    if (o.ruleIds.length === 0) return new Map()
    const params = { ...followOnParams(o), ruleIds: JSON.stringify(o.ruleIds) }
    return followOnFigures(o.shop === null ? this.all.all(params) : this.one.all({ ...params, shop: o.shop }))
  }
}

/** The follow-on figures (either database) from the sums per rule, arm and currency, keyed by followOnKey. */
export function followOnFigures(aggs: FollowOnAgg[]): Map<string, FollowOn> {
  const out = new Map<string, FollowOn>()
  const moments = (a: FollowOnAgg): Moments => ({ n: a.checkouts, sum: micro(a.revenue), sumSq: a.revenueSq })
  const holdouts = new Map<string, FollowOnAgg>()
  for (const a of aggs) if (a.holdout) holdouts.set(`${a.ruleId}\u0000${a.currency}`, a)
  for (const a of aggs) {
    const hold = a.holdout ? undefined : holdouts.get(`${a.ruleId}\u0000${a.currency}`)
    const d = hold ? welch(moments(a), moments(hold)) : null
    out.set(followOnKey(a), {
      checkouts: a.checkouts,
      excludedGuests: a.guests,
      excludedRecent: a.recent,
      ordersPerCheckout: a.checkouts > 0 ? round4(a.orders / a.checkouts) : null,
      revenuePerCheckout: roundInterval(meanInterval(moments(a))),
      lift: hold && d ? { vsArm: hold.arm, ...roundInterval(d)! } : null
    })
  }
  return out
}
