// Processes verified webhooks (uninstall, scopes update, the three compliance topics, orders) exactly once per
// X-Shopify-Webhook-Id, whichever instances receive it: the store records the id and runs the effect in one
// transaction.
import type { ShopRegistry } from './shops.js'
import type { RedactionCounts } from './redaction.js'
import type { DataRequestReport } from './data-request.js'
import type { DeliveryEffect, ShopifyStore } from './store.js'
import { ShopifyWebhookInvalid } from '../errors.js'
import {
  ORDER_TOPICS,
  OrderPayloadError,
  OrderReconciler,
  type OrderDelivery,
  type OrderTopic,
  type Reconciliation
} from '../analytics/orders.js'

/** Topics as @shopify/shopify-api normalises them (`app/uninstalled` → `APP_UNINSTALLED`). */
export const HANDLED_TOPICS = [
  'APP_UNINSTALLED',
  'APP_SCOPES_UPDATE',
  'CUSTOMERS_DATA_REQUEST',
  'CUSTOMERS_REDACT',
  'SHOP_REDACT',
  // Order webhooks confirm the revenue of accepted offers (server/analytics/orders.ts).
  ...ORDER_TOPICS
] as const
export type HandledTopic = (typeof HANDLED_TOPICS)[number]

export type WebhookDelivery = { topic: string; shop: string; webhookId: string; payload: unknown }

export type WebhookOutcome =
  | { status: 'duplicate' }
  | { status: 'ignored'; topic: string }
  | {
      status: 'processed'
      topic: HandledTopic
      removed?: RedactionCounts
      report?: DataRequestReport
      reconciled?: Reconciliation
    }

export type WebhookDeps = {
  /** Where the delivery ids and the Shopify tables live (SQLite, or the PostgreSQL every instance shares). */
  store: ShopifyStore
  shops: ShopRegistry
  /** Commits the offer service's queued writes first, so a row queued before a redaction cannot land after it. */
  flushWrites: () => void
  /** In-memory state to drop after the commit (catalog cache, API clients). */
  forgetShop: (shop: string) => void
  forgetCustomer: (shop: string, customerId: string) => void
  /** Reconciles order webhooks with acceptances; without it (no analytics) order topics are acknowledged, ignored. */
  orders?: OrderReconciler
  /** Brings the analytics tables up to date first, so every acceptance answered before the webhook is known. */
  catchUpAnalytics?: () => void
  now?: () => number
  /**
   * Rows the store's transaction does not cover (on PostgreSQL, the analytics tables, redacted under their consumer's
   * lease): deleted once the offer rows are gone, so the consumer cannot read a deleted row back in; run for a
   * duplicate too, so Shopify's retry after a failure here finishes the job (idempotent).
   */
  redactElsewhere?: (target: RedactionTarget) => unknown
  /**
   * PostgreSQL: order webhooks are recorded (their delivery id, in the same shopify_webhook_deliveries) and reconciled
   * on the shared database, where the analytics tables are (server/analytics/postgres-orders.ts). Resolves null for a
   * duplicate delivery.
   */
  sharedOrders?: (delivery: OrderDelivery) => Promise<Reconciliation | null>
}

export type RedactionTarget = { shop: string; customerId: string | null }

const isOrderTopic = (topic: string): topic is OrderTopic => (ORDER_TOPICS as readonly string[]).includes(topic)

type Obj = Record<string, unknown>

function asObj(v: unknown): Obj {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ShopifyWebhookInvalid('the body is not a JSON object')
  return v as Obj
}

/** The customer id of a compliance payload, as the offer service stores it (a decimal string). */
function customerIdOf(p: Obj): string {
  const id = (p.customer as Obj | undefined)?.id
  if ((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && /^\d+$/.test(id)))
    return String(id)
  throw new ShopifyWebhookInvalid('customer.id is missing')
}

function numbers(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []
}

/**
 * The HMAC covers the body but not the headers: where the body names the shop, it must agree with
 * X-Shopify-Shop-Domain, or a captured body could be replayed against another shop.
 */
function checkShop(topic: string, shop: string, p: Obj): void {
  const named = topic === 'APP_UNINSTALLED' ? p.myshopify_domain : p.shop_domain
  if (typeof named === 'string' && named !== shop)
    throw new ShopifyWebhookInvalid(`the body names shop ${named}, the header ${shop}`)
}

/** The order topics on PostgreSQL (deps.sharedOrders); null for everything processWebhook handles. */
export async function processSharedOrderWebhook(
  deps: WebhookDeps,
  delivery: WebhookDelivery
): Promise<WebhookOutcome | null> {
  const topic = delivery.topic
  if (!deps.sharedOrders || !isOrderTopic(topic)) return null
  const p = asObj(delivery.payload)
  checkShop(topic, delivery.shop, p)
  try {
    OrderReconciler.check(topic, p)
  } catch (err) {
    if (err instanceof OrderPayloadError) throw new ShopifyWebhookInvalid(err.message)
    throw err
  }
  const now = deps.now?.() ?? Date.now()
  const reconciled = await deps.sharedOrders({
    topic,
    shop: delivery.shop,
    webhookId: delivery.webhookId,
    payload: p,
    now
  })
  return reconciled === null ? { status: 'duplicate' } : { status: 'processed', topic, reconciled }
}

export async function processWebhook(deps: WebhookDeps, delivery: WebhookDelivery): Promise<WebhookOutcome> {
  const now = deps.now?.() ?? Date.now()
  const topic = delivery.topic as HandledTopic
  if (!HANDLED_TOPICS.includes(topic)) return { status: 'ignored', topic: delivery.topic }
  const p = asObj(delivery.payload)
  checkShop(topic, delivery.shop, p)
  const shop = delivery.shop
  if (isOrderTopic(topic) && !deps.orders) return { status: 'ignored', topic }
  const effect = effectOf(deps, delivery, topic, p, now) // validates the payload before anything is recorded

  deps.flushWrites()
  if (isOrderTopic(topic)) deps.catchUpAnalytics?.()
  // The delivery id is recorded in the same transaction as the effect: either both happen, or Shopify's retry does
  // them. Whichever instance records it first processes it; the others answer `duplicate`.
  const result = await deps.store.processDelivery(
    { webhookId: delivery.webhookId, topic, shop, receivedAt: now },
    effect
  )
  if (effect.kind === 'redact-customer') await deps.redactElsewhere?.({ shop, customerId: effect.customerId })
  if (effect.kind === 'redact-shop') await deps.redactElsewhere?.({ shop, customerId: null })
  if (!result) return { status: 'duplicate' }
  // Memory follows the committed row only.
  if (result.shop) deps.shops.remember(result.shop)
  if (topic === 'APP_UNINSTALLED' || topic === 'SHOP_REDACT') deps.forgetShop(shop)
  if (effect.kind === 'redact-customer') deps.forgetCustomer(shop, effect.customerId)
  const { shop: _shop, ...outcome } = result
  return { status: 'processed', topic, ...outcome }
}

function effectOf(
  deps: WebhookDeps,
  delivery: WebhookDelivery,
  topic: HandledTopic,
  p: Obj,
  now: number
): DeliveryEffect {
  switch (topic) {
    case 'APP_UNINSTALLED':
      return { kind: 'uninstalled' }
    case 'APP_SCOPES_UPDATE':
      return {
        kind: 'scopes',
        scopes: Array.isArray(p.current) ? p.current.filter((s): s is string => typeof s === 'string').join(',') : null
      }
    case 'CUSTOMERS_DATA_REQUEST': {
      const requestId = (p.data_request as Obj | undefined)?.id
      return {
        kind: 'data-request',
        customerId: customerIdOf(p),
        requestId: requestId === undefined || requestId === null ? null : String(requestId),
        ordersRequested: numbers(p.orders_requested)
      }
    }
    case 'CUSTOMERS_REDACT':
      return { kind: 'redact-customer', customerId: customerIdOf(p) }
    case 'SHOP_REDACT':
      return { kind: 'redact-shop' }
    case 'ORDERS_CREATE':
    case 'ORDERS_UPDATED':
    case 'REFUNDS_CREATE': {
      try {
        OrderReconciler.check(topic, p)
      } catch (err) {
        if (err instanceof OrderPayloadError) throw new ShopifyWebhookInvalid(err.message)
        throw err
      }
      const orders = deps.orders!
      return {
        kind: 'order',
        apply: () => orders.apply({ topic, shop: delivery.shop, webhookId: delivery.webhookId, payload: p, now })
      }
    }
  }
}
