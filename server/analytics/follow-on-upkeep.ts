// Keeps each checkout's follow-on (its customer's later orders) and its roll-up sums right outside the consumer's
// batches: the SQL both databases share for the one-time fill of rows stored before the columns existed, and for a
// customer's redaction.
import { FOLLOW_ON_MS } from './follow-on.js'

/** Marks, in analytics_watermarks, that the follow-on columns were filled for the rows stored before them. */
export const FOLLOW_ON_FILLED = 'follow_on_filled'

type Column = 'shop' | 'customer_id' | 'created_at' | 'currency' | 'reference_id'

/**
 * The orders that count as a checkout's follow-on (`o` is analytics_orders, `c` names the checkout's values): the same
 * shop, customer and currency, created in [checkout, checkout + 30 days), and not the order of the checkout itself.
 * `distinct` is the dialect's null-safe "differs": SQLite's IS NOT, PostgreSQL's IS DISTINCT FROM.
 */
export function followOnWhere(
  distinct: 'IS NOT' | 'IS DISTINCT FROM',
  c: (column: Column) => string = (x) => `c.${x}`
): string {
  return `o.shop = ${c('shop')} AND o.customer_id = ${c('customer_id')} AND o.created_at >= ${c('created_at')}
    AND o.created_at < ${c('created_at')} + ${FOLLOW_ON_MS} AND o.currency = ${c('currency')}
    AND o.reference_id ${distinct} ${c('reference_id')}`
}

/**
 * Computes the follow-on of every checkout that has one (the one-time fill; `c` is analytics_checkout_rules). Only the
 * rows with a later order are written: the others keep the column's default, 0, which is right for them.
 */
export function fillUnitsSql(distinct: 'IS NOT' | 'IS DISTINCT FROM'): string {
  return `UPDATE analytics_checkout_rules AS c SET
      follow_orders = (SELECT COUNT(*) FROM analytics_orders o WHERE ${followOnWhere(distinct)}),
      follow_revenue = (SELECT COALESCE(SUM(o.total), 0) FROM analytics_orders o WHERE ${followOnWhere(distinct)})
    WHERE c.customer_id IS NOT NULL AND EXISTS (SELECT 1 FROM analytics_orders o WHERE ${followOnWhere(distinct)})`
}

const ROLLUPS = [
  ['analytics_hourly', 'hour', 3_600_000],
  ['analytics_daily', 'day', 86_400_000]
] as const

/**
 * Per roll-up table, one statement that sets (`=`) or takes away (`-`) the follow-on sums of the checkouts `where`
 * selects (analytics_checkout_rules' columns), grouped by the roll-up's key. Integer division floors the times (they
 * are positive milliseconds) on both databases.
 */
export function rollupFollowOnSql(op: 'set' | 'subtract', where: string): string[] {
  return ROLLUPS.map(([table, time, ms]) => {
    const v = (column: string, sum: string) => (op === 'set' ? sum : `r.${column} - ${sum}`)
    return `UPDATE ${table} AS r SET follow_customers = ${v('follow_customers', 's.n')},
        follow_orders = ${v('follow_orders', 's.orders')}, follow_revenue = ${v('follow_revenue', 's.revenue')},
        follow_revenue_sq = ${v('follow_revenue_sq', 's.sq')}
      FROM (SELECT shop, rule_id, arm, currency, created_at / ${ms} * ${ms} AS t, COUNT(customer_id) AS n,
              SUM(follow_orders) AS orders, SUM(follow_revenue) AS revenue,
              SUM(follow_revenue * follow_revenue) AS sq
            FROM analytics_checkout_rules WHERE ${where} GROUP BY shop, rule_id, arm, currency, t) s
      WHERE r.shop = s.shop AND r.rule_id = s.rule_id AND r.arm = s.arm AND r.currency = s.currency AND r.${time} = s.t`
  })
}

/**
 * A customer's redaction: their checkouts become guests (counted as excluded, follow-on 0), so their follow-on sums
 * leave the roll-ups first. `where` selects the customer's checkouts; run in the redaction's transaction, before the
 * customer id is cleared.
 */
export function forgetFollowOnSql(where: string): string[] {
  return [
    ...rollupFollowOnSql('subtract', `${where} AND customer_id IS NOT NULL`),
    `UPDATE analytics_checkout_rules SET follow_orders = 0, follow_revenue = 0 WHERE ${where}`
  ]
}
