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

/**
 * Per measured checkout, its customer's other orders in [created, created + 30 days) in the checkout's currency: the
 * order carrying the checkout's own reference is not a later purchase. Each look-up reads the
 * (shop, customer_id, created_at) index of analytics_orders, and only checkouts of rules with a holdout are read.
 */
function prepare(sqlite: Database.Database, shopFilter: boolean) {
  const shop = shopFilter ? 'AND c.shop = @shop' : ''
  return sqlite.prepare<Record<string, unknown>, FollowOnAgg>(`
    SELECT ruleId, arm, currency, MAX(holdout) AS holdout,
           SUM(measured) AS checkouts, SUM(guest) AS guests, SUM(recent) AS recent,
           SUM(orders) AS orders, SUM(revenue) AS revenue, SUM(revenue * revenue) AS revenueSq
    FROM (
      SELECT c.rule_id AS ruleId, c.arm, c.currency, c.holdout,
             c.customer_id IS NULL AS guest,
             c.customer_id IS NOT NULL AND c.created_at > @cutoff AS recent,
             c.customer_id IS NOT NULL AND c.created_at <= @cutoff AS measured,
             CASE WHEN c.customer_id IS NULL OR c.created_at > @cutoff THEN 0 ELSE (
               SELECT COUNT(*) FROM analytics_orders o
               WHERE o.shop = c.shop AND o.customer_id = c.customer_id AND o.created_at >= c.created_at
                 AND o.created_at < c.created_at + @window AND o.currency = c.currency
                 AND o.reference_id IS NOT c.reference_id) END AS orders,
             CASE WHEN c.customer_id IS NULL OR c.created_at > @cutoff THEN 0 ELSE (
               SELECT COALESCE(SUM(o.total), 0) FROM analytics_orders o
               WHERE o.shop = c.shop AND o.customer_id = c.customer_id AND o.created_at >= c.created_at
                 AND o.created_at < c.created_at + @window AND o.currency = c.currency
                 AND o.reference_id IS NOT c.reference_id) END AS revenue
      FROM analytics_checkout_rules c
      WHERE c.created_at >= @from AND c.created_at < @to ${shop}
        AND c.rule_id IN (SELECT value FROM json_each(@ruleIds))
    )
    GROUP BY ruleId, arm, currency`)
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
    const params = {
      from: o.from,
      to: o.to,
      cutoff: o.now - FOLLOW_ON_MS,
      window: FOLLOW_ON_MS,
      ruleIds: JSON.stringify(o.ruleIds)
    }
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
