// The Shopify integration's storage seam: OAuth sessions, installed shops, processed webhook deliveries and
// data-request reports, on SQLite (sqlite-store.ts) or on the PostgreSQL every instance shares (postgres-store.ts).
import type { Session } from '@shopify/shopify-api'
import type { DataRequestReport } from './data-request.js'
import type { RedactionCounts } from './redaction.js'
import type { Reconciliation } from '../analytics/orders.js'

/** The interface Shopify's session adapters implement (@shopify/shopify-app-session-storage), on our tables. */
export interface SessionStorage {
  storeSession(session: Session): Promise<boolean>
  loadSession(id: string): Promise<Session | undefined>
  deleteSession(id: string): Promise<boolean>
  deleteSessions(ids: string[]): Promise<boolean>
  findSessionsByShop(shop: string): Promise<Session[]>
}

/** A shopify_shops row. `uninstalledAt` set: its checkouts get no offers; `redactedAt`: only a tombstone is left. */
export type ShopState = {
  domain: string
  scopes: string | null
  /** Null when the shop is known only from a webhook (it installed before this database existed). */
  installedAt: number | null
  uninstalledAt: number | null
  redactedAt: number | null
}

export type DeliveryRecord = { webhookId: string; topic: string; shop: string; receivedAt: number }

/**
 * What a first-time delivery does, decided (and its payload validated) before the database is touched; the store runs
 * it in the transaction that records the delivery id, so either both happen or Shopify's retry does them.
 */
export type DeliveryEffect =
  | { kind: 'uninstalled' }
  | { kind: 'scopes'; scopes: string | null }
  | { kind: 'data-request'; customerId: string; requestId: string | null; ordersRequested: number[] }
  | { kind: 'redact-customer'; customerId: string }
  | { kind: 'redact-shop' }
  /** Order webhooks: the analytics reconciler, synchronous (it writes the roll-ups' SQLite file). */
  | { kind: 'order'; apply: () => Reconciliation }

/** What the effect did. `shop`: the shop's row as committed, when the effect changed it (the registry copies it). */
export type EffectResult = {
  removed?: RedactionCounts
  report?: DataRequestReport
  reconciled?: Reconciliation
  shop?: ShopState
}

/** A stored customers/data_request report as read back (the report as JSON text). */
export type DataRequestRow = {
  id: number
  webhookId: string
  shop: string
  customerId: string
  requestId: string | null
  report: string
  createdAt: number
}

/** The rows a data-request report lists, as both databases return them. */
export type CustomerRows = {
  decisions: {
    referenceId: string
    createdAt: number
    ruleId: string | null
    arm: string | null
    offer: string | null
    answer: string | null
  }[]
  acceptances: { referenceId: string; createdAt: number; ruleId: string; variantId: number; quantity: number }[]
  events: { referenceId: string; createdAt: number; type: string; status: string | null; amount: string | null }[]
}

/**
 * Every method is async, whatever the database. The guarantees live in the database: a delivery id is recorded once
 * (its primary key), whichever instance inserts it first runs the effect, and a concurrent insert of the same id
 * waits for that transaction and then finds it.
 */
export interface ShopifyStore extends SessionStorage {
  /** Every shop's row (one per shop that ever installed or sent a webhook): the registry's refresh. */
  shops(): Promise<ShopState[]>
  shop(domain: string): Promise<ShopState | undefined>
  /** OAuth completed: a first install, a reinstall after uninstalling, or new scopes granted. */
  markInstalled(domain: string, scopes: string | null, now: number): Promise<ShopState>
  /** Records the delivery and runs `effect` in one transaction; null when the id was recorded before (a duplicate). */
  processDelivery(delivery: DeliveryRecord, effect: DeliveryEffect): Promise<EffectResult | null>
  /** Forgets delivery ids received before `olderThan`; returns how many went. */
  pruneDeliveries(olderThan: number): Promise<number>
  /** Stored data-request reports, newest first (same millisecond: latest id first). */
  dataRequests(opts: { shop: string | null; limit: number }): Promise<DataRequestRow[]>
}
