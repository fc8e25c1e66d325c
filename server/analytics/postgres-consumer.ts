// The analytics consumer on PostgreSQL: one instance at a time (a session advisory lock), reading each source in
// (transaction id, id) order up to the oldest transaction still running, so several instances never count a row twice
// and a row committed late is never skipped. The logic is the shared ConsumerCore, run on rows loaded per batch.
import type pg from 'pg'
import { asDatabaseError } from '../db/unavailable.js'
import { DECISION_CURRENCY_PG_SQL } from './checkout-currency.js'
import { FOLLOW_ON_FILLED, fillUnitsSql, followOnWhere, rollupFollowOnSql } from './follow-on-upkeep.js'
import {
  ConsumerCore,
  type AcceptanceIn,
  type ConsumerRows,
  type DecisionIn,
  type EventIn,
  type FollowOnOf,
  type FollowOnSums,
  followOnKeyOf,
  type OfferRef,
  type OfferSums,
  type RollupRow,
  type Unit
} from './consumer.js'

const BATCH = 5000

/** The consumer's lease: the two-key form (class 2), apart from the checkout locks (class 1) and migrations. */
export const CONSUMER_LOCK = [2, 1] as const

/**
 * A catch-up may wait for another instance's batch and write thousands of rows: more than a request's statement
 * budget, still bounded.
 */
const CONSUMER_STATEMENT_TIMEOUT_MS = 30_000
/** How long a report waits for the transactions running when it was asked for (see PostgresConsumer.drain). */
const REPORT_DRAIN_MS = 2_000
const DRAIN_POLL_MS = 10

/** What the consumer's statements run on: a connection whose replies may take up to `timeoutMs` (see slowQueries). */
export type Queryable = {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>
}

/**
 * The pool gives up on a reply after the request budget (query_timeout, client side): the consumer's and the reports'
 * statements may take longer, so they run with their own limit on both sides (statement_timeout is set with it).
 */
export function slowQueries(client: pg.PoolClient, timeoutMs: number): Queryable {
  return {
    query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      client.query<R>({ text, values, query_timeout: timeoutMs + 250 } as pg.QueryConfig)
  }
}

/** A row of analytics_offers, every column (the order webhooks change the last five). */
export type OfferRow = {
  offerId: string
  referenceId: string
  ruleId: string
  shop: string
  currency: string
  variantId: number | null
  quantity: number | null
  acceptedAt: number | null
  reported: number | null
  lineAmount: number | null
  confirmed: number | null
  orderId: string | null
  lineId: string | null
  surface: string
}

/** A unit's columns as the consumer reads them, of the table or its alias `t`. */
export const UNIT_COLUMNS_OF = (t: string) => `${t}.reference_id AS "referenceId", ${t}.rule_id AS "ruleId", ${t}.shop,
  ${t}.arm, ${t}.holdout, ${t}.currency, ${t}.customer_id AS "customerId", ${t}.created_at AS "createdAt", ${t}.offered,
  ${t}.viewed, ${t}.accepted, ${t}.declined, ${t}.applied, ${t}.confirmed, ${t}.revenue,
  ${t}.revenue_confirmed AS "revenueConfirmed", (${t}.customer_id IS NOT NULL)::int AS customer,
  ${t}.follow_orders AS "followOrders", ${t}.follow_revenue AS "followRevenue"`
const UNIT_COLUMNS = UNIT_COLUMNS_OF('analytics_checkout_rules')
const OFFER_COLUMNS = `offer_id AS "offerId", reference_id AS "referenceId", rule_id AS "ruleId", shop, currency,
  variant_id AS "variantId", quantity, accepted_at AS "acceptedAt", reported, line_amount AS "lineAmount", confirmed,
  order_id AS "orderId", line_id AS "lineId", surface`

/** The sources, each after its watermark (txid, id) and below the horizon (every transaction before it has ended). */
const SOURCES = {
  decisions: `SELECT d.txid, d.id AS key, d.id, d.reference_id AS "referenceId", d.shop_domain AS shop,
      d.customer_id AS "customerId", d.rule_id AS "ruleId", d.arm, d.holdout::int AS holdout,
      (d.offer IS NOT NULL)::int AS offer, d.after_offer_id AS "afterOfferId", d.after_outcome AS "afterOutcome",
      ${DECISION_CURRENCY_PG_SQL} AS currency, d.surface, d.created_at AS "createdAt"
    FROM decisions d LEFT JOIN checkouts c ON c.reference_id = d.reference_id
    WHERE (d.txid, d.id) > ($1, $2) AND d.txid < $3 ORDER BY d.txid, d.id LIMIT $4`,
  acceptances: `SELECT txid, id::text AS key, id, offer_id AS "offerId", variant_id AS "variantId", quantity,
      created_at AS "createdAt"
    FROM acceptances WHERE (txid, id) > ($1, $2::bigint) AND txid < $3 ORDER BY txid, id LIMIT $4`,
  events: `SELECT txid, id::text AS key, id, offer_id AS "offerId", type, amount
    FROM events WHERE (txid, id) > ($1, $2::bigint) AND txid < $3 ORDER BY txid, id LIMIT $4`
} as const
type Source = keyof typeof SOURCES
/** Before the first row: decisions' ids are text (every id sorts after ''), the others' bigint (every id is > 0). */
const START: Record<Source, { txid: number; key: string }> = {
  decisions: { txid: 0, key: '' },
  acceptances: { txid: 0, key: '0' },
  events: { txid: 0, key: '0' }
}
type Positioned = { txid: number; key: string }

const key = (referenceId: string, ruleId: string) => `${referenceId}\u0000${ruleId}`

/**
 * The rows a batch touches, loaded up front and written back at its end: the consumer's row operations on them are
 * synchronous, as on SQLite. Only the lease holder uses them, so nothing changes them underneath.
 */
export class BatchRows implements ConsumerRows {
  readonly units = new Map<string, Unit & { customerId: string | null }>()
  readonly newUnits = new Set<string>()
  readonly dirtyUnits = new Set<string>()
  readonly offers = new Map<string, OfferRow>()
  readonly newOffers = new Set<string>()
  readonly dirtyOffers = new Set<string>()
  private readonly offersOfUnit = new Map<string, Set<string>>()
  /** The follow-on of the checkouts this batch may insert, looked up before its logic runs (prefetchFollowOn). */
  private readonly followOns = new Map<string, FollowOnSums>()

  addUnits(rows: (Unit & { customerId: string | null })[]): void {
    for (const u of rows) {
      const k = key(u.referenceId, u.ruleId)
      if (!this.units.has(k)) this.units.set(k, u)
    }
  }

  addOffers(rows: OfferRow[]): void {
    for (const o of rows) if (!this.offers.has(o.offerId)) this.putOffer(o)
  }

  private putOffer(o: OfferRow): void {
    this.offers.set(o.offerId, o)
    const k = key(o.referenceId, o.ruleId)
    let set = this.offersOfUnit.get(k)
    if (!set) this.offersOfUnit.set(k, (set = new Set()))
    set.add(o.offerId)
  }

  /** Every offer of a checkout's rule (they were loaded with its reference id). */
  offersOf(referenceId: string): OfferRow[] {
    return [...this.offers.values()].filter((o) => o.referenceId === referenceId)
  }

  setOffer(o: OfferRow): void {
    this.offers.set(o.offerId, o)
    if (!this.newOffers.has(o.offerId)) this.dirtyOffers.add(o.offerId)
  }

  unit(referenceId: string, ruleId: string): Unit | undefined {
    return this.units.get(key(referenceId, ruleId))
  }

  insertUnit(unit: Unit & { customerId: string | null }): boolean {
    const k = key(unit.referenceId, unit.ruleId)
    if (this.units.has(k)) return false
    this.units.set(k, { ...unit })
    this.newUnits.add(k)
    return true
  }

  updateUnit(unit: Unit): void {
    const k = key(unit.referenceId, unit.ruleId)
    const prev = this.units.get(k)
    this.units.set(k, { ...unit, customerId: prev?.customerId ?? null })
    if (!this.newUnits.has(k)) this.dirtyUnits.add(k)
  }

  offer(offerId: string): OfferRef | undefined {
    return this.offers.get(offerId)
  }

  insertOffer(
    offerId: string,
    referenceId: string,
    ruleId: string,
    shop: string,
    currency: string,
    surface: string
  ): void {
    if (this.offers.has(offerId)) return
    this.putOffer({
      offerId,
      referenceId,
      ruleId,
      shop,
      currency,
      variantId: null,
      quantity: null,
      acceptedAt: null,
      reported: null,
      lineAmount: null,
      confirmed: null,
      orderId: null,
      lineId: null,
      surface
    })
    this.newOffers.add(offerId)
  }

  acceptOffer(variantId: number, quantity: number, acceptedAt: number, offerId: string): void {
    const o = this.offers.get(offerId)
    if (!o || o.acceptedAt !== null) return
    this.setOffer({ ...o, variantId, quantity, acceptedAt })
  }

  reportOffer(amount: number, offerId: string): boolean {
    const o = this.offers.get(offerId)
    if (!o || o.reported !== null) return false
    this.setOffer({ ...o, reported: amount })
    return true
  }

  offerSums(referenceId: string, ruleId: string): OfferSums {
    const sums: OfferSums = { revenue: 0, confirmed: 0, appliedN: 0, confirmedN: 0 }
    for (const id of this.offersOfUnit.get(key(referenceId, ruleId)) ?? []) {
      const o = this.offers.get(id)!
      sums.revenue! += o.confirmed ?? o.reported ?? 0
      sums.confirmed! += o.confirmed ?? 0
      if (o.reported !== null) sums.appliedN++
      if (o.confirmed !== null) sums.confirmedN++
    }
    return sums
  }

  followOn(f: FollowOnOf): FollowOnSums {
    const sums = this.followOns.get(followOnKeyOf(f))
    if (sums === undefined) throw new Error(`follow-on of ${f.referenceId} was not looked up`)
    return sums
  }

  /** Looks up the follow-on of checkouts the batch may insert: their customer's orders stored so far. */
  async prefetchFollowOn(client: Queryable, list: FollowOnOf[]): Promise<void> {
    if (list.length === 0) return
    const { rows } = await client.query<{ i: number; orders: number; revenue: number }>(
      `SELECT c.i, l.orders, l.revenue
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
         WITH ORDINALITY AS c(shop, customer_id, reference_id, currency, created_at, i)
       CROSS JOIN LATERAL (SELECT COUNT(*)::int AS orders, COALESCE(SUM(o.total), 0) AS revenue
         FROM analytics_orders o WHERE ${followOnWhere('IS DISTINCT FROM')}) l`,
      columns(list, ['shop', 'customerId', 'referenceId', 'currency', 'createdAt'])
    )
    for (const r of rows) this.followOns.set(followOnKeyOf(list[Number(r.i) - 1]!), r)
  }

  /** Loads the units and offers of these checkouts, and these offers (with their checkouts'). */
  async load(client: Queryable, referenceIds: Iterable<string>, offerIds: Iterable<string>): Promise<void> {
    const offers = [...new Set(offerIds)].filter((id) => !this.offers.has(id))
    const refs = new Set(referenceIds)
    if (offers.length > 0) {
      const { rows } = await client.query<OfferRow>(
        `SELECT ${OFFER_COLUMNS} FROM analytics_offers WHERE offer_id = ANY($1::text[])`,
        [offers]
      )
      for (const o of rows) refs.add(o.referenceId)
    }
    if (refs.size === 0) return
    const list = [...refs]
    const [units, all] = await Promise.all([
      client.query<Unit & { customerId: string | null }>(
        `SELECT ${UNIT_COLUMNS} FROM analytics_checkout_rules WHERE reference_id = ANY($1::text[])`,
        [list]
      ),
      client.query<OfferRow>(`SELECT ${OFFER_COLUMNS} FROM analytics_offers WHERE reference_id = ANY($1::text[])`, [
        list
      ])
    ])
    this.addUnits(units.rows)
    this.addOffers(all.rows)
  }

  /** Writes the new and changed units and offers, then the roll-up differences. */
  async save(client: Queryable, deltas: Iterable<RollupRow>): Promise<void> {
    const pick = <T>(keys: Set<string>, map: Map<string, T>) => [...keys].map((k) => map.get(k)!)
    const newUnits = pick(this.newUnits, this.units)
    if (newUnits.length > 0)
      await client.query(
        `INSERT INTO analytics_checkout_rules (reference_id, rule_id, shop, arm, holdout, currency, customer_id,
           created_at, offered, viewed, accepted, declined, applied, confirmed, revenue, revenue_confirmed,
           follow_orders, follow_revenue)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[],
           $8::bigint[], $9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::int[], $15::float8[],
           $16::float8[], $17::int[], $18::float8[])
         ON CONFLICT DO NOTHING`,
        columns(newUnits, [
          'referenceId',
          'ruleId',
          'shop',
          'arm',
          'holdout',
          'currency',
          'customerId',
          'createdAt',
          'offered',
          'viewed',
          'accepted',
          'declined',
          'applied',
          'confirmed',
          'revenue',
          'revenueConfirmed',
          'followOrders',
          'followRevenue'
        ])
      )
    const changed = pick(this.dirtyUnits, this.units)
    if (changed.length > 0)
      // Never the customer id: a redaction may have cleared it since the batch loaded the row.
      await client.query(
        `UPDATE analytics_checkout_rules c SET offered = u.offered, viewed = u.viewed, accepted = u.accepted,
           declined = u.declined, applied = u.applied, confirmed = u.confirmed, revenue = u.revenue,
           revenue_confirmed = u.revenue_confirmed, follow_orders = u.follow_orders, follow_revenue = u.follow_revenue
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[],
           $9::float8[], $10::float8[], $11::int[], $12::float8[])
           AS u(reference_id, rule_id, offered, viewed, accepted, declined, applied, confirmed, revenue,
             revenue_confirmed, follow_orders, follow_revenue)
         WHERE c.reference_id = u.reference_id AND c.rule_id = u.rule_id`,
        columns(changed, [
          'referenceId',
          'ruleId',
          'offered',
          'viewed',
          'accepted',
          'declined',
          'applied',
          'confirmed',
          'revenue',
          'revenueConfirmed',
          'followOrders',
          'followRevenue'
        ])
      )
    const offerColumns: (keyof OfferRow)[] = [
      'offerId',
      'referenceId',
      'ruleId',
      'shop',
      'currency',
      'variantId',
      'quantity',
      'acceptedAt',
      'reported',
      'lineAmount',
      'confirmed',
      'orderId',
      'lineId',
      'surface'
    ]
    const offerTypes = `$1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[],
      $8::bigint[], $9::float8[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::text[]`
    const newOffers = pick(this.newOffers, this.offers)
    if (newOffers.length > 0)
      await client.query(
        `INSERT INTO analytics_offers (offer_id, reference_id, rule_id, shop, currency, variant_id, quantity,
           accepted_at, reported, line_amount, confirmed, order_id, line_id, surface)
         SELECT * FROM unnest(${offerTypes}) ON CONFLICT DO NOTHING`,
        columns(newOffers, offerColumns)
      )
    const changedOffers = pick(this.dirtyOffers, this.offers)
    if (changedOffers.length > 0)
      await client.query(
        `UPDATE analytics_offers x SET variant_id = u.variant_id, quantity = u.quantity, accepted_at = u.accepted_at,
           reported = u.reported, line_amount = u.line_amount, confirmed = u.confirmed, order_id = u.order_id,
           line_id = u.line_id
         FROM unnest(${offerTypes}) AS u(offer_id, reference_id, rule_id, shop, currency, variant_id, quantity,
           accepted_at, reported, line_amount, confirmed, order_id, line_id, surface)
         WHERE x.offer_id = u.offer_id`,
        columns(changedOffers, offerColumns)
      )
    await saveRollups(client, [...deltas])
    this.newUnits.clear()
    this.dirtyUnits.clear()
    this.newOffers.clear()
    this.dirtyOffers.clear()
  }
}

/** Column arrays for unnest(), one per field, in the order given. */
function columns<T>(rows: T[], fields: (keyof T)[]): unknown[][] {
  return fields.map((f) => rows.map((r) => r[f] ?? null))
}

const SUMS = [
  'checkouts',
  'offers',
  'views',
  'accepts',
  'declines',
  'applied',
  'confirmed',
  'revenue',
  'revenueSq',
  'revenueConfirmed',
  'followCustomers',
  'followOrders',
  'followRevenue',
  'followRevenueSq'
] as const
const SUM_COLUMNS = SUMS.map((s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))

/** Adds the differences to the hourly and daily roll-ups (one row per key per statement: days summed first). */
async function saveRollups(client: Queryable, hours: RollupRow[]): Promise<void> {
  if (hours.length === 0) return
  const days = new Map<string, RollupRow>()
  for (const h of hours) {
    const k = `${h.shop}\u0000${h.ruleId}\u0000${h.arm}\u0000${h.currency}\u0000${h.day}`
    const d = days.get(k)
    if (!d) days.set(k, { ...h })
    else {
      d.holdout = Math.max(d.holdout, h.holdout)
      for (const s of SUMS) d[s] += h[s]
    }
  }
  for (const [table, time, rows] of [
    ['analytics_hourly', 'hour', hours],
    ['analytics_daily', 'day', [...days.values()]]
  ] as const) {
    await client.query(
      `INSERT INTO ${table} (shop, rule_id, arm, currency, ${time}, holdout, ${SUM_COLUMNS.join(', ')})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::int[],
         $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::float8[], $15::float8[],
         $16::float8[], $17::int[], $18::int[], $19::float8[], $20::float8[])
       ON CONFLICT (shop, rule_id, arm, currency, ${time}) DO UPDATE SET
         holdout = GREATEST(${table}.holdout, excluded.holdout),
         ${SUM_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
      columns(rows as RollupRow[], ['shop', 'ruleId', 'arm', 'currency', time, 'holdout', ...SUMS])
    )
  }
}

/**
 * Runs `work` holding the consumer's lease on one connection: waiting for it (`wait`), or giving up at once when
 * another instance holds it (returns null). A session lock, taken before any transaction: a REPEATABLE READ snapshot
 * taken while waiting would miss the other instance's watermark.
 */
export async function withConsumerLease<T>(
  pool: pg.Pool,
  wait: boolean,
  work: (client: Queryable) => Promise<T>
): Promise<T | null> {
  let client: pg.PoolClient
  try {
    client = await pool.connect()
  } catch (err) {
    throw asDatabaseError(err)
  }
  try {
    await client.query(`SET statement_timeout = ${CONSUMER_STATEMENT_TIMEOUT_MS}`)
    const lock = wait ? 'pg_advisory_lock' : 'pg_try_advisory_lock'
    // Waiting for another instance's batch may take as long as one.
    const { rows } = await slowQueries(client, CONSUMER_STATEMENT_TIMEOUT_MS).query<{ got: boolean | null }>(
      `SELECT ${lock}($1, $2) AS got`,
      [...CONSUMER_LOCK]
    )
    if (wait || rows[0]?.got) {
      try {
        return await work(slowQueries(client, CONSUMER_STATEMENT_TIMEOUT_MS))
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [...CONSUMER_LOCK])
      }
    }
    return null
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    // Closed rather than reused: its session may still hold the lock or a broken transaction; the server frees both.
    client.release(err as Error)
    client = null as never
    throw asDatabaseError(err)
  } finally {
    if (client) {
      await client.query('RESET statement_timeout').catch(() => {})
      client.release()
    }
  }
}

/**
 * Once per database: checkouts stored before the follow-on columns existed get their follow-on, and the roll-ups its
 * sums (then the consumer and the order webhooks keep both up to date). In a batch's transaction, under the lease.
 */
async function fillFollowOn(client: Queryable): Promise<void> {
  await client.query(fillUnitsSql('IS DISTINCT FROM'))
  for (const text of rollupFollowOnSql('set', 'TRUE')) await client.query(text)
  await client.query(
    `INSERT INTO analytics_watermarks (source, last_txid, last_key) VALUES ($1, 0, '1') ON CONFLICT DO NOTHING`,
    [FOLLOW_ON_FILLED]
  )
}

/** The consumer's batches on a connection that holds the lease. */
export class PostgresConsumer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly batchSize = BATCH
  ) {}

  /**
   * Reads every row committed so far. `wait`: behind another instance's catch-up (before a report), or not at all
   * when another instance is consuming (the timer). Returns the rows read, or null when it did not run. Before a
   * report it also waits, at most REPORT_DRAIN_MS, for the transactions running when it was called (see drain); past
   * that the report leaves out what they commit.
   */
  catchUp(wait: boolean): Promise<number | null> {
    return withConsumerLease(this.pool, wait, async (client) => {
      if (wait) return (await this.drain(client, REPORT_DRAIN_MS)).read
      let total = 0
      for (;;) {
        const { n } = await this.step(client)
        total += n
        if (n === 0) return total
      }
    })
  }

  /**
   * Reads until every transaction that had begun when it was called has ended and its rows are read: what a report
   * or an order webhook must see (the checkout and acceptances committed before it). Rows are read only below the
   * horizon, the oldest transaction still running anywhere on the server (other databases of a shared cluster
   * included), so a long transaction elsewhere holds it back: after `budgetMs` it stops, `done` false.
   */
  async drain(client: Queryable, budgetMs: number): Promise<{ done: boolean; read: number }> {
    // bigint comes back as a string: compared as numbers (transaction ids stay far below 2^53).
    const target = Number(
      (await client.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x')).rows[0]!.x
    )
    const deadline = Date.now() + budgetMs
    let read = 0
    for (;;) {
      const { n, horizon } = await this.step(client)
      read += n
      if (n > 0) continue
      if (Number(horizon) >= target) return { done: true, read }
      if (Date.now() >= deadline) return { done: false, read }
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS))
    }
  }

  /** One batch of each source in one REPEATABLE READ transaction: its snapshot and its horizon agree. */
  async step(client: Queryable): Promise<{ n: number; horizon: number }> {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
    try {
      const read = await this.batch(client)
      await client.query('COMMIT')
      return read
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    }
  }

  private async batch(client: Queryable): Promise<{ n: number; horizon: number }> {
    // Every transaction below the snapshot's xmin has ended: its rows are visible now, or never will be.
    const horizon = (
      await client.query<{ h: number }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS h')
    ).rows[0]!.h
    const marks = new Map(
      (
        await client.query<{ source: string; txid: number; key: string }>(
          'SELECT source, last_txid AS txid, last_key AS key FROM analytics_watermarks'
        )
      ).rows.map((r) => [r.source, r])
    )
    if (!marks.has(FOLLOW_ON_FILLED)) await fillFollowOn(client)
    const read = async <R extends Positioned>(source: Source): Promise<R[]> => {
      const m = marks.get(source) ?? START[source]
      return (await client.query<R>(SOURCES[source], [m.txid, m.key, horizon, this.batchSize])).rows
    }
    const decisions = await read<DecisionIn & Positioned>('decisions')
    // Acceptances and events only once every decision below the horizon is read: each refers to an offer decided
    // before it, which must exist when it is counted (a backlog larger than a batch would otherwise lose them).
    const drained = decisions.length < this.batchSize
    const acceptances = drained ? await read<AcceptanceIn & Positioned>('acceptances') : []
    const events = drained ? await read<EventIn & Positioned>('events') : []
    const n = decisions.length + acceptances.length + events.length
    if (n === 0) return { n, horizon }

    const rows = new BatchRows()
    await rows.load(
      client,
      decisions.map((d) => d.referenceId),
      [
        ...decisions.flatMap((d) => (d.afterOfferId === null ? [] : [d.afterOfferId])),
        ...acceptances.map((a) => a.offerId),
        ...events.map((e) => e.offerId)
      ]
    )
    // The checkouts this batch may insert (not stored yet) start with their customer's orders stored so far.
    await rows.prefetchFollowOn(
      client,
      decisions.flatMap((d) =>
        d.ruleId === null || d.customerId === null || rows.unit(d.referenceId, d.ruleId) !== undefined
          ? []
          : [{ ...d, customerId: d.customerId, currency: d.currency ?? '' }]
      )
    )
    const core = new ConsumerCore(rows)
    // Order matters within a batch: decisions create the units and offers that acceptances and events refer to.
    for (const d of decisions) core.decision(d)
    for (const a of acceptances) core.acceptance(a)
    for (const e of events) core.event(e)
    await rows.save(client, core.deltas.values())

    const moved = (
      [
        ['decisions', decisions],
        ['acceptances', acceptances],
        ['events', events]
      ] as const
    ).flatMap(([source, list]) => (list.length === 0 ? [] : [[source, list[list.length - 1]!] as const]))
    await client.query(
      `INSERT INTO analytics_watermarks (source, last_txid, last_key)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
       ON CONFLICT (source) DO UPDATE SET last_txid = excluded.last_txid, last_key = excluded.last_key`,
      [moved.map(([s]) => s), moved.map(([, r]) => r.txid), moved.map(([, r]) => r.key)]
    )
    return { n, horizon }
  }
}
