// The analytics tables: one row per (checkout, rule) as the unit of measure, hourly roll-ups, and reconciled orders.
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * One row per checkout and rule decided for it (an offer or a holdout): the unit every rate and mean is over.
 * `arm` and `currency` are '' when absent so they can be part of the roll-up's key.
 */
export const analyticsCheckoutRules = sqliteTable(
  'analytics_checkout_rules',
  {
    referenceId: text('reference_id').notNull(),
    ruleId: text('rule_id').notNull(),
    shop: text('shop').notNull(),
    arm: text('arm').notNull(),
    holdout: integer('holdout').notNull(),
    currency: text('currency').notNull(),
    customerId: text('customer_id'),
    /** The first decision's time (ms): the checkout belongs to this moment in every report. */
    createdAt: integer('created_at').notNull(),
    offered: integer('offered').notNull(),
    viewed: integer('viewed').notNull(),
    accepted: integer('accepted').notNull(),
    declined: integer('declined').notNull(),
    /** The extension reported an `applied` amount for one of the rule's offers. */
    applied: integer('applied').notNull(),
    /** An order webhook confirmed the added line of one of the rule's offers. */
    confirmed: integer('confirmed').notNull(),
    /** Confirmed amount where Shopify confirmed it, else the reported one; summed over the rule's offers. */
    revenue: real('revenue').notNull(),
    revenueConfirmed: real('revenue_confirmed').notNull(),
    /**
     * The follow-on question: the customer's other orders in [created_at, created_at + 30 days) in the checkout's
     * currency, their count and their totals; kept up to date by the order webhooks and the consumer (0 for guests).
     */
    followOrders: integer('follow_orders').notNull().default(0),
    followRevenue: real('follow_revenue').notNull().default(0)
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

/** One row per offer made: its acceptance, the amount the extension reported, and the one Shopify confirmed. */
export const analyticsOffers = sqliteTable(
  'analytics_offers',
  {
    offerId: text('offer_id').primaryKey(),
    referenceId: text('reference_id').notNull(),
    ruleId: text('rule_id').notNull(),
    shop: text('shop').notNull(),
    currency: text('currency').notNull(),
    variantId: integer('variant_id'),
    quantity: integer('quantity'),
    acceptedAt: integer('accepted_at'),
    /** The first `applied` event's amount. */
    reported: real('reported'),
    /** The added line's amount as the order states it (price × quantity less its discounts), before refunds. */
    lineAmount: real('line_amount'),
    /** lineAmount net of refunds of that line; null until an order webhook confirmed the added line. */
    confirmed: real('confirmed'),
    orderId: text('order_id'),
    lineId: text('line_id'),
    /** The page it was made on: 'post_purchase' | 'thank_you' (its decision's surface), for the report's `surfaces`. */
    surface: text('surface').notNull().default('post_purchase')
  },
  (t) => [index('analytics_offers_reference_idx').on(t.referenceId)]
)

/** Sums per shop, rule, arm, currency and UTC hour: what reports read instead of the checkouts themselves. */
export const analyticsHourly = sqliteTable(
  'analytics_hourly',
  {
    shop: text('shop').notNull(),
    ruleId: text('rule_id').notNull(),
    arm: text('arm').notNull(),
    currency: text('currency').notNull(),
    /** Start of the hour, ms since epoch. */
    hour: integer('hour').notNull(),
    holdout: integer('holdout').notNull(),
    checkouts: integer('checkouts').notNull(),
    offers: integer('offers').notNull(),
    views: integer('views').notNull(),
    accepts: integer('accepts').notNull(),
    declines: integer('declines').notNull(),
    applied: integer('applied').notNull(),
    confirmed: integer('confirmed').notNull(),
    revenue: real('revenue').notNull(),
    /** Sum of squares of per-checkout revenue, for the sample standard deviation. */
    revenueSq: real('revenue_sq').notNull(),
    revenueConfirmed: real('revenue_confirmed').notNull(),
    /** The follow-on sums: checkouts with a customer id, and their follow_orders, follow_revenue and its squares. */
    followCustomers: integer('follow_customers').notNull().default(0),
    followOrders: integer('follow_orders').notNull().default(0),
    followRevenue: real('follow_revenue').notNull().default(0),
    followRevenueSq: real('follow_revenue_sq').notNull().default(0)
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.ruleId, t.arm, t.currency, t.hour] }),
    index('analytics_hourly_hour_idx').on(t.hour),
    index('analytics_hourly_shop_hour_idx').on(t.shop, t.hour)
  ]
)

/** The same sums per UTC day: a 90-day report reads a few thousand of these rows. */
export const analyticsDaily = sqliteTable(
  'analytics_daily',
  {
    shop: text('shop').notNull(),
    ruleId: text('rule_id').notNull(),
    arm: text('arm').notNull(),
    currency: text('currency').notNull(),
    /** Start of the UTC day, ms since epoch. */
    day: integer('day').notNull(),
    holdout: integer('holdout').notNull(),
    checkouts: integer('checkouts').notNull(),
    offers: integer('offers').notNull(),
    views: integer('views').notNull(),
    accepts: integer('accepts').notNull(),
    declines: integer('declines').notNull(),
    applied: integer('applied').notNull(),
    confirmed: integer('confirmed').notNull(),
    revenue: real('revenue').notNull(),
    /** Sum of squares of per-checkout revenue, for the sample standard deviation. */
    revenueSq: real('revenue_sq').notNull(),
    revenueConfirmed: real('revenue_confirmed').notNull(),
    /** The follow-on sums: checkouts with a customer id, and their follow_orders, follow_revenue and its squares. */
    followCustomers: integer('follow_customers').notNull().default(0),
    followOrders: integer('follow_orders').notNull().default(0),
    followRevenue: real('follow_revenue').notNull().default(0),
    followRevenueSq: real('follow_revenue_sq').notNull().default(0)
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.ruleId, t.arm, t.currency, t.day] }),
    index('analytics_daily_day_idx').on(t.day),
    index('analytics_daily_shop_day_idx').on(t.shop, t.day)
  ]
)

/** How far the consumer has read each source table (its last rowid or id). */
export const analyticsWatermarks = sqliteTable('analytics_watermarks', {
  source: text('source').primaryKey(),
  lastId: integer('last_id').notNull()
})

/** Orders from Shopify's order webhooks: what confirms revenue, and the customer's later orders (follow-on). */
export const analyticsOrders = sqliteTable(
  'analytics_orders',
  {
    shop: text('shop').notNull(),
    orderId: text('order_id').notNull(),
    /** The checkout it came from, when one of our decisions' reference ids names it. */
    referenceId: text('reference_id'),
    customerId: text('customer_id'),
    currency: text('currency').notNull(),
    /** Order total less refunds, in the shop's currency. */
    total: real('total').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull()
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.orderId] }),
    index('analytics_orders_reference_idx').on(t.shop, t.referenceId),
    index('analytics_orders_customer_idx').on(t.shop, t.customerId, t.createdAt)
  ]
)

/** Refund lines already applied (refunds/create may be delivered under several ids; a refund counts once). */
export const analyticsRefundLines = sqliteTable(
  'analytics_refund_lines',
  {
    shop: text('shop').notNull(),
    refundLineId: text('refund_line_id').notNull(),
    orderId: text('order_id').notNull(),
    lineId: text('line_id').notNull(),
    amount: real('amount').notNull(),
    createdAt: integer('created_at').notNull()
  },
  (t) => [primaryKey({ columns: [t.shop, t.refundLineId] })]
)

/** What an order webhook could not use, and why: nothing is dropped silently. */
export const analyticsSkipped = sqliteTable(
  'analytics_skipped',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    shop: text('shop').notNull(),
    webhookId: text('webhook_id').notNull(),
    topic: text('topic').notNull(),
    orderId: text('order_id'),
    reason: text('reason').notNull(),
    detail: text('detail'),
    createdAt: integer('created_at').notNull()
  },
  (t) => [index('analytics_skipped_shop_idx').on(t.shop, t.createdAt)]
)
