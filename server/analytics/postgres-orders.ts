// Order webhooks on PostgreSQL: the delivery id recorded and its reconciliation applied in one transaction, under the
// consumer's lease (it changes the same units, offers and roll-ups), with the shared logic of orders.ts run on the rows
// the delivery names, loaded up front.
import type pg from 'pg'
import { AnalyticsBehind } from '../errors.js'
import { ConsumerCore, type Unit } from './consumer.js'
import { FOLLOW_ON_MS } from './follow-on.js'
import { followOnWhere } from './follow-on-upkeep.js'
import {
  OrderReconciler,
  checkoutCandidates,
  deliveryLineIds,
  deliveryOrderId,
  type OrderDelivery,
  type OrderOfferRow,
  type OrderRows,
  type Reconciliation,
  type SkipReason
} from './orders.js'
import {
  BatchRows,
  UNIT_COLUMNS_OF,
  type PostgresConsumer,
  type Queryable,
  withConsumerLease
} from './postgres-consumer.js'

type Order = Parameters<OrderRows['upsertOrder']>[0]
type RefundLine = { shop: string; refundLineId: string; orderId: string; lineId: string; amount: number; at: number }
type Skip = {
  shop: string
  webhookId: string
  topic: string
  orderId: string | null
  reason: SkipReason
  detail: string
  at: number
}

/** How long an order webhook waits for the transactions running when it arrived: Shopify waits 5 s for the answer. */
const ORDER_DRAIN_MS = 3_000

const k2 = (a: string, b: string) => `${a}\u0000${b}`

/** The reconciliation's row operations on rows loaded for one delivery; `save` writes what changed. */
class DeliveryRows implements OrderRows {
  private readonly checkouts = new Set<string>()
  private readonly orders = new Map<string, { referenceId: string | null }>()
  private readonly refundLines = new Map<string, RefundLine>()
  private readonly newOrders: Order[] = []
  private readonly newRefundLines: RefundLine[] = []
  private readonly skips: Skip[] = []

  constructor(readonly batch: BatchRows) {}

  async load(client: Queryable, d: OrderDelivery): Promise<void> {
    const orderId = deliveryOrderId(d.topic, d.payload)
    const { lineIds, refundLineIds } = deliveryLineIds(d.payload)
    const [matched, order, linked, refunds] = await Promise.all([
      client.query<{ ref: string }>(
        `SELECT DISTINCT reference_id AS ref FROM analytics_checkout_rules
         WHERE shop = $1 AND reference_id = ANY($2::text[])`,
        [d.shop, checkoutCandidates(d.payload)]
      ),
      client.query<{ ref: string | null }>(
        'SELECT reference_id AS ref FROM analytics_orders WHERE shop = $1 AND order_id = $2',
        [d.shop, orderId]
      ),
      client.query<{ id: string }>('SELECT offer_id AS id FROM analytics_offers WHERE shop = $1 AND order_id = $2', [
        d.shop,
        orderId
      ]),
      client.query<RefundLine>(
        `SELECT shop, refund_line_id AS "refundLineId", order_id AS "orderId", line_id AS "lineId", amount,
           created_at AS at
         FROM analytics_refund_lines
         WHERE shop = $1 AND (refund_line_id = ANY($2::text[]) OR line_id = ANY($3::text[]))`,
        [d.shop, refundLineIds, lineIds]
      )
    ])
    for (const m of matched.rows) this.checkouts.add(k2(d.shop, m.ref))
    if (order.rows[0] && orderId !== null) this.orders.set(k2(d.shop, orderId), { referenceId: order.rows[0].ref })
    for (const r of refunds.rows) this.refundLines.set(k2(r.shop, r.refundLineId), r)
    await this.batch.load(
      client,
      matched.rows.map((m) => m.ref),
      linked.rows.map((o) => o.id)
    )
  }

  isCheckout(shop: string, referenceId: string): boolean {
    return this.checkouts.has(k2(shop, referenceId))
  }

  upsertOrder(o: Order): void {
    const prev = this.orders.get(k2(o.shop, o.orderId))
    this.orders.set(k2(o.shop, o.orderId), { referenceId: o.referenceId ?? prev?.referenceId ?? null })
    this.newOrders.push(o)
  }

  order(shop: string, orderId: string): { referenceId: string | null } | undefined {
    return this.orders.get(k2(shop, orderId))
  }

  acceptedOffers(shop: string, referenceId: string): OrderOfferRow[] {
    return this.batch
      .offersOf(referenceId)
      .filter((o) => o.shop === shop && o.acceptedAt !== null)
      .sort((a, b) => a.acceptedAt! - b.acceptedAt!)
  }

  offerByLine(shop: string, orderId: string, lineId: string): OrderOfferRow | undefined {
    for (const o of this.batch.offers.values())
      if (o.shop === shop && o.orderId === orderId && o.lineId === lineId) return o
    return undefined
  }

  linkOffer(orderId: string, lineId: string, lineAmount: number, confirmed: number, offerId: string): void {
    const o = this.batch.offers.get(offerId)
    if (o) this.batch.setOffer({ ...o, orderId, lineId, lineAmount, confirmed })
  }

  insertRefundLine(shop: string, refundLineId: string, orderId: string, lineId: string, amount: number, at: number) {
    if (this.refundLines.has(k2(shop, refundLineId))) return false
    const row = { shop, refundLineId, orderId, lineId, amount, at }
    this.refundLines.set(k2(shop, refundLineId), row)
    this.newRefundLines.push(row)
    return true
  }

  refunded(shop: string, lineId: string): number {
    let total = 0
    for (const r of this.refundLines.values()) if (r.shop === shop && r.lineId === lineId) total += r.amount
    return total
  }

  skip(
    shop: string,
    webhookId: string,
    topic: string,
    orderId: string | null,
    reason: SkipReason,
    detail: string,
    at: number
  ) {
    this.skips.push({ shop, webhookId, topic, orderId, reason, detail, at })
  }

  /** Orders (in delivery order: a later statement of the same order wins), refund lines and skips. */
  async save(client: Queryable): Promise<void> {
    for (const o of this.newOrders)
      await client.query(
        `INSERT INTO analytics_orders (shop, order_id, reference_id, customer_id, currency, total, created_at,
           updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (shop, order_id) DO UPDATE SET
           reference_id = COALESCE(excluded.reference_id, analytics_orders.reference_id),
           customer_id = COALESCE(excluded.customer_id, analytics_orders.customer_id), currency = excluded.currency,
           total = excluded.total, updated_at = excluded.updated_at`,
        [o.shop, o.orderId, o.referenceId, o.customerId, o.currency, o.total, o.createdAt, o.now]
      )
    for (const r of this.newRefundLines)
      await client.query(
        `INSERT INTO analytics_refund_lines (shop, refund_line_id, order_id, line_id, amount, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [r.shop, r.refundLineId, r.orderId, r.lineId, r.amount, r.at]
      )
    for (const s of this.skips)
      await client.query(
        `INSERT INTO analytics_skipped (shop, webhook_id, topic, order_id, reason, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [s.shop, s.webhookId, s.topic, s.orderId, s.reason, s.detail, s.at]
      )
  }
}

/**
 * After orders were stored or changed: recomputes the follow-on of their customer's checkouts in the 30 days before
 * each (the only ones an order can count for) and writes the differences to the units and their roll-ups.
 */
async function refreshFollowOn(client: Queryable, shop: string, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return
  const { rows } = await client.query<Unit & { customerId: string | null; nextOrders: number; nextRevenue: number }>(
    `SELECT DISTINCT ON (c.reference_id, c.rule_id) ${UNIT_COLUMNS_OF('c')}, l.orders AS "nextOrders",
       l.revenue AS "nextRevenue"
     FROM analytics_orders x JOIN analytics_checkout_rules c ON c.shop = x.shop AND c.customer_id = x.customer_id
       AND c.created_at <= x.created_at AND c.created_at > x.created_at - ${FOLLOW_ON_MS}
     CROSS JOIN LATERAL (SELECT COUNT(*)::int AS orders, COALESCE(SUM(o.total), 0) AS revenue
       FROM analytics_orders o WHERE ${followOnWhere('IS DISTINCT FROM')}) l
     WHERE x.shop = $1 AND x.order_id = ANY($2::text[])`,
    [shop, orderIds]
  )
  if (rows.length === 0) return
  const batch = new BatchRows()
  batch.addUnits(rows.map(({ nextOrders: _o, nextRevenue: _r, ...unit }) => unit))
  const core = new ConsumerCore(batch)
  for (const r of rows)
    core.setFollowOn(batch.unit(r.referenceId, r.ruleId)!, { orders: r.nextOrders, revenue: r.nextRevenue })
  await batch.save(client, core.deltas.values())
}

/**
 * Records the delivery id (shopify_webhook_deliveries, shared by every instance) and applies the delivery, in one
 * transaction: a redelivery, to this instance or another, finds the id and changes nothing. The consumer catches up
 * first, under the same lease, so every acceptance answered before the webhook is known (or 503 ANALYTICS_BEHIND
 * when a transaction older than the webhook is still running after ORDER_DRAIN_MS, within Shopify's 5 s). Null: a
 * duplicate.
 */
export async function applyOrderPostgres(
  pool: pg.Pool,
  consumer: PostgresConsumer,
  d: OrderDelivery
): Promise<Reconciliation | null> {
  return withConsumerLease(pool, true, async (client) => {
    // Its checkout and acceptances were committed before the order existed, but maybe not read yet (see drain).
    if (!(await consumer.drain(client, ORDER_DRAIN_MS)).done) throw new AnalyticsBehind()
    await client.query('BEGIN')
    try {
      const fresh = await client.query(
        `INSERT INTO shopify_webhook_deliveries (webhook_id, topic, shop, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [d.webhookId, d.topic, d.shop, d.now]
      )
      if (fresh.rowCount !== 1) {
        await client.query('ROLLBACK')
        return null
      }
      const batch = new BatchRows()
      const rows = new DeliveryRows(batch)
      await rows.load(client, d)
      const core = new ConsumerCore(batch)
      const stored: string[] = []
      const outcome = new OrderReconciler(
        rows,
        (offerId) => core.refresh(offerId),
        (_shop, orderId) => void stored.push(orderId)
      ).apply(d)
      await batch.save(client, core.deltas.values())
      await rows.save(client)
      await refreshFollowOn(client, d.shop, stored)
      await client.query('COMMIT')
      return outcome
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    }
  })
}
