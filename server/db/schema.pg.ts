// The offer service's tables on PostgreSQL: the same tables, columns and indexes as schema.ts (SQLite), in Postgres
// types (times stay milliseconds since the epoch, in bigint).
import { sql } from 'drizzle-orm'
import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'

// Milliseconds and Shopify ids exceed 32 bits but stay below 2^53: JavaScript numbers, as on SQLite.
const ms = (name: string) => bigint(name, { mode: 'number' })

/**
 * Postgres only: the writing transaction's id (xid8, which never wraps). The analytics consumer reads rows in
 * (txid, id) order up to the oldest transaction still running, so a row committed late is never skipped
 * (server/analytics/postgres-consumer.ts); SQLite has one writer and reads by rowid or id instead.
 */
const txid = () =>
  bigint('txid', { mode: 'number' })
    .notNull()
    .default(sql`(pg_current_xact_id()::text::bigint)`)

/** Every ruleset the service has served, by hash, so old decisions can be explained again. */
export const rulesets = pgTable('rulesets', {
  hash: text('hash').primaryKey(),
  /** JSON: relative path -> raw file content (Ruleset.files). */
  files: text('files').notNull(),
  count: integer('count').notNull(),
  firstServedAt: ms('first_served_at').notNull()
})

/** One row per checkout that got a decision: the few columns reports read, kept as long as the decisions. */
export const checkouts = pgTable(
  'checkouts',
  {
    referenceId: text('reference_id').primaryKey(),
    shopDomain: text('shop_domain').notNull(),
    customerId: text('customer_id'),
    currency: text('currency'),
    createdAt: ms('created_at').notNull()
  },
  (t) => [
    index('checkouts_created_idx').on(t.createdAt),
    index('checkouts_customer_idx').on(t.shopDomain, t.customerId)
  ]
)

/** A checkout's facts (the verified input_data, JSON), stored once and deleted after RETENTION_DAYS. */
export const checkoutFacts = pgTable(
  'checkout_facts',
  {
    referenceId: text('reference_id').primaryKey(),
    facts: text('facts').notNull(),
    createdAt: ms('created_at').notNull()
  },
  // Postgres only (SQLite reads the oldest by rowid): retention finds the oldest facts by time.
  (t) => [index('checkout_facts_created_idx').on(t.createdAt)]
)

/** One row per /api/offer decision; the unique (reference_id, step) is what makes a step decided once. */
export const decisions = pgTable(
  'decisions',
  {
    id: text('id').primaryKey(),
    referenceId: text('reference_id').notNull(),
    shopDomain: text('shop_domain').notNull(),
    customerId: text('customer_id'),
    step: text('step'),
    ruleId: text('rule_id'),
    arm: text('arm'),
    holdout: boolean('holdout').notNull(),
    skipped: text('skipped'),
    rulesetHash: text('ruleset_hash').notNull(),
    context: text('context'),
    /** Legacy rows copied from SQLite only (see schema.ts). */
    facts: text('facts'),
    offer: text('offer'),
    signableUntil: ms('signable_until'),
    afterOfferId: text('after_offer_id'),
    afterOutcome: text('after_outcome'),
    answer: text('answer'),
    surface: text('surface').notNull().default('post_purchase'),
    createdAt: ms('created_at').notNull(),
    txid: txid()
  },
  (t) => [
    uniqueIndex('decisions_step_idx').on(t.referenceId, t.step),
    index('decisions_txid_idx').on(t.txid, t.id),
    index('decisions_customer_idx').on(t.shopDomain, t.customerId),
    index('decisions_created_idx').on(t.createdAt),
    index('decisions_legacy_facts_idx')
      .on(t.createdAt)
      .where(sql`${t.facts} IS NOT NULL`)
  ]
)

/** One row per accepted offer (unique offer_id): the changeset signed or the line added (see schema.ts). */
export const acceptances = pgTable(
  'acceptances',
  {
    // By default, not always: the SQLite copy (server/db/copy-to-postgres.ts, npm run db:copy) keeps the original ids.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    offerId: text('offer_id').notNull(),
    referenceId: text('reference_id').notNull(),
    shopDomain: text('shop_domain').notNull(),
    customerId: text('customer_id'),
    ruleId: text('rule_id').notNull(),
    arm: text('arm'),
    variantId: bigint('variant_id', { mode: 'number' }).notNull(),
    quantity: integer('quantity').notNull(),
    changes: text('changes').notNull(),
    jti: text('jti').notNull(),
    token: text('token').notNull(),
    surface: text('surface').notNull().default('post_purchase'),
    answer: text('answer'),
    createdAt: ms('created_at').notNull(),
    txid: txid()
  },
  (t) => [
    uniqueIndex('acceptances_offer_idx').on(t.offerId),
    index('acceptances_txid_idx').on(t.txid, t.id),
    index('acceptances_reference_idx').on(t.referenceId),
    index('acceptances_shop_idx').on(t.shopDomain, t.customerId)
  ]
)

/** What the buyer saw and what applyChangeset answered, as reported by the extension. */
export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    offerId: text('offer_id').notNull(),
    referenceId: text('reference_id').notNull(),
    shopDomain: text('shop_domain').notNull(),
    customerId: text('customer_id'),
    ruleId: text('rule_id'),
    arm: text('arm'),
    type: text('type').notNull(),
    status: text('status'),
    errors: text('errors'),
    amount: text('amount'),
    createdAt: ms('created_at').notNull(),
    txid: txid()
  },
  (t) => [
    index('events_offer_idx').on(t.offerId, t.type),
    index('events_txid_idx').on(t.txid, t.id),
    index('events_shop_idx').on(t.shopDomain, t.customerId),
    index('events_created_idx').on(t.createdAt)
  ]
)
