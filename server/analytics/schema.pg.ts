// The analytics tables on PostgreSQL: the same tables, columns and indexes as schema.ts (SQLite), in Postgres types
// (times stay milliseconds since the epoch; flags stay 0/1 integers so the consumer's logic is the same on both).
import { bigint, doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'

const ms = (name: string) => bigint(name, { mode: 'number' })
const flag = (name: string) => integer(name)

/** One row per checkout and rule decided for it (see schema.ts). */
export const analyticsCheckoutRules = pgTable(
  'analytics_checkout_rules',
  {
    referenceId: text('reference_id').notNull(),
    ruleId: text('rule_id').notNull(),
    shop: text('shop').notNull(),
    arm: text('arm').notNull(),
    holdout: flag('holdout').notNull(),
    currency: text('currency').notNull(),
    customerId: text('customer_id'),
    createdAt: ms('created_at').notNull(),
    offered: flag('offered').notNull(),
    viewed: flag('viewed').notNull(),
    accepted: flag('accepted').notNull(),
    declined: flag('declined').notNull(),
    applied: flag('applied').notNull(),
    confirmed: flag('confirmed').notNull(),
    revenue: doublePrecision('revenue').notNull(),
    revenueConfirmed: doublePrecision('revenue_confirmed').notNull(),
    /**
     * The follow-on question: the customer's other orders in [created_at, created_at + 30 days) in the checkout's
     * currency, their count and their totals; kept up to date by the order webhooks and the consumer (0 for guests).
     */
    followOrders: integer('follow_orders').notNull().default(0),
    followRevenue: doublePrecision('follow_revenue').notNull().default(0)
  },
  (t) => [
    primaryKey({ columns: [t.referenceId, t.ruleId] }),
    index('analytics_checkout_rules_created_idx').on(t.createdAt),
    index('analytics_checkout_rules_shop_idx').on(t.shop, t.createdAt),
    index('analytics_checkout_rules_customer_idx').on(t.shop, t.customerId),
    // The follow-on question reads the checkouts of the rules with a holdout only (server/analytics/follow-on.ts).
    index('analytics_checkout_rules_rule_idx').on(t.ruleId, t.createdAt)
  ]
)

/** One row per offer made (see schema.ts). */
export const analyticsOffers = pgTable(
  'analytics_offers',
  {
    offerId: text('offer_id').primaryKey(),
    referenceId: text('reference_id').notNull(),
    ruleId: text('rule_id').notNull(),
    shop: text('shop').notNull(),
    currency: text('currency').notNull(),
    variantId: bigint('variant_id', { mode: 'number' }),
    quantity: integer('quantity'),
    acceptedAt: ms('accepted_at'),
    reported: doublePrecision('reported'),
    lineAmount: doublePrecision('line_amount'),
    confirmed: doublePrecision('confirmed'),
    orderId: text('order_id'),
    lineId: text('line_id'),
    surface: text('surface').notNull().default('post_purchase')
  },
  (t) => [index('analytics_offers_reference_idx').on(t.referenceId)]
)

/** Sums per shop, rule, arm, currency and UTC hour (see schema.ts). */
export const analyticsHourly = pgTable(
  'analytics_hourly',
  {
    shop: text('shop').notNull(),
    ruleId: text('rule_id').notNull(),
    arm: text('arm').notNull(),
    currency: text('currency').notNull(),
    hour: ms('hour').notNull(),
    holdout: flag('holdout').notNull(),
    checkouts: integer('checkouts').notNull(),
    offers: integer('offers').notNull(),
    views: integer('views').notNull(),
    accepts: integer('accepts').notNull(),
    declines: integer('declines').notNull(),
    applied: integer('applied').notNull(),
    confirmed: integer('confirmed').notNull(),
    revenue: doublePrecision('revenue').notNull(),
    revenueSq: doublePrecision('revenue_sq').notNull(),
    revenueConfirmed: doublePrecision('revenue_confirmed').notNull(),
    /** The follow-on sums: checkouts with a customer id, and their follow_orders, follow_revenue and its squares. */
    followCustomers: integer('follow_customers').notNull().default(0),
    followOrders: integer('follow_orders').notNull().default(0),
    followRevenue: doublePrecision('follow_revenue').notNull().default(0),
    followRevenueSq: doublePrecision('follow_revenue_sq').notNull().default(0)
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.ruleId, t.arm, t.currency, t.hour] }),
    index('analytics_hourly_hour_idx').on(t.hour),
    index('analytics_hourly_shop_hour_idx').on(t.shop, t.hour)
  ]
)

/** The same sums per UTC day (see schema.ts). */
export const analyticsDaily = pgTable(
  'analytics_daily',
  {
    shop: text('shop').notNull(),
    ruleId: text('rule_id').notNull(),
    arm: text('arm').notNull(),
    currency: text('currency').notNull(),
    day: ms('day').notNull(),
    holdout: flag('holdout').notNull(),
    checkouts: integer('checkouts').notNull(),
    offers: integer('offers').notNull(),
    views: integer('views').notNull(),
    accepts: integer('accepts').notNull(),
    declines: integer('declines').notNull(),
    applied: integer('applied').notNull(),
    confirmed: integer('confirmed').notNull(),
    revenue: doublePrecision('revenue').notNull(),
    revenueSq: doublePrecision('revenue_sq').notNull(),
    revenueConfirmed: doublePrecision('revenue_confirmed').notNull(),
    /** The follow-on sums: checkouts with a customer id, and their follow_orders, follow_revenue and its squares. */
    followCustomers: integer('follow_customers').notNull().default(0),
    followOrders: integer('follow_orders').notNull().default(0),
    followRevenue: doublePrecision('follow_revenue').notNull().default(0),
    followRevenueSq: doublePrecision('follow_revenue_sq').notNull().default(0)
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.ruleId, t.arm, t.currency, t.day] }),
    index('analytics_daily_day_idx').on(t.day),
    index('analytics_daily_shop_day_idx').on(t.shop, t.day)
  ]
)

/**
 * How far the consumer has read each source table. Unlike SQLite (a rowid or id), the position is the pair
 * (transaction id, row id): ids are handed out before commit, so a smaller id can become visible after a larger one has
 * been read; transaction ids below the oldest one still running cannot (server/analytics/postgres-consumer.ts).
 */
export const analyticsWatermarks = pgTable('analytics_watermarks', {
  source: text('source').primaryKey(),
  /** The transaction id (xid8, as bigint) of the last row read. */
  lastTxid: bigint('last_txid', { mode: 'number' }).notNull(),
  /** That row's id as text (decisions' ids are text, the others' bigint, compared as bigint). */
  lastKey: text('last_key').notNull()
})

/** Orders from Shopify's order webhooks (see schema.ts). */
export const analyticsOrders = pgTable(
  'analytics_orders',
  {
    shop: text('shop').notNull(),
    orderId: text('order_id').notNull(),
    referenceId: text('reference_id'),
    customerId: text('customer_id'),
    currency: text('currency').notNull(),
    total: doublePrecision('total').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull()
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.orderId] }),
    index('analytics_orders_reference_idx').on(t.shop, t.referenceId),
    index('analytics_orders_customer_idx').on(t.shop, t.customerId, t.createdAt)
  ]
)

/** Refund lines already applied (see schema.ts). */
export const analyticsRefundLines = pgTable(
  'analytics_refund_lines',
  {
    shop: text('shop').notNull(),
    refundLineId: text('refund_line_id').notNull(),
    orderId: text('order_id').notNull(),
    lineId: text('line_id').notNull(),
    amount: doublePrecision('amount').notNull(),
    createdAt: ms('created_at').notNull()
  },
  (t) => [primaryKey({ columns: [t.shop, t.refundLineId] })]
)

/** What an order webhook could not use, and why (see schema.ts). */
export const analyticsSkipped = pgTable(
  'analytics_skipped',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    shop: text('shop').notNull(),
    webhookId: text('webhook_id').notNull(),
    topic: text('topic').notNull(),
    orderId: text('order_id'),
    reason: text('reason').notNull(),
    detail: text('detail'),
    createdAt: ms('created_at').notNull()
  },
  (t) => [index('analytics_skipped_shop_idx').on(t.shop, t.createdAt)]
)
