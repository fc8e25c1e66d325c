// The Shopify integration's tables on PostgreSQL: the same tables and columns as schema.ts (SQLite), shared by every
// instance (sessions, shops, processed webhook ids, data-request reports).
import { bigint, boolean, index, pgTable, text } from 'drizzle-orm/pg-core'

const ms = (name: string) => bigint(name, { mode: 'number' })

export const shopifySessions = pgTable(
  'shopify_sessions',
  {
    id: text('id').primaryKey(),
    shop: text('shop').notNull(),
    state: text('state').notNull(),
    isOnline: boolean('is_online').notNull(),
    scope: text('scope'),
    expires: ms('expires'),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    refreshTokenExpires: ms('refresh_token_expires'),
    onlineAccessInfo: text('online_access_info'),
    updatedAt: ms('updated_at').notNull()
  },
  (t) => [index('shopify_sessions_shop_idx').on(t.shop)]
)

export const shopifyShops = pgTable('shopify_shops', {
  domain: text('domain').primaryKey(),
  scopes: text('scopes'),
  installedAt: ms('installed_at'),
  uninstalledAt: ms('uninstalled_at'),
  redactedAt: ms('redacted_at'),
  updatedAt: ms('updated_at').notNull()
})

/** The primary key is the dedupe: whichever instance inserts a webhook id first processes the delivery. */
export const shopifyWebhookDeliveries = pgTable(
  'shopify_webhook_deliveries',
  {
    webhookId: text('webhook_id').primaryKey(),
    topic: text('topic').notNull(),
    shop: text('shop').notNull(),
    receivedAt: ms('received_at').notNull()
  },
  // received_at: pruning ids older than a week reads only those.
  (t) => [
    index('shopify_webhook_deliveries_shop_idx').on(t.shop),
    index('shopify_webhook_deliveries_received_idx').on(t.receivedAt)
  ]
)

export const shopifyDataRequests = pgTable(
  'shopify_data_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    webhookId: text('webhook_id').notNull(),
    shop: text('shop').notNull(),
    customerId: text('customer_id').notNull(),
    requestId: text('request_id'),
    report: text('report').notNull(),
    createdAt: ms('created_at').notNull()
  },
  (t) => [index('shopify_data_requests_shop_idx').on(t.shop, t.customerId)]
)
