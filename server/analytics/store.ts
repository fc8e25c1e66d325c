// What the analytics routes and the timer need of the database, with a SQLite and a PostgreSQL implementation
// (sqlite-analytics.ts, postgres-analytics.ts); the report logic itself is shared (report.ts).
import type { StatsReport } from '../../contract/admin.js'
import type { Range } from './time-range.js'

export interface AnalyticsStore {
  /**
   * Reads every row committed so far into the roll-ups: a report that follows sees everything answered before it.
   * With several instances on one database it waits for another instance's catch-up rather than running beside it.
   */
  catchUp(): Promise<void>
  /** The timer's catch-up: does nothing while another instance is consuming. */
  tick(): Promise<void>
  /** `now` decides which checkouts are old enough for the follow-on question. */
  report(range: Range, shop: string | null, now: number): Promise<StatsReport>
  /** Whether the shop has a decision or an install (an operator's `?shop=` naming neither is a typo: 404). */
  knownShop(shop: string): Promise<boolean>
  /** The checkout an order webhook linked to this order id, in `shop` when given (null when none). */
  checkoutOfOrder(orderId: string, shop: string | null): Promise<string | null>
}
