// The Shopify integration's tables in the SQLite file (one instance, or processes on one machine sharing the file):
// synchronous underneath (better-sqlite3), async to match the seam; a delivery and its effect in one IMMEDIATE
// transaction.
import type Database from 'better-sqlite3'
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/open-database.js'
import { acceptances, decisions, events } from '../db/schema.js'
import { shopifyDataRequests, shopifySessions, shopifyShops, shopifyWebhookDeliveries } from './schema.js'
import { sessionFromRow, sessionToRow, type SessionRow } from './session-storage.js'
import { installedShop, redactedShop, rescopedShop, uninstalledShop } from './shops.js'
import { customerIdForms, redactCustomer, redactShop } from './redaction.js'
import { buildDataRequestReport } from './data-request.js'
import { keepDecisionsReadable } from '../analytics/consumer.js'
import type { Session } from '@shopify/shopify-api'
import type {
  CustomerRows,
  DataRequestRow,
  DeliveryEffect,
  DeliveryRecord,
  EffectResult,
  ShopifyStore,
  ShopState
} from './store.js'

const SHOP_COLUMNS = {
  domain: shopifyShops.domain,
  scopes: shopifyShops.scopes,
  installedAt: shopifyShops.installedAt,
  uninstalledAt: shopifyShops.uninstalledAt,
  redactedAt: shopifyShops.redactedAt
}

export class SqliteShopifyStore implements ShopifyStore {
  // Prepared once: the catalog reads a session before each Admin API call.
  private readonly sessionById
  private readonly sessionsByShop

  constructor(
    private readonly db: Db,
    private readonly sqlite: Database.Database
  ) {
    this.sessionById = db
      .select()
      .from(shopifySessions)
      .where(eq(shopifySessions.id, sql.placeholder('id')))
      .prepare()
    this.sessionsByShop = db
      .select()
      .from(shopifySessions)
      .where(eq(shopifySessions.shop, sql.placeholder('shop')))
      .prepare()
  }

  async storeSession(session: Session): Promise<boolean> {
    const row = sessionToRow(session, Date.now())
    this.db.insert(shopifySessions).values(row).onConflictDoUpdate({ target: shopifySessions.id, set: row }).run()
    return true
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = this.sessionById.get({ id }) as SessionRow | undefined
    return row ? sessionFromRow(row) : undefined
  }

  async deleteSession(id: string): Promise<boolean> {
    this.db.delete(shopifySessions).where(eq(shopifySessions.id, id)).run()
    return true
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    if (ids.length) this.db.delete(shopifySessions).where(inArray(shopifySessions.id, ids)).run()
    return true
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return (this.sessionsByShop.all({ shop }) as SessionRow[]).map(sessionFromRow)
  }

  async shops(): Promise<ShopState[]> {
    return this.db.select(SHOP_COLUMNS).from(shopifyShops).all()
  }

  async shop(domain: string): Promise<ShopState | undefined> {
    return this.shopSync(domain)
  }

  private shopSync(domain: string): ShopState | undefined {
    return this.db.select(SHOP_COLUMNS).from(shopifyShops).where(eq(shopifyShops.domain, domain)).get()
  }

  private writeShop(state: ShopState, now: number): ShopState {
    const row = { ...state, updatedAt: now }
    this.db.insert(shopifyShops).values(row).onConflictDoUpdate({ target: shopifyShops.domain, set: row }).run()
    return state
  }

  async markInstalled(domain: string, scopes: string | null, now: number): Promise<ShopState> {
    return this.writeShop(installedShop(domain, scopes, now), now)
  }

  async processDelivery(d: DeliveryRecord, effect: DeliveryEffect): Promise<EffectResult | null> {
    return this.sqlite
      .transaction((): EffectResult | null => {
        const fresh = this.db.insert(shopifyWebhookDeliveries).values(d).onConflictDoNothing().run().changes === 1
        return fresh ? this.apply(d, effect) : null
      })
      .immediate()
  }

  private apply(d: DeliveryRecord, effect: DeliveryEffect): EffectResult {
    const { shop, receivedAt: now } = d
    switch (effect.kind) {
      case 'uninstalled': {
        const sessions = this.db.delete(shopifySessions).where(eq(shopifySessions.shop, shop)).run().changes
        return { removed: { sessions }, shop: this.writeShop(uninstalledShop(this.shopSync(shop), shop, now), now) }
      }
      case 'scopes': {
        if (effect.scopes === null) return {}
        this.db
          .update(shopifySessions)
          .set({ scope: effect.scopes, updatedAt: now })
          .where(eq(shopifySessions.shop, shop))
          .run()
        const next = rescopedShop(this.shopSync(shop), effect.scopes, now)
        return next ? { shop: this.writeShop(next, now) } : {}
      }
      case 'data-request': {
        const report = buildDataRequestReport(
          this.customerRows(shop, effect.customerId),
          { shop, customerId: effect.customerId, requestId: effect.requestId, ordersRequested: effect.ordersRequested },
          new Date(now)
        )
        this.db
          .insert(shopifyDataRequests)
          .values({
            webhookId: d.webhookId,
            shop,
            customerId: effect.customerId,
            requestId: report.requestId,
            report: JSON.stringify(report),
            createdAt: now
          })
          .run()
        return { report }
      }
      case 'redact-customer': {
        const removed = redactCustomer(this.db, shop, effect.customerId)
        keepDecisionsReadable(this.sqlite) // the analytics consumer's watermark follows the deleted rows
        return { removed }
      }
      case 'redact-shop': {
        const removed = redactShop(this.db, shop, d.webhookId)
        keepDecisionsReadable(this.sqlite)
        return { removed, shop: this.writeShop(redactedShop(this.shopSync(shop), shop, now), now) }
      }
      case 'order':
        return { reconciled: effect.apply() }
    }
  }

  private customerRows(shop: string, customerId: string): CustomerRows {
    const ids = customerIdForms(customerId)
    return {
      decisions: this.db
        .select()
        .from(decisions)
        .where(and(eq(decisions.shopDomain, shop), inArray(decisions.customerId, ids)))
        .orderBy(asc(decisions.createdAt))
        .all(),
      acceptances: this.db
        .select()
        .from(acceptances)
        .where(and(eq(acceptances.shopDomain, shop), inArray(acceptances.customerId, ids)))
        .orderBy(asc(acceptances.createdAt))
        .all(),
      events: this.db
        .select()
        .from(events)
        .where(and(eq(events.shopDomain, shop), inArray(events.customerId, ids)))
        .orderBy(asc(events.createdAt))
        .all()
    }
  }

  async pruneDeliveries(olderThan: number): Promise<number> {
    return this.db.delete(shopifyWebhookDeliveries).where(lt(shopifyWebhookDeliveries.receivedAt, olderThan)).run()
      .changes
  }

  async dataRequests(opts: { shop: string | null; limit: number }): Promise<DataRequestRow[]> {
    return this.db
      .select()
      .from(shopifyDataRequests)
      .where(opts.shop === null ? undefined : eq(shopifyDataRequests.shop, opts.shop))
      .orderBy(desc(shopifyDataRequests.createdAt), desc(shopifyDataRequests.id))
      .limit(opts.limit)
      .all()
  }
}
