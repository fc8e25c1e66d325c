// The analytics store on PostgreSQL: the consumer under its lease, the report queries, on the shared database, so
// every instance answers the same.
import type pg from 'pg'
import { inTransaction } from '../db/pg-transaction.js'
import { asDatabaseError } from '../db/unavailable.js'
import { PostgresConsumer, slowQueries, withConsumerLease } from './postgres-consumer.js'
import { postgresReport } from './postgres-report.js'
import { applyOrderPostgres } from './postgres-orders.js'
import { forgetFollowOnSql } from './follow-on-upkeep.js'
import type { OrderDelivery, Reconciliation } from './orders.js'
import type { StatsReport } from '../../contract/admin.js'
import type { AnalyticsStore } from './store.js'
import type { Range } from './time-range.js'

const REPORT_TIMEOUT_MS = 15_000

/** Every analytics table with a shop column (all but the watermarks). */
const ANALYTICS_TABLES = [
  'analytics_checkout_rules',
  'analytics_offers',
  'analytics_hourly',
  'analytics_daily',
  'analytics_orders',
  'analytics_refund_lines',
  'analytics_skipped'
]

export class PostgresAnalytics implements AnalyticsStore {
  readonly consumer: PostgresConsumer

  constructor(private readonly pool: pg.Pool) {
    this.consumer = new PostgresConsumer(pool)
  }

  async catchUp(): Promise<void> {
    await this.consumer.catchUp(true)
  }

  async tick(): Promise<void> {
    await this.consumer.catchUp(false)
  }

  /**
   * Both queries in one read-only snapshot, so the rows and the follow-on figures agree; a report is not on a
   * checkout's path, so it may take longer than the pool's statement timeout.
   */
  async report(range: Range, shop: string | null, now: number): Promise<StatsReport> {
    return inTransaction(this.pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${REPORT_TIMEOUT_MS}`)
      return postgresReport(slowQueries(client, REPORT_TIMEOUT_MS), range, shop, now)
    })
  }

  /** Records and reconciles an order webhook (null: a duplicate delivery); see postgres-orders.ts. */
  async applyOrder(delivery: OrderDelivery): Promise<Reconciliation | null> {
    return applyOrderPostgres(this.pool, this.consumer, delivery)
  }

  /**
   * customers/redact and shop/redact on the shared database, under the consumer's lease (a batch that read the shop's
   * rows before they went must not write them back): like SQLite (server/shopify/redaction.ts), a customer's rows keep
   * their counts and amounts but lose the customer id; a shop's go entirely. Idempotent.
   */
  async redact(shop: string, customerIds: string[] | null): Promise<number> {
    const changed = await withConsumerLease(this.pool, true, async (client) => {
      await client.query('BEGIN')
      let n = 0
      const run = async (text: string) => {
        n += (await client.query(text, customerIds === null ? [shop] : [shop, customerIds])).rowCount ?? 0
      }
      if (customerIds !== null) {
        // Their checkouts become guests: their follow-on leaves the roll-ups before the customer id goes.
        for (const text of forgetFollowOnSql('shop = $1 AND customer_id = ANY($2)'))
          await client.query(text, [shop, customerIds])
        await run('UPDATE analytics_checkout_rules SET customer_id = NULL WHERE shop = $1 AND customer_id = ANY($2)')
        await run('UPDATE analytics_orders SET customer_id = NULL WHERE shop = $1 AND customer_id = ANY($2)')
      } else {
        for (const table of ANALYTICS_TABLES) await run(`DELETE FROM ${table} WHERE shop = $1`)
      }
      await client.query('COMMIT')
      return n
    })
    return changed ?? 0
  }

  async knownShop(shop: string): Promise<boolean> {
    const { rows } = await this.query<{ known: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM decisions WHERE shop_domain = $1)
         OR EXISTS (SELECT 1 FROM shopify_shops WHERE domain = $1) AS known`,
      [shop]
    )
    return rows[0]?.known === true
  }

  async checkoutOfOrder(orderId: string, shop: string | null): Promise<string | null> {
    const { rows } = await this.query<{ referenceId: string }>(
      `SELECT reference_id AS "referenceId" FROM analytics_orders
       WHERE order_id = $1 AND reference_id IS NOT NULL AND ($2::text IS NULL OR shop = $2) LIMIT 1`,
      [orderId, shop]
    )
    return rows[0]?.referenceId ?? null
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values)
    } catch (err) {
      throw asDatabaseError(err)
    }
  }
}
