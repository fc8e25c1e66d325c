// The Shopify integration's tables in SQLite: OAuth sessions, installed shops, processed webhooks and data-request
// reports (schema.pg.ts: the same on PostgreSQL).
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** @shopify/shopify-api sessions (offline tokens), one row per session id (`offline_<shop>`). */
export const shopifySessions = sqliteTable(
  'shopify_sessions',
  {
    id: text('id').primaryKey(),
    shop: text('shop').notNull(),
    state: text('state').notNull(),
    isOnline: integer('is_online', { mode: 'boolean' }).notNull(),
    scope: text('scope'),
    /** ms since epoch, or null for tokens that do not expire (offline). */
    expires: integer('expires'),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    refreshTokenExpires: integer('refresh_token_expires'),
    /** JSON of the online user's info, null for offline sessions. */
    onlineAccessInfo: text('online_access_info'),
    updatedAt: integer('updated_at').notNull()
  },
  (t) => [index('shopify_sessions_shop_idx').on(t.shop)]
)

/**
 * One row per shop that installed the app. `uninstalledAt` set means its checkouts get no offers.
 * After shop/redact only a tombstone remains (domain, dates, `redactedAt`): it keeps the shop refused.
 */
export const shopifyShops = sqliteTable('shopify_shops', {
  domain: text('domain').primaryKey(),
  /** Comma-separated scopes granted at the last install. */
  scopes: text('scopes'),
  /** Null when the shop is known only from a webhook (it installed before this database existed). */
  installedAt: integer('installed_at'),
  uninstalledAt: integer('uninstalled_at'),
  redactedAt: integer('redacted_at'),
  updatedAt: integer('updated_at').notNull()
})

/** Webhook deliveries already processed, by X-Shopify-Webhook-Id: a repeated delivery is acknowledged and skipped. */
export const shopifyWebhookDeliveries = sqliteTable(
  'shopify_webhook_deliveries',
  {
    webhookId: text('webhook_id').primaryKey(),
    topic: text('topic').notNull(),
    shop: text('shop').notNull(),
    receivedAt: integer('received_at').notNull()
  },
  // received_at: pruning ids older than a week reads only those.
  (t) => [
    index('shopify_webhook_deliveries_shop_idx').on(t.shop),
    index('shopify_webhook_deliveries_received_idx').on(t.receivedAt)
  ]
)

/** customers/data_request reports: what we held about the customer when Shopify asked. */
export const shopifyDataRequests = sqliteTable(
  'shopify_data_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    webhookId: text('webhook_id').notNull(),
    shop: text('shop').notNull(),
    customerId: text('customer_id').notNull(),
    /** Shopify's data_request.id, when present. */
    requestId: text('request_id'),
    /** JSON report (see data-request.ts). */
    report: text('report').notNull(),
    createdAt: integer('created_at').notNull()
  },
  (t) => [index('shopify_data_requests_shop_idx').on(t.shop, t.customerId)]
)
