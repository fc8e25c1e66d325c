// The offer service's tables: rulesets served, checkouts, decisions, acceptances (signed changesets) and events.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** Every ruleset the service has served, by hash, so old decisions can be explained again. */
export const rulesets = sqliteTable('rulesets', {
  hash: text('hash').primaryKey(),
  /** JSON: relative path -> raw file content (Ruleset.files). */
  files: text('files').notNull(),
  count: integer('count').notNull(),
  firstServedAt: integer('first_served_at').notNull()
})

/** One row per checkout that got a decision: the few columns reports read, kept as long as the decisions. */
export const checkouts = sqliteTable(
  'checkouts',
  {
    referenceId: text('reference_id').primaryKey(),
    shopDomain: text('shop_domain').notNull(),
    customerId: text('customer_id'),
    /** The shop money currency code (input_data.initialPurchase.totalPriceSet.shopMoney.currencyCode), if sent. */
    currency: text('currency'),
    createdAt: integer('created_at').notNull()
  },
  (t) => [
    index('checkouts_created_idx').on(t.createdAt),
    index('checkouts_customer_idx').on(t.shopDomain, t.customerId)
  ]
)

/**
 * A checkout's facts, stored once (not once per decision): the verified input_data as Shopify signed it. Deleted
 * after RETENTION_DAYS; in a table of their own, so the pages they free are reused and the file stops growing.
 */
export const checkoutFacts = sqliteTable(
  'checkout_facts',
  {
    referenceId: text('reference_id').primaryKey(),
    /** JSON of input_data. */
    facts: text('facts').notNull(),
    createdAt: integer('created_at').notNull()
  }
  // No index on created_at: rows arrive in time order, so retention reads the oldest by rowid.
)

/** One row per /api/offer decision, including "no offer" ones; `id` is the offer id when there is an offer. */
export const decisions = sqliteTable(
  'decisions',
  {
    id: text('id').primaryKey(),
    referenceId: text('reference_id').notNull(),
    shopDomain: text('shop_domain').notNull(),
    customerId: text('customer_id'),
    /**
     * The checkout step this decision answers: `a:<offerId>` after an answered offer, `s:<latest offer id or ''>`
     * otherwise. Unique per checkout, so a step is decided and stored once whatever the answer (null on rows stored
     * before steps existed).
     */
    step: text('step'),
    ruleId: text('rule_id'),
    arm: text('arm'),
    holdout: integer('holdout', { mode: 'boolean' }).notNull(),
    /** Why there is no offer when the rule matched: 'holdout' | 'unavailable' | null. */
    skipped: text('skipped'),
    rulesetHash: text('ruleset_hash').notNull(),
    /**
     * JSON `{ history?, catalog?, only? }`, the per-decision facts beside the checkout's (null when all are empty).
     * Set to null when the checkout's facts are deleted.
     */
    context: text('context'),
    /** Legacy: the full facts of rows stored before the checkouts table existed (null on newer rows). */
    facts: text('facts'),
    /** JSON: the Offer sent to the extension (null when render was false). */
    offer: text('offer'),
    /** Last moment (ms) the offer can be signed. */
    signableUntil: integer('signable_until'),
    afterOfferId: text('after_offer_id'),
    afterOutcome: text('after_outcome'),
    /** 'accepted' | 'declined' once the buyer answered. */
    answer: text('answer'),
    /** The page the decision was for: 'post_purchase' | 'thank_you' (the `surface` fact). */
    surface: text('surface').notNull().default('post_purchase'),
    /** Also the evaluation time (the `now` fact). */
    createdAt: integer('created_at').notNull()
  },
  (t) => [
    uniqueIndex('decisions_step_idx').on(t.referenceId, t.step),
    // (shop_domain, customer_id) serves look-ups by shop alone too.
    index('decisions_customer_idx').on(t.shopDomain, t.customerId),
    index('decisions_created_idx').on(t.createdAt),
    // Only legacy rows carry facts: this index stays empty for new ones, and retention finds the old ones fast.
    index('decisions_legacy_facts_idx')
      .on(t.createdAt)
      .where(sql`${t.facts} IS NOT NULL`)
  ]
)

/**
 * One row per accepted offer: the exact changeset signed and the token returned for it (post-purchase), or the line
 * added and the answer given (Thank-you page: `token` is empty, `jti` is the idempotency key of the order edit).
 */
export const acceptances = sqliteTable(
  'acceptances',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    offerId: text('offer_id').notNull(),
    referenceId: text('reference_id').notNull(),
    shopDomain: text('shop_domain').notNull(),
    customerId: text('customer_id'),
    ruleId: text('rule_id').notNull(),
    arm: text('arm'),
    variantId: integer('variant_id').notNull(),
    quantity: integer('quantity').notNull(),
    /** JSON: the `changes` claim signed. */
    changes: text('changes').notNull(),
    jti: text('jti').notNull(),
    token: text('token').notNull(),
    /** The page it was accepted on: 'post_purchase' (a signed changeset) | 'thank_you' (an order edit, a checkout). */
    surface: text('surface').notNull().default('post_purchase'),
    /** Thank-you only: JSON of the final answer (added or checkout), so an identical repeat gets it again. */
    answer: text('answer'),
    createdAt: integer('created_at').notNull()
  },
  (t) => [
    uniqueIndex('acceptances_offer_idx').on(t.offerId),
    index('acceptances_reference_idx').on(t.referenceId),
    index('acceptances_shop_idx').on(t.shopDomain, t.customerId)
  ]
)

/** What the buyer saw and what applyChangeset answered, as reported by the extension. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    offerId: text('offer_id').notNull(),
    referenceId: text('reference_id').notNull(),
    shopDomain: text('shop_domain').notNull(),
    customerId: text('customer_id'),
    ruleId: text('rule_id'),
    arm: text('arm'),
    type: text('type').notNull(),
    status: text('status'),
    /** JSON array of {code, message}, or null. */
    errors: text('errors'),
    /** Decimal string as sent (e.g. "12.50"), for revenue. */
    amount: text('amount'),
    createdAt: integer('created_at').notNull()
  },
  (t) => [
    index('events_offer_idx').on(t.offerId, t.type),
    index('events_shop_idx').on(t.shopDomain, t.customerId),
    index('events_created_idx').on(t.createdAt)
  ]
)
