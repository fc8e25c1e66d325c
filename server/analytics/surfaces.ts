// The report's breakdown by page (surface): offers, acceptances and revenue of the offers made on the post-purchase
// page and on the Thank-you page, over the report's checkouts. One SQL text for both databases.
import type { Surface } from '../../contract/admin.js'

/**
 * A row as the query returns it: currency '' when unknown, revenue not rounded yet. `surface` is what the consumer
 * copied from `decisions.surface`, which only the two pages write; the answer's row is contract/admin.ts `SurfaceRow`.
 */
export type SurfaceAgg = { surface: Surface; currency: string; offers: number; accepts: number; revenue: number }

/**
 * An offer belongs to the time of its checkout's unit (analytics_checkout_rules.created_at), like every other figure
 * of the report, so the breakdown adds up with the rows over any range; the units are found by the created_at (or
 * shop, created_at) index and their offers by analytics_offers' reference_id index. The casts keep the counts
 * numbers on PostgreSQL (COUNT and SUM of integers are bigint there, which node-postgres returns as strings).
 */
export const surfacesSql = (shopFilter: boolean) => `
  SELECT o.surface AS surface, o.currency AS currency, CAST(COUNT(*) AS INTEGER) AS offers,
         CAST(SUM(CASE WHEN o.accepted_at IS NULL THEN 0 ELSE 1 END) AS INTEGER) AS accepts,
         SUM(COALESCE(o.confirmed, o.reported, 0)) AS revenue
  FROM analytics_checkout_rules c
  JOIN analytics_offers o ON o.reference_id = c.reference_id AND o.rule_id = c.rule_id
  WHERE c.created_at >= @from AND c.created_at < @to ${shopFilter ? 'AND c.shop = @shop' : ''}
  GROUP BY o.surface, o.currency ORDER BY o.surface, o.currency`
