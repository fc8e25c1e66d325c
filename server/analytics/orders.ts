// Reconciles Shopify's order webhooks with our acceptances: the added line's amount, net of refunds, confirms revenue.
// The logic is written once over a few row operations (OrderRows): SQLite prepared statements here, rows loaded per
// delivery on PostgreSQL (postgres-orders.ts).
import type Database from 'better-sqlite3'
import { AnalyticsConsumer } from './consumer.js'

export const ORDER_TOPICS = ['ORDERS_CREATE', 'ORDERS_UPDATED', 'REFUNDS_CREATE'] as const
export type OrderTopic = (typeof ORDER_TOPICS)[number]

/** Why part of a delivery was not counted; stored in analytics_skipped and logged. */
export type SkipReason =
  'accepted_line_missing' | 'currency_mismatch' | 'refund_order_unknown' | 'refund_line_unknown' | 'amount_invalid'

export type Reconciliation = { confirmed: number; refunds: number; skipped: { reason: SkipReason; detail: string }[] }

type Obj = Record<string, unknown>
export type OrderOfferRow = {
  offerId: string
  currency: string
  variantId: number | null
  quantity: number | null
  orderId: string | null
  lineId: string | null
  lineAmount: number | null
}

/** Thrown for a payload that is not an order or refund at all (400, Shopify's retry will not fix it either). */
export class OrderPayloadError extends Error {}

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {})
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : [])

/** Shopify ids arrive as JSON numbers or numeric strings; we store the decimal string. */
function idOf(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  if (typeof v === 'string' && /^\d{1,30}$/.test(v)) return v
  return null
}

/** A decimal amount, or null when absent or not a number. */
function amountOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN
  return Number.isFinite(n) ? n : null
}

/** `x_set.shop_money` in the shop's currency, falling back to the plain field (also the shop's currency). */
function shopMoney(o: Obj, field: string): { amount: number | null; currency: string | null } {
  const set = obj(obj(o[`${field}_set`]).shop_money)
  const currency = typeof set.currency_code === 'string' ? set.currency_code : null
  return { amount: amountOf(set.amount ?? o[field]), currency }
}

/** The line's amount: price × quantity less its discount allocations, in the shop's currency. */
function lineAmount(line: Obj): { amount: number | null; currency: string | null } {
  const price = shopMoney(line, 'price')
  const quantity = typeof line.quantity === 'number' ? line.quantity : null
  if (price.amount === null || quantity === null) return { amount: null, currency: price.currency }
  let discount = 0
  const allocations = list(line.discount_allocations)
  if (allocations.length > 0) for (const a of allocations) discount += shopMoney(a, 'amount').amount ?? 0
  else discount = shopMoney(line, 'total_discount').amount ?? 0
  return { amount: Math.round((price.amount * quantity - discount) * 1e6) / 1e6, currency: price.currency }
}

/** The row operations the reconciliation needs, synchronous (see ConsumerRows). */
export type OrderRows = {
  /** Whether the shop has a checkout (a unit) with this reference id. */
  isCheckout(shop: string, referenceId: string): boolean
  upsertOrder(o: {
    shop: string
    orderId: string
    referenceId: string | null
    customerId: string | null
    currency: string
    total: number
    createdAt: number
    now: number
  }): void
  /** The stored order, or undefined when no webhook stored it yet. */
  order(shop: string, orderId: string): { referenceId: string | null } | undefined
  /** The checkout's accepted offers, oldest acceptance first. */
  acceptedOffers(shop: string, referenceId: string): OrderOfferRow[]
  offerByLine(shop: string, orderId: string, lineId: string): OrderOfferRow | undefined
  linkOffer(orderId: string, lineId: string, lineAmount: number, confirmed: number, offerId: string): void
  /** Records a refund line unless recorded already; true when this call recorded it. */
  insertRefundLine(
    shop: string,
    refundLineId: string,
    orderId: string,
    lineId: string,
    amount: number,
    at: number
  ): boolean
  /** Refunded so far of one line. */
  refunded(shop: string, lineId: string): number
  skip(
    shop: string,
    webhookId: string,
    topic: string,
    orderId: string | null,
    reason: SkipReason,
    detail: string,
    at: number
  ): void
}

function prepare(sqlite: Database.Database) {
  return {
    matchCheckout: sqlite.prepare<[string, string], { referenceId: string }>(
      'SELECT reference_id AS referenceId FROM analytics_checkout_rules WHERE shop = ? AND reference_id = ? LIMIT 1'
    ),
    upsertOrder: sqlite.prepare(
      `INSERT INTO analytics_orders (shop, order_id, reference_id, customer_id, currency, total, created_at, updated_at)
       VALUES (@shop, @orderId, @referenceId, @customerId, @currency, @total, @createdAt, @now)
       ON CONFLICT (shop, order_id) DO UPDATE SET reference_id = COALESCE(excluded.reference_id, reference_id),
         customer_id = COALESCE(excluded.customer_id, customer_id), currency = excluded.currency,
         total = excluded.total, updated_at = excluded.updated_at`
    ),
    order: sqlite.prepare<[string, string], { referenceId: string | null }>(
      'SELECT reference_id AS referenceId FROM analytics_orders WHERE shop = ? AND order_id = ?'
    ),
    acceptedOffers: sqlite.prepare<[string, string], OrderOfferRow>(
      `SELECT offer_id AS offerId, currency, variant_id AS variantId, quantity, order_id AS orderId, line_id AS lineId,
              line_amount AS lineAmount
       FROM analytics_offers WHERE shop = ? AND reference_id = ? AND accepted_at IS NOT NULL ORDER BY accepted_at`
    ),
    offerByLine: sqlite.prepare<[string, string, string], OrderOfferRow>(
      `SELECT offer_id AS offerId, currency, variant_id AS variantId, quantity, order_id AS orderId, line_id AS lineId,
              line_amount AS lineAmount
       FROM analytics_offers WHERE shop = ? AND order_id = ? AND line_id = ?`
    ),
    linkOffer: sqlite.prepare(
      'UPDATE analytics_offers SET order_id = ?, line_id = ?, line_amount = ?, confirmed = ? WHERE offer_id = ?'
    ),
    insertRefundLine: sqlite.prepare(
      `INSERT INTO analytics_refund_lines (shop, refund_line_id, order_id, line_id, amount, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
    ),
    refunded: sqlite.prepare<[string, string], { total: number | null }>(
      'SELECT SUM(amount) AS total FROM analytics_refund_lines WHERE shop = ? AND line_id = ?'
    ),
    skip: sqlite.prepare(
      `INSERT INTO analytics_skipped (shop, webhook_id, topic, order_id, reason, detail, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`
    )
  }
}

/** The reconciliation's row operations as SQLite prepared statements. */
function sqliteOrderRows(sqlite: Database.Database): OrderRows {
  const q = prepare(sqlite)
  return {
    isCheckout: (shop, referenceId) => q.matchCheckout.get(shop, referenceId) !== undefined,
    upsertOrder: (o) => void q.upsertOrder.run(o),
    order: (shop, orderId) => q.order.get(shop, orderId),
    acceptedOffers: (shop, referenceId) => q.acceptedOffers.all(shop, referenceId),
    offerByLine: (shop, orderId, lineId) => q.offerByLine.get(shop, orderId, lineId),
    linkOffer: (orderId, lineId, lineAmount, confirmed, offerId) =>
      void q.linkOffer.run(orderId, lineId, lineAmount, confirmed, offerId),
    insertRefundLine: (shop, refundLineId, orderId, lineId, amount, at) =>
      q.insertRefundLine.run(shop, refundLineId, orderId, lineId, amount, at).changes === 1,
    refunded: (shop, lineId) => q.refunded.get(shop, lineId)?.total ?? 0,
    skip: (shop, webhookId, topic, orderId, reason, detail, at) =>
      void q.skip.run(shop, webhookId, topic, orderId, reason, detail, at)
  }
}

/** The ids an order may name its checkout by, in the order they are tried. */
export function checkoutCandidates(payload: unknown): string[] {
  const p = obj(payload)
  return [p.checkout_token, p.token, p.checkout_id, p.cart_token, p.id, p.confirmation_number]
    .map((v) => (typeof v === 'string' ? v : idOf(v)))
    .filter((v): v is string => v !== null && v !== '')
}

/**
 * Every line and refund line id a delivery names (order lines, refund lines and the lines they refund): what a
 * reconciliation may read of analytics_refund_lines.
 */
export function deliveryLineIds(payload: unknown): { lineIds: string[]; refundLineIds: string[] } {
  const p = obj(payload)
  const lineIds = new Set<string>()
  const refundLineIds = new Set<string>()
  const add = (set: Set<string>, v: unknown) => {
    const id = idOf(v)
    if (id !== null) set.add(id)
  }
  for (const l of list(p.line_items)) add(lineIds, l.id)
  for (const refund of [p, ...list(p.refunds)])
    for (const rl of list(refund.refund_line_items)) {
      add(refundLineIds, rl.id)
      add(lineIds, rl.line_item_id)
      add(lineIds, obj(rl.line_item).id)
    }
  return { lineIds: [...lineIds], refundLineIds: [...refundLineIds] }
}

/** The order a delivery is about: the order itself, or the refunded one. */
export function deliveryOrderId(topic: OrderTopic, payload: unknown): string | null {
  const p = obj(payload)
  return idOf(topic === 'REFUNDS_CREATE' ? p.order_id : p.id)
}

export type OrderDelivery = { topic: OrderTopic; shop: string; webhookId: string; payload: unknown; now: number }

/**
 * Applies one verified, first-time order delivery. Call inside the transaction that records the delivery id, after
 * the consumer caught up (so every acceptance is known). Idempotent per line: a line's amount is set, never added, and
 * each refund line counts once whatever delivery carries it.
 */
export class OrderReconciler {
  /**
   * `refresh` recomputes the revenue of the unit an offer belongs to (the consumer's logic) once its confirmed amount
   * changed. `followOn` recomputes the follow-on of the checkouts an order stored or changed counts for (its customer's
   * in the 30 days before it), once the order is stored.
   */
  constructor(
    private readonly rows: OrderRows,
    private readonly refresh: (offerId: string) => void,
    private readonly followOn: (shop: string, orderId: string) => void
  ) {}

  /** On SQLite: prepared statements on the service's file, and the SQLite consumer's refresh. */
  static sqlite(sqlite: Database.Database): OrderReconciler {
    const consumer = new AnalyticsConsumer(sqlite)
    return new OrderReconciler(
      sqliteOrderRows(sqlite),
      (offerId) => consumer.refreshRevenue(offerId),
      (shop, orderId) => consumer.refreshFollowOn(shop, orderId)
    )
  }

  /** Throws OrderPayloadError when the body is not an order (or a refund) at all. */
  static check(topic: OrderTopic, payload: unknown): void {
    const p = obj(payload)
    if (topic === 'REFUNDS_CREATE') {
      if (idOf(p.order_id) === null) throw new OrderPayloadError('order_id is missing')
    } else if (idOf(p.id) === null) throw new OrderPayloadError('the order id is missing')
  }

  apply(d: OrderDelivery): Reconciliation {
    const out: Reconciliation = { confirmed: 0, refunds: 0, skipped: [] }
    const skip = (orderId: string | null, reason: SkipReason, detail: string) => {
      out.skipped.push({ reason, detail })
      this.rows.skip(d.shop, d.webhookId, d.topic, orderId, reason, detail, d.now)
    }
    const p = obj(d.payload)
    if (d.topic === 'REFUNDS_CREATE') {
      this.applyRefund(d, p, out, skip)
      return out
    }
    const orderId = idOf(p.id)!
    const referenceId = this.checkoutOf(d.shop, p)
    const currency = typeof p.currency === 'string' ? p.currency : ''
    const total = shopMoney(p, 'current_total_price').amount ?? shopMoney(p, 'total_price').amount ?? 0
    const created = typeof p.created_at === 'string' ? Date.parse(p.created_at) : NaN
    this.rows.upsertOrder({
      shop: d.shop,
      orderId,
      referenceId,
      customerId: idOf(obj(p.customer).id),
      currency,
      total,
      createdAt: Number.isFinite(created) ? created : d.now,
      now: d.now
    })
    this.followOn(d.shop, orderId)
    // Refunds the order already carries count like refunds/create ones (once per refund line id).
    for (const refund of list(p.refunds)) this.applyRefund(d, { ...refund, order_id: orderId }, out, skip, false)
    if (referenceId === null) return out

    const lines = list(p.line_items)
    const offers = this.rows.acceptedOffers(d.shop, referenceId)
    const claimed = new Set(offers.filter((o) => o.orderId === orderId && o.lineId !== null).map((o) => o.lineId))
    for (const offer of offers) {
      let line: Obj | undefined
      if (offer.orderId === orderId && offer.lineId !== null) {
        line = lines.find((l) => idOf(l.id) === offer.lineId)
        if (line === undefined) continue // this delivery does not list it: keep what an earlier one stated
      } else if (offer.orderId === null) {
        // The added line: the offered variant, not already another offer's; the newest line if several match.
        const candidates = lines
          .filter((l) => idOf(l.variant_id) === String(offer.variantId) && !claimed.has(idOf(l.id)))
          .sort((a, b) => (BigInt(idOf(b.id) ?? '0') > BigInt(idOf(a.id) ?? '0') ? 1 : -1))
        line = candidates[0]
        if (line === undefined) {
          skip(orderId, 'accepted_line_missing', `offer ${offer.offerId}: no line of variant ${offer.variantId} yet`)
          continue
        }
      } else continue // confirmed by another order of the same checkout
      const lineId = idOf(line.id)
      const amount = lineAmount(line)
      const lineCurrency = amount.currency ?? currency
      if (lineCurrency !== offer.currency) {
        skip(
          orderId,
          'currency_mismatch',
          `offer ${offer.offerId}: line in ${lineCurrency}, checkout in ${offer.currency}`
        )
        continue
      }
      if (amount.amount === null || lineId === null) {
        skip(orderId, 'amount_invalid', `offer ${offer.offerId}: the line has no usable price or id`)
        continue
      }
      claimed.add(lineId)
      this.confirm(offer.offerId, d.shop, orderId, lineId, amount.amount)
      out.confirmed++
    }
    return out
  }

  /** The order's checkout among ours: Shopify names it by checkout token, order token or ids; ours by reference id. */
  private checkoutOf(shop: string, p: Obj): string | null {
    for (const c of checkoutCandidates(p)) if (this.rows.isCheckout(shop, c)) return c
    return null
  }

  private confirm(offerId: string, shop: string, orderId: string, lineId: string, amount: number): void {
    const refunded = this.rows.refunded(shop, lineId)
    this.rows.linkOffer(orderId, lineId, amount, Math.max(0, amount - refunded), offerId)
    this.refresh(offerId)
  }

  private applyRefund(
    d: OrderDelivery,
    refund: Obj,
    out: Reconciliation,
    skip: (orderId: string | null, reason: SkipReason, detail: string) => void,
    reportUnknown = true
  ): void {
    const orderId = idOf(refund.order_id)!
    const known = this.rows.order(d.shop, orderId)
    for (const rl of list(refund.refund_line_items)) {
      const refundLineId = idOf(rl.id)
      const lineId = idOf(rl.line_item_id) ?? idOf(obj(rl.line_item).id)
      const amount = shopMoney(rl, 'subtotal')
      if (refundLineId === null || lineId === null || amount.amount === null) {
        if (reportUnknown) skip(orderId, 'amount_invalid', `refund line ${String(rl.id)} has no id, line or subtotal`)
        continue
      }
      const offer = this.rows.offerByLine(d.shop, orderId, lineId)
      if (offer && amount.currency !== null && amount.currency !== offer.currency) {
        skip(
          orderId,
          'currency_mismatch',
          `refund line ${refundLineId} in ${amount.currency}, checkout in ${offer.currency}`
        )
        continue
      }
      // Recorded even for lines that are not ours: a later orders/updated may link the line, and must see the refund.
      const fresh = this.rows.insertRefundLine(d.shop, refundLineId, orderId, lineId, amount.amount, d.now)
      if (!fresh) continue
      if (!offer) {
        if (reportUnknown) {
          skip(
            orderId,
            known ? 'refund_line_unknown' : 'refund_order_unknown',
            `refund line ${refundLineId} of line ${lineId}: not a line Encore added`
          )
        }
        continue
      }
      out.refunds++
      this.confirm(offer.offerId, d.shop, orderId, lineId, offer.lineAmount ?? 0)
    }
  }
}
