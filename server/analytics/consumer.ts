// Keeps the analytics tables up to date: reads the rows added to decisions, acceptances and events since a watermark.
// The logic (ConsumerCore) is written once over a few row operations (ConsumerRows); SQLite runs them as prepared
// statements here, PostgreSQL on rows loaded per batch (postgres-consumer.ts).
import type Database from 'better-sqlite3'
import { DECISION_CURRENCY_SQL } from './checkout-currency.js'
import { FOLLOW_ON_MS } from './follow-on.js'
import { FOLLOW_ON_FILLED, fillUnitsSql, followOnWhere, rollupFollowOnSql } from './follow-on-upkeep.js'

const HOUR = 3_600_000
const BATCH = 5000

export type DecisionIn = {
  rid: number
  id: string
  referenceId: string
  shop: string
  customerId: string | null
  ruleId: string | null
  arm: string | null
  holdout: number
  offer: number
  afterOfferId: string | null
  afterOutcome: string | null
  currency: string | null
  /** The page the decision was made for: 'post_purchase' | 'thank_you'. */
  surface: string
  createdAt: number
}
export type AcceptanceIn = { id: number; offerId: string; variantId: number; quantity: number; createdAt: number }
export type EventIn = { id: number; offerId: string; type: string; amount: string | null }
export type Unit = {
  referenceId: string
  ruleId: string
  shop: string
  arm: string
  holdout: number
  currency: string
  createdAt: number
  offered: number
  viewed: number
  accepted: number
  declined: number
  applied: number
  confirmed: number
  revenue: number
  revenueConfirmed: number
  /** 1 when the checkout has a customer id (the follow-on question measures only those), else 0. */
  customer: number
  /** The customer's later orders (see analytics_checkout_rules.follow_orders) and their totals. */
  followOrders: number
  followRevenue: number
}

/** The follow-on of one checkout: its customer's later orders and their totals. */
export type FollowOnSums = { orders: number; revenue: number }
/** What a checkout's follow-on depends on. */
export type FollowOnOf = {
  shop: string
  customerId: string
  referenceId: string
  currency: string
  createdAt: number
}
export const followOnKeyOf = (f: FollowOnOf) =>
  `${f.shop}\u0000${f.customerId}\u0000${f.referenceId}\u0000${f.currency}\u0000${f.createdAt}`

/** A unit as SQLite reads it back (`c` is analytics_checkout_rules). */
const UNIT_SQL = `c.reference_id AS referenceId, c.rule_id AS ruleId, c.shop, c.arm, c.holdout, c.currency,
  c.created_at AS createdAt, c.offered, c.viewed, c.accepted, c.declined, c.applied, c.confirmed, c.revenue,
  c.revenue_confirmed AS revenueConfirmed, c.customer_id IS NOT NULL AS customer, c.follow_orders AS followOrders,
  c.follow_revenue AS followRevenue`

type Counts = {
  checkouts: number
  offers: number
  views: number
  accepts: number
  declines: number
  applied: number
  confirmed: number
}

/** The difference a batch of changes makes to one roll-up row (an hour, and the day it is in). */
export type RollupRow = Counts & {
  shop: string
  ruleId: string
  arm: string
  currency: string
  hour: number
  day: number
  holdout: number
  revenue: number
  revenueSq: number
  revenueConfirmed: number
  followCustomers: number
  followOrders: number
  followRevenue: number
  followRevenueSq: number
}

const DAY = 86_400_000

export const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR
export const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY

/** Adds one unit's change to a roll-up row (hourly or daily: the same sums, keyed by a different time column). */
function bumpSql(table: 'analytics_hourly' | 'analytics_daily', time: 'hour' | 'day'): string {
  return `INSERT INTO ${table} (shop, rule_id, arm, currency, ${time}, holdout, checkouts, offers, views, accepts,
       declines, applied, confirmed, revenue, revenue_sq, revenue_confirmed, follow_customers, follow_orders,
       follow_revenue, follow_revenue_sq)
     VALUES (@shop, @ruleId, @arm, @currency, @${time}, @holdout, @checkouts, @offers, @views, @accepts, @declines,
       @applied, @confirmed, @revenue, @revenueSq, @revenueConfirmed, @followCustomers, @followOrders, @followRevenue,
       @followRevenueSq)
     ON CONFLICT (shop, rule_id, arm, currency, ${time}) DO UPDATE SET
       holdout = MAX(holdout, excluded.holdout),
       checkouts = checkouts + excluded.checkouts, offers = offers + excluded.offers, views = views + excluded.views,
       accepts = accepts + excluded.accepts, declines = declines + excluded.declines,
       applied = applied + excluded.applied, confirmed = confirmed + excluded.confirmed,
       revenue = revenue + excluded.revenue, revenue_sq = revenue_sq + excluded.revenue_sq,
       revenue_confirmed = revenue_confirmed + excluded.revenue_confirmed,
       follow_customers = follow_customers + excluded.follow_customers,
       follow_orders = follow_orders + excluded.follow_orders, follow_revenue = follow_revenue + excluded.follow_revenue,
       follow_revenue_sq = follow_revenue_sq + excluded.follow_revenue_sq`
}

/** What a unit was before a change (nothing, for a new one): bump adds the difference. */
type Before = Pick<Unit, 'revenue' | 'revenueConfirmed' | 'customer' | 'followOrders' | 'followRevenue'>
const NOTHING: Before = { revenue: 0, revenueConfirmed: 0, customer: 0, followOrders: 0, followRevenue: 0 }

/** An offer as the consumer reads it back. */
export type OfferRef = { referenceId: string; ruleId: string; reported: number | null }
export type OfferSums = { revenue: number | null; confirmed: number | null; appliedN: number; confirmedN: number }

/** The row operations the consumer's logic needs, synchronous: prepared statements, or rows loaded for a batch. */
export type ConsumerRows = {
  unit(referenceId: string, ruleId: string): Unit | undefined
  /** Inserts the unit unless it exists; true when inserted. */
  insertUnit(unit: Unit & { customerId: string | null }): boolean
  updateUnit(unit: Unit): void
  offer(offerId: string): OfferRef | undefined
  insertOffer(
    offerId: string,
    referenceId: string,
    ruleId: string,
    shop: string,
    currency: string,
    surface: string
  ): void
  acceptOffer(variantId: number, quantity: number, acceptedAt: number, offerId: string): void
  /** Sets the first reported amount; true when this call set it. */
  reportOffer(amount: number, offerId: string): boolean
  offerSums(referenceId: string, ruleId: string): OfferSums | undefined
  /** The follow-on of a checkout the consumer is about to insert, from the orders stored so far. */
  followOn(f: FollowOnOf): FollowOnSums
}

function prepare(sqlite: Database.Database) {
  return {
    watermark: sqlite.prepare<[string], { lastId: number }>(
      'SELECT last_id AS lastId FROM analytics_watermarks WHERE source = ?'
    ),
    setWatermark: sqlite.prepare(
      'INSERT INTO analytics_watermarks (source, last_id) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET last_id = excluded.last_id'
    ),
    decisions: sqlite.prepare<[number, number], DecisionIn>(
      `SELECT d.rowid AS rid, d.id, d.reference_id AS referenceId, d.shop_domain AS shop, d.customer_id AS customerId,
              d.rule_id AS ruleId, d.arm, d.holdout, d.offer IS NOT NULL AS offer, d.after_offer_id AS afterOfferId,
              d.after_outcome AS afterOutcome, ${DECISION_CURRENCY_SQL} AS currency, d.surface,
              d.created_at AS createdAt
       FROM decisions d WHERE d.rowid > ? ORDER BY d.rowid LIMIT ?`
    ),
    acceptances: sqlite.prepare<[number, number], AcceptanceIn>(
      `SELECT id, offer_id AS offerId, variant_id AS variantId, quantity, created_at AS createdAt
       FROM acceptances WHERE id > ? ORDER BY id LIMIT ?`
    ),
    events: sqlite.prepare<[number, number], EventIn>(
      'SELECT id, offer_id AS offerId, type, amount FROM events WHERE id > ? ORDER BY id LIMIT ?'
    ),
    bumpHour: sqlite.prepare(bumpSql('analytics_hourly', 'hour')),
    bumpDay: sqlite.prepare(bumpSql('analytics_daily', 'day')),
    followOnOfOrder: sqlite.prepare<[string, string], Unit & { nextOrders: number; nextRevenue: number }>(
      `SELECT ${UNIT_SQL},
         (SELECT COUNT(*) FROM analytics_orders o WHERE ${followOnWhere('IS NOT')}) AS nextOrders,
         (SELECT COALESCE(SUM(o.total), 0) FROM analytics_orders o WHERE ${followOnWhere('IS NOT')}) AS nextRevenue
       FROM analytics_orders x JOIN analytics_checkout_rules c ON c.shop = x.shop AND c.customer_id = x.customer_id
         AND c.created_at <= x.created_at AND c.created_at > x.created_at - ${FOLLOW_ON_MS}
       WHERE x.shop = ? AND x.order_id = ?`
    )
  }
}

/** The consumer's row operations as SQLite prepared statements. */
function sqliteRows(sqlite: Database.Database): ConsumerRows {
  const unit = sqlite.prepare<[string, string], Unit>(
    `SELECT ${UNIT_SQL} FROM analytics_checkout_rules c WHERE reference_id = ? AND rule_id = ?`
  )
  const insertUnit = sqlite.prepare(
    `INSERT INTO analytics_checkout_rules (reference_id, rule_id, shop, arm, holdout, currency, customer_id, created_at,
       offered, viewed, accepted, declined, applied, confirmed, revenue, revenue_confirmed, follow_orders,
       follow_revenue)
     VALUES (@referenceId, @ruleId, @shop, @arm, @holdout, @currency, @customerId, @createdAt,
       @offered, 0, 0, 0, 0, 0, 0, 0, @followOrders, @followRevenue)
     ON CONFLICT DO NOTHING`
  )
  const updateUnit = sqlite.prepare(
    `UPDATE analytics_checkout_rules SET offered = @offered, viewed = @viewed, accepted = @accepted,
       declined = @declined, applied = @applied, confirmed = @confirmed, revenue = @revenue,
       revenue_confirmed = @revenueConfirmed, follow_orders = @followOrders, follow_revenue = @followRevenue
     WHERE reference_id = @referenceId AND rule_id = @ruleId`
  )
  const offer = sqlite.prepare<[string], OfferRef>(
    'SELECT reference_id AS referenceId, rule_id AS ruleId, reported FROM analytics_offers WHERE offer_id = ?'
  )
  const insertOffer = sqlite.prepare(
    `INSERT INTO analytics_offers (offer_id, reference_id, rule_id, shop, currency, surface)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
  )
  const acceptOffer = sqlite.prepare(
    'UPDATE analytics_offers SET variant_id = ?, quantity = ?, accepted_at = ? WHERE offer_id = ? AND accepted_at IS NULL'
  )
  const reportOffer = sqlite.prepare('UPDATE analytics_offers SET reported = ? WHERE offer_id = ? AND reported IS NULL')
  const offerSums = sqlite.prepare<[string, string], OfferSums>(
    `SELECT SUM(COALESCE(confirmed, reported, 0)) AS revenue, SUM(COALESCE(confirmed, 0)) AS confirmed,
            COUNT(reported) AS appliedN, COUNT(confirmed) AS confirmedN
     FROM analytics_offers WHERE reference_id = ? AND rule_id = ?`
  )
  const followOn = sqlite.prepare<FollowOnOf, FollowOnSums>(
    `SELECT COUNT(*) AS orders, COALESCE(SUM(o.total), 0) AS revenue FROM analytics_orders o
     WHERE ${followOnWhere('IS NOT', (x) => `@${x.replace(/_(\w)/g, (_, ch: string) => ch.toUpperCase())}`)}`
  )
  return {
    unit: (referenceId, ruleId) => unit.get(referenceId, ruleId),
    insertUnit: (u) => insertUnit.run(u).changes === 1,
    updateUnit: (u) => void updateUnit.run(u),
    offer: (offerId) => offer.get(offerId),
    insertOffer: (offerId, referenceId, ruleId, shop, currency, surface) =>
      void insertOffer.run(offerId, referenceId, ruleId, shop, currency, surface),
    acceptOffer: (variantId, quantity, acceptedAt, offerId) =>
      void acceptOffer.run(variantId, quantity, acceptedAt, offerId),
    reportOffer: (amount, offerId) => reportOffer.run(amount, offerId).changes === 1,
    offerSums: (referenceId, ruleId) => offerSums.get(referenceId, ruleId),
    followOn: (f) => followOn.get(f)!
  }
}

/**
 * The consumer's logic, for either database. Every change goes through `change(unit, next)`, which writes the unit
 * and adds the difference to its hour's and day's roll-ups (collected in `deltas` until the batch commits): the
 * roll-ups always equal the sum of the units.
 */
export class ConsumerCore {
  /**
   * Roll-up differences of the current transaction, summed per row key: one upsert per hour and day touched instead
   * of one per change (the consumer's main cost). The caller writes them before the transaction commits.
   */
  readonly deltas = new Map<string, RollupRow>()

  constructor(protected readonly rows: ConsumerRows) {}

  decision(d: DecisionIn): void {
    if (d.afterOfferId !== null && d.afterOutcome === 'declined') this.markOffer(d.afterOfferId, 'declined')
    if (d.ruleId === null) return
    const unit: Unit = {
      referenceId: d.referenceId,
      ruleId: d.ruleId,
      shop: d.shop,
      arm: d.arm ?? '',
      holdout: d.holdout ? 1 : 0,
      currency: d.currency ?? '',
      createdAt: d.createdAt,
      offered: d.offer ? 1 : 0,
      viewed: 0,
      accepted: 0,
      declined: 0,
      applied: 0,
      confirmed: 0,
      revenue: 0,
      revenueConfirmed: 0,
      customer: d.customerId === null ? 0 : 1,
      followOrders: 0,
      followRevenue: 0
    }
    // Most decisions are a checkout's first for the rule: try the insert, look up only when it already existed.
    if (this.rows.insertUnit({ ...unit, customerId: d.customerId })) {
      // A checkout read after some of its customer's later orders starts with them (the order webhooks keep it up to
      // date from then on: refreshFollowOn).
      if (d.customerId !== null) {
        const f = this.rows.followOn({ ...unit, customerId: d.customerId })
        if (f.orders !== 0 || f.revenue !== 0) {
          unit.followOrders = f.orders
          unit.followRevenue = f.revenue
          this.rows.updateUnit(unit)
        }
      }
      this.bump(
        unit,
        { checkouts: 1, offers: unit.offered, views: 0, accepts: 0, declines: 0, applied: 0, confirmed: 0 },
        NOTHING
      )
    } else if (d.offer) {
      const existing = this.rows.unit(d.referenceId, d.ruleId)!
      unit.currency = existing.currency
      if (!existing.offered) this.change(existing, { ...existing, offered: 1 })
    }
    if (d.offer) this.rows.insertOffer(d.id, d.referenceId, d.ruleId, d.shop, unit.currency, d.surface)
  }

  acceptance(a: AcceptanceIn): void {
    this.rows.acceptOffer(a.variantId, a.quantity, a.createdAt, a.offerId)
    this.markOffer(a.offerId, 'accepted')
  }

  event(e: EventIn): void {
    if (e.type === 'viewed') this.markOffer(e.offerId, 'viewed')
    else if (e.type === 'declined') this.markOffer(e.offerId, 'declined')
    else if (e.type === 'applied' && e.amount !== null) {
      const amount = Number(e.amount)
      // The first `applied` report of an offer counts; repeats and retries do not add to it.
      if (Number.isFinite(amount) && this.rows.reportOffer(amount, e.offerId)) this.refresh(e.offerId)
    }
  }

  /** Sets one flag of the unit an offer belongs to; a flag already set changes nothing (repeats never count twice). */
  private markOffer(offerId: string, flag: 'viewed' | 'accepted' | 'declined'): void {
    const offer = this.rows.offer(offerId)
    if (!offer) return
    const unit = this.rows.unit(offer.referenceId, offer.ruleId)
    if (!unit) return
    // An acceptance proves the offer was seen: a lost `viewed` event must not leave accepts above views (a rate > 1).
    const next = flag === 'accepted' ? { ...unit, accepted: 1, viewed: 1 } : { ...unit, [flag]: 1 }
    if (next.viewed === unit.viewed && next[flag] === unit[flag]) return
    this.change(unit, next)
  }

  /** Recomputes a unit's revenue from its offers (confirmed where Shopify confirmed, else reported) and writes it. */
  refresh(offerId: string): void {
    const offer = this.rows.offer(offerId)
    if (!offer) return
    const unit = this.rows.unit(offer.referenceId, offer.ruleId)
    if (!unit) return
    const sums = this.rows.offerSums(offer.referenceId, offer.ruleId)
    const next = {
      ...unit,
      revenue: sums?.revenue ?? 0,
      revenueConfirmed: sums?.confirmed ?? 0,
      applied: (sums?.appliedN ?? 0) > 0 ? 1 : 0,
      confirmed: (sums?.confirmedN ?? 0) > 0 ? 1 : 0
    }
    if (
      next.revenue === unit.revenue &&
      next.revenueConfirmed === unit.revenueConfirmed &&
      next.applied === unit.applied &&
      next.confirmed === unit.confirmed
    )
      return
    this.change(unit, next)
  }

  /** Sets a unit's follow-on (its customer's later orders, recomputed after an order changed) and writes it. */
  setFollowOn(unit: Unit, f: FollowOnSums): void {
    if (unit.followOrders === f.orders && unit.followRevenue === f.revenue) return
    this.change(unit, { ...unit, followOrders: f.orders, followRevenue: f.revenue })
  }

  private change(prev: Unit, next: Unit): void {
    this.rows.updateUnit(next)
    this.bump(
      next,
      {
        checkouts: 0,
        offers: next.offered - prev.offered,
        views: next.viewed - prev.viewed,
        accepts: next.accepted - prev.accepted,
        declines: next.declined - prev.declined,
        applied: next.applied - prev.applied,
        confirmed: next.confirmed - prev.confirmed
      },
      prev
    )
  }

  private bump(unit: Unit, counts: Counts, prev: Before): void {
    const hour = hourOf(unit.createdAt)
    const key = `${unit.shop}\u0000${unit.ruleId}\u0000${unit.arm}\u0000${unit.currency}\u0000${hour}`
    let row = this.deltas.get(key)
    if (row === undefined) {
      row = {
        shop: unit.shop,
        ruleId: unit.ruleId,
        arm: unit.arm,
        currency: unit.currency,
        hour,
        day: dayOf(unit.createdAt),
        holdout: unit.holdout,
        checkouts: 0,
        offers: 0,
        views: 0,
        accepts: 0,
        declines: 0,
        applied: 0,
        confirmed: 0,
        revenue: 0,
        revenueSq: 0,
        revenueConfirmed: 0,
        followCustomers: 0,
        followOrders: 0,
        followRevenue: 0,
        followRevenueSq: 0
      }
      this.deltas.set(key, row)
    }
    row.checkouts += counts.checkouts
    row.offers += counts.offers
    row.views += counts.views
    row.accepts += counts.accepts
    row.declines += counts.declines
    row.applied += counts.applied
    row.confirmed += counts.confirmed
    row.revenue += unit.revenue - prev.revenue
    row.revenueSq += unit.revenue * unit.revenue - prev.revenue * prev.revenue
    row.revenueConfirmed += unit.revenueConfirmed - prev.revenueConfirmed
    // The follow-on sums count checkouts with a customer only (a guest's follow-on is 0).
    row.followCustomers += unit.customer - prev.customer
    row.followOrders += unit.followOrders - prev.followOrders
    row.followRevenue += unit.followRevenue - prev.followRevenue
    row.followRevenueSq += unit.followRevenue * unit.followRevenue - prev.followRevenue * prev.followRevenue
  }
}

/**
 * Call in the transaction that deleted decisions (a redaction). The SQLite consumer reads decisions by rowid, and
 * SQLite hands the largest rowid + 1 to a new row: with the newest decisions gone, new ones would get rowids at or
 * below the watermark and never be read. Lowered to the largest rowid left (every row up to it is read already), it
 * reads them. Returns whether it moved.
 */
export function keepDecisionsReadable(sqlite: Database.Database): boolean {
  return (
    sqlite
      .prepare(
        `UPDATE analytics_watermarks SET last_id = (SELECT COALESCE(MAX(rowid), 0) FROM decisions)
         WHERE source = 'decisions' AND last_id > (SELECT COALESCE(MAX(rowid), 0) FROM decisions)`
      )
      .run().changes === 1
  )
}

/** The incremental consumer on SQLite: each batch of new rows in one IMMEDIATE transaction. */
export class AnalyticsConsumer {
  private readonly q: ReturnType<typeof prepare>
  private readonly sqlite: Database.Database
  private readonly core: ConsumerCore
  private filled = false

  constructor(
    sqlite: Database.Database,
    private readonly batchSize = BATCH
  ) {
    this.sqlite = sqlite
    this.q = prepare(sqlite)
    this.core = new ConsumerCore(sqliteRows(sqlite))
  }

  /** Reads everything new, in batches, each in one IMMEDIATE transaction; returns how many source rows it read. */
  catchUp(): number {
    if (!this.filled) {
      this.sqlite.transaction(() => this.fillFollowOn()).immediate()
      this.filled = true
    }
    let total = 0
    for (;;) {
      const n = this.sqlite.transaction(() => this.step()).immediate()
      total += n
      if (n === 0) return total
    }
  }

  /** Recomputes a unit's revenue from its offers (confirmed where Shopify confirmed, else reported) and writes it. */
  refreshRevenue(offerId: string): void {
    this.core.refresh(offerId)
    this.flushDeltas()
  }

  /**
   * After an order was stored or changed: recomputes the follow-on of its customer's checkouts in the 30 days before it
   * (the only ones it can count for) and writes the differences to the units and their roll-ups.
   */
  refreshFollowOn(shop: string, orderId: string): void {
    for (const u of this.q.followOnOfOrder.all(shop, orderId)) {
      const { nextOrders, nextRevenue, ...unit } = u
      this.core.setFollowOn(unit, { orders: nextOrders, revenue: nextRevenue })
    }
    this.flushDeltas()
  }

  /**
   * Once per file: checkouts stored before the follow-on columns existed get their follow-on, and the roll-ups its
   * sums (then the consumer and the order webhooks keep both up to date).
   */
  private fillFollowOn(): void {
    if (this.mark(FOLLOW_ON_FILLED) > 0) return
    this.sqlite.prepare(fillUnitsSql('IS NOT')).run()
    for (const text of rollupFollowOnSql('set', 'TRUE')) this.sqlite.prepare(text).run()
    this.q.setWatermark.run(FOLLOW_ON_FILLED, 1)
  }

  private step(): number {
    try {
      // Order matters within a batch: decisions create the units and offers that acceptances and events refer to.
      // Acceptances and events wait until every decision is read: a backlog larger than a batch (an upgrade, a copy)
      // would otherwise meet acceptances of offers not read yet, and lose them.
      const d = this.readDecisions()
      const n = d < this.batchSize ? d + this.readAcceptances() + this.readEvents() : d
      this.flushDeltas()
      return n
    } finally {
      this.core.deltas.clear() // a rolled-back batch leaves nothing behind for the next one
    }
  }

  private flushDeltas(): void {
    for (const row of this.core.deltas.values()) {
      this.q.bumpHour.run(row)
      this.q.bumpDay.run(row)
    }
    this.core.deltas.clear()
  }

  private mark(source: string): number {
    return this.q.watermark.get(source)?.lastId ?? 0
  }

  private readDecisions(): number {
    const rows = this.q.decisions.all(this.mark('decisions'), this.batchSize)
    for (const d of rows) this.core.decision(d)
    if (rows.length > 0) this.q.setWatermark.run('decisions', rows[rows.length - 1]!.rid)
    return rows.length
  }

  private readAcceptances(): number {
    const rows = this.q.acceptances.all(this.mark('acceptances'), this.batchSize)
    for (const a of rows) this.core.acceptance(a)
    if (rows.length > 0) this.q.setWatermark.run('acceptances', rows[rows.length - 1]!.id)
    return rows.length
  }

  private readEvents(): number {
    const rows = this.q.events.all(this.mark('events'), this.batchSize)
    for (const e of rows) this.core.event(e)
    if (rows.length > 0) this.q.setWatermark.run('events', rows[rows.length - 1]!.id)
    return rows.length
  }
}
