// The analytics store on SQLite: the synchronous consumer and report queries on the service's own file.
import type Database from 'better-sqlite3'
import { AnalyticsConsumer } from './consumer.js'
import type { StatsReport } from '../../contract/admin.js'
import { StatsReader } from './report.js'
import type { AnalyticsStore } from './store.js'
import type { Range } from './time-range.js'

export class SqliteAnalytics implements AnalyticsStore {
  readonly consumer: AnalyticsConsumer
  private readonly reader: StatsReader
  private readonly known: Database.Statement<[string, string], { one: number }>
  private readonly byOrder: Database.Statement<[string, string | null, string | null], { referenceId: string }>

  /** `flush` commits the offer service's queued writes, so a catch-up sees every answer already given. */
  constructor(
    sqlite: Database.Database,
    private readonly flush: () => void
  ) {
    this.consumer = new AnalyticsConsumer(sqlite)
    this.reader = new StatsReader(sqlite)
    this.known = sqlite.prepare(
      `SELECT 1 AS one WHERE EXISTS (SELECT 1 FROM decisions WHERE shop_domain = ?)
         OR EXISTS (SELECT 1 FROM shopify_shops WHERE domain = ?)`
    )
    // An order id (as the merchant sees it in the admin) names at most one checkout per shop.
    this.byOrder = sqlite.prepare(
      `SELECT reference_id AS referenceId FROM analytics_orders
       WHERE order_id = ? AND reference_id IS NOT NULL AND (? IS NULL OR shop = ?) LIMIT 1`
    )
  }

  /** Synchronous, for the order webhooks' SQLite transaction (server/shopify/webhooks.ts). */
  catchUpSync(): void {
    this.flush()
    this.consumer.catchUp()
  }

  async catchUp(): Promise<void> {
    this.catchUpSync()
  }

  async tick(): Promise<void> {
    this.catchUpSync()
  }

  async report(range: Range, shop: string | null, now: number): Promise<StatsReport> {
    return this.reader.report(range, shop, now)
  }

  async knownShop(shop: string): Promise<boolean> {
    return this.known.get(shop, shop) !== undefined
  }

  async checkoutOfOrder(orderId: string, shop: string | null): Promise<string | null> {
    return this.byOrder.get(orderId, shop, shop)?.referenceId ?? null
  }
}
