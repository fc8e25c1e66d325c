// Processes verified webhooks (uninstall, scopes update, the three compliance topics) exactly once per
// X-Shopify-Webhook-Id.
import type Database from 'better-sqlite3'
import { eq, lt } from 'drizzle-orm'
import { shopifyDataRequests, shopifySessions, shopifyWebhookDeliveries } from './schema.js'
import type { Db } from './session-storage.js'
import type { ShopRegistry } from './shops.js'
import { redactCustomer, redactShop, type RedactionCounts } from './redaction.js'
import { buildDataRequestReport, type DataRequestReport } from './data-request.js'
import { ShopifyWebhookInvalid } from '../errors.js'
import {
  ORDER_TOPICS,
  OrderPayloadError,
  OrderReconciler,
  type OrderDelivery,
  type OrderTopic,
  type Reconciliation
} from '../analytics/orders.js'
import { keepDecisionsReadable } from '../analytics/consumer.js'

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
  db: Db
  sqlite: Database.Database
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
   * PostgreSQL: deletes the offer service's rows on the shared database before the delivery is recorded here, so a
   * failure there is a 5xx and Shopify's retry does it again (the deletes are idempotent).
   */
  redactShared?: (target: RedactionTarget) => Promise<unknown>
  /**
   * PostgreSQL: order webhooks are recorded (their delivery id) and reconciled on the shared database, where the
   * analytics tables are (server/analytics/postgres-orders.ts). Resolves null for a duplicate delivery.
   */
  sharedOrders?: (delivery: OrderDelivery) => Promise<Reconciliation | null>
}

export type RedactionTarget = { shop: string; customerId: string | null }

/** For customers/redact and shop/redact: the validated shop and customer; null for every other topic. */
export function redactionTarget(delivery: WebhookDelivery): RedactionTarget | null {
  if (delivery.topic !== 'CUSTOMERS_REDACT' && delivery.topic !== 'SHOP_REDACT') return null
  const p = asObj(delivery.payload)
  checkShop(delivery.topic, delivery.shop, p)
  return { shop: delivery.shop, customerId: delivery.topic === 'CUSTOMERS_REDACT' ? customerIdOf(p) : null }
}

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

export function processWebhook(deps: WebhookDeps, delivery: WebhookDelivery): WebhookOutcome {
  const now = deps.now?.() ?? Date.now()
  const topic = delivery.topic as HandledTopic
  if (!HANDLED_TOPICS.includes(topic)) return { status: 'ignored', topic: delivery.topic }
  const p = asObj(delivery.payload)
  checkShop(topic, delivery.shop, p)
  const shop = delivery.shop
  if (topic === 'CUSTOMERS_DATA_REQUEST' || topic === 'CUSTOMERS_REDACT') customerIdOf(p) // fail before recording the delivery
  if (isOrderTopic(topic)) {
    if (!deps.orders) return { status: 'ignored', topic }
    try {
      OrderReconciler.check(topic, p)
    } catch (err) {
      if (err instanceof OrderPayloadError) throw new ShopifyWebhookInvalid(err.message)
      throw err
    }
  }

  deps.flushWrites()
  if (isOrderTopic(topic)) deps.catchUpAnalytics?.()
  let outcome: WebhookOutcome
  try {
    outcome = record(deps, delivery, topic, p, now)
  } catch (err) {
    deps.shops.reload(shop) // the registry's memory may have run ahead of a rolled-back transaction
    throw err
  }
  if (outcome.status === 'processed') {
    if (topic === 'APP_UNINSTALLED' || topic === 'SHOP_REDACT') deps.forgetShop(shop)
    if (topic === 'CUSTOMERS_REDACT') deps.forgetCustomer(shop, customerIdOf(p))
  }
  return outcome
}

function record(
  deps: WebhookDeps,
  delivery: WebhookDelivery,
  topic: HandledTopic,
  p: Obj,
  now: number
): WebhookOutcome {
  const shop = delivery.shop
  // The delivery id is recorded in the same transaction as the effect: either both happen, or Shopify's retry does
  // them.
  return deps.sqlite
    .transaction((): WebhookOutcome => {
      const fresh =
        deps.db
          .insert(shopifyWebhookDeliveries)
          .values({ webhookId: delivery.webhookId, topic, shop, receivedAt: now })
          .onConflictDoNothing()
          .run().changes === 1
      if (!fresh) return { status: 'duplicate' }
      switch (topic) {
        case 'APP_UNINSTALLED': {
          const sessions = deps.db.delete(shopifySessions).where(eq(shopifySessions.shop, shop)).run().changes
          deps.shops.markUninstalled(shop, now)
          return { status: 'processed', topic, removed: { sessions } }
        }
        case 'APP_SCOPES_UPDATE': {
          const current = Array.isArray(p.current)
            ? p.current.filter((s): s is string => typeof s === 'string').join(',')
            : null
          if (current !== null) {
            deps.db
              .update(shopifySessions)
              .set({ scope: current, updatedAt: now })
              .where(eq(shopifySessions.shop, shop))
              .run()
            const prev = deps.shops.get(shop)
            if (prev && prev.uninstalledAt === null) deps.shops.markInstalled(shop, current, prev.installedAt ?? now)
          }
          return { status: 'processed', topic }
        }
        case 'CUSTOMERS_DATA_REQUEST': {
          const customerId = customerIdOf(p)
          const requestId = (p.data_request as Obj | undefined)?.id
          const report = buildDataRequestReport(
            deps.db,
            {
              shop,
              customerId,
              requestId: requestId === undefined || requestId === null ? null : String(requestId),
              ordersRequested: numbers(p.orders_requested)
            },
            new Date(now)
          )
          deps.db
            .insert(shopifyDataRequests)
            .values({
              webhookId: delivery.webhookId,
              shop,
              customerId,
              requestId: report.requestId,
              report: JSON.stringify(report),
              createdAt: now
            })
            .run()
          return { status: 'processed', topic, report }
        }
        case 'CUSTOMERS_REDACT': {
          const customerId = customerIdOf(p)
          const removed = redactCustomer(deps.db, shop, customerId)
          keepDecisionsReadable(deps.sqlite)
          return { status: 'processed', topic, removed }
        }
        case 'SHOP_REDACT': {
          const removed = redactShop(deps.db, shop, delivery.webhookId)
          keepDecisionsReadable(deps.sqlite)
          deps.shops.markRedacted(shop, now)
          return { status: 'processed', topic, removed }
        }
        case 'ORDERS_CREATE':
        case 'ORDERS_UPDATED':
        case 'REFUNDS_CREATE': {
          const reconciled = deps.orders!.apply({ topic, shop, webhookId: delivery.webhookId, payload: p, now })
          return { status: 'processed', topic, reconciled }
        }
      }
    })
    .immediate()
}

/** Shopify retries a delivery for 48 hours: ids older than a week can go. Returns how many went. */
export function pruneDeliveries(db: Db, olderThan: number): number {
  return db.delete(shopifyWebhookDeliveries).where(lt(shopifyWebhookDeliveries.receivedAt, olderThan)).run().changes
}
