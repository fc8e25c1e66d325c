// Deletes what we hold about a customer or a whole shop in a SQLite file, across the offer service's tables, ours and
// the analytics roll-ups (PostgreSQL: postgres-store.ts).
import { and, eq, inArray, ne, sql } from 'drizzle-orm'
import { acceptances, checkoutFacts, checkouts, decisions, events } from '../db/schema.js'
import { shopifyDataRequests, shopifySessions, shopifyWebhookDeliveries } from './schema.js'
import {
  analyticsCheckoutRules,
  analyticsDaily,
  analyticsHourly,
  analyticsOffers,
  analyticsOrders,
  analyticsRefundLines,
  analyticsSkipped
} from '../analytics/schema.js'
import type { Db } from '../db/open-database.js'
import { forgetFollowOnSql } from '../analytics/follow-on-upkeep.js'

export type RedactionCounts = Record<string, number>

/**
 * Checkouts carry the customer id as a number, a numeric string or (unconfirmed) a GID: the offer service stores it as
 * it came.
 */
export function customerIdForms(customerId: string): string[] {
  return [customerId, `gid://shopify/Customer/${customerId}`]
}

/** customers/redact: every checkout, decision, acceptance, event and data-request report of that customer there. */
export function redactCustomer(db: Db, shop: string, customerId: string): RedactionCounts {
  const ids = customerIdForms(customerId)
  return {
    decisions: db
      .delete(decisions)
      .where(and(eq(decisions.shopDomain, shop), inArray(decisions.customerId, ids)))
      .run().changes,
    // The checkout facts (the cart, the address country, the customer id as Shopify sent them), then the checkouts.
    checkoutFacts: db
      .delete(checkoutFacts)
      .where(
        inArray(
          checkoutFacts.referenceId,
          db
            .select({ ref: checkouts.referenceId })
            .from(checkouts)
            .where(and(eq(checkouts.shopDomain, shop), inArray(checkouts.customerId, ids)))
        )
      )
      .run().changes,
    checkouts: db
      .delete(checkouts)
      .where(and(eq(checkouts.shopDomain, shop), inArray(checkouts.customerId, ids)))
      .run().changes,
    acceptances: db
      .delete(acceptances)
      .where(and(eq(acceptances.shopDomain, shop), inArray(acceptances.customerId, ids)))
      .run().changes,
    events: db
      .delete(events)
      .where(and(eq(events.shopDomain, shop), inArray(events.customerId, ids)))
      .run().changes,
    dataRequests: db
      .delete(shopifyDataRequests)
      .where(and(eq(shopifyDataRequests.shop, shop), eq(shopifyDataRequests.customerId, customerId)))
      .run().changes,
    ...redactCustomerAnalytics(db, shop, customerId)
  }
}

/** Analytics keep the counts and amounts (no personal data) but forget whose checkouts and orders they were. */
export function redactCustomerAnalytics(db: Db, shop: string, customerId: string): RedactionCounts {
  const ids = customerIdForms(customerId)
  // Their checkouts become guests: their follow-on leaves the roll-ups before the customer id goes.
  const theirs = and(eq(analyticsCheckoutRules.shop, shop), inArray(analyticsCheckoutRules.customerId, ids))!
  for (const text of forgetFollowOnSql('\u0001')) {
    const [before, after] = text.split('\u0001') as [string, string]
    db.run(sql.join([sql.raw(before), theirs, sql.raw(after)]))
  }
  return {
    analyticsCheckouts: db
      .update(analyticsCheckoutRules)
      .set({ customerId: null })
      .where(and(eq(analyticsCheckoutRules.shop, shop), inArray(analyticsCheckoutRules.customerId, ids)))
      .run().changes,
    analyticsOrders: db
      .update(analyticsOrders)
      .set({ customerId: null })
      .where(and(eq(analyticsOrders.shop, shop), inArray(analyticsOrders.customerId, ids)))
      .run().changes
  }
}

/** shop/redact in the analytics tables: every roll-up and order row of the shop. */
export function redactShopAnalytics(db: Db, shop: string): RedactionCounts {
  return {
    analytics:
      db.delete(analyticsCheckoutRules).where(eq(analyticsCheckoutRules.shop, shop)).run().changes +
      db.delete(analyticsOffers).where(eq(analyticsOffers.shop, shop)).run().changes +
      db.delete(analyticsHourly).where(eq(analyticsHourly.shop, shop)).run().changes +
      db.delete(analyticsDaily).where(eq(analyticsDaily.shop, shop)).run().changes +
      db.delete(analyticsOrders).where(eq(analyticsOrders.shop, shop)).run().changes +
      db.delete(analyticsRefundLines).where(eq(analyticsRefundLines.shop, shop)).run().changes +
      db.delete(analyticsSkipped).where(eq(analyticsSkipped.shop, shop)).run().changes
  }
}

/**
 * shop/redact: every row of the shop. The delivery record of this very webhook stays (a redelivery must stay a
 * no-op), and the shops table keeps a tombstone (see ShopRegistry.markRedacted).
 */
export function redactShop(db: Db, shop: string, keepWebhookId: string): RedactionCounts {
  return {
    decisions: db.delete(decisions).where(eq(decisions.shopDomain, shop)).run().changes,
    checkoutFacts: db
      .delete(checkoutFacts)
      .where(
        inArray(
          checkoutFacts.referenceId,
          db.select({ ref: checkouts.referenceId }).from(checkouts).where(eq(checkouts.shopDomain, shop))
        )
      )
      .run().changes,
    checkouts: db.delete(checkouts).where(eq(checkouts.shopDomain, shop)).run().changes,
    acceptances: db.delete(acceptances).where(eq(acceptances.shopDomain, shop)).run().changes,
    events: db.delete(events).where(eq(events.shopDomain, shop)).run().changes,
    sessions: db.delete(shopifySessions).where(eq(shopifySessions.shop, shop)).run().changes,
    dataRequests: db.delete(shopifyDataRequests).where(eq(shopifyDataRequests.shop, shop)).run().changes,
    ...redactShopAnalytics(db, shop),
    webhookDeliveries: db
      .delete(shopifyWebhookDeliveries)
      .where(and(eq(shopifyWebhookDeliveries.shop, shop), ne(shopifyWebhookDeliveries.webhookId, keepWebhookId)))
      .run().changes
  }
}
