// The Thank-you page's order look-up: one Admin GraphQL query for the order, mapped to PaidOrder, within a deadline.
import type { OrderFailure, OrderLookup, PaidOrder } from '../plugins/shopify-default.js'
import type { AdminFailure, AdminGraphql } from './admin-graphql.js'
import { gid } from './catalog-queries.js'
import { ORDER_QUERY, orderNumericId, type OrderAnswer, type OrderNode } from './order-queries.js'

/** The scope order editing needs; without it an order is never `editable` (the page offers a checkout instead). */
export const ORDER_EDIT_SCOPE = 'write_order_edits'

/**
 * What the Thank-you routes tell the buyer's page about a failure, where the order edit and the checkout fallback say
 * the same; each adds its own wording for `not_found`, `scope_missing` and `timeout` (what was looked for, the scope
 * missing, and whether a retry is safe).
 */
export const FAILURE_MESSAGES = {
  no_session: 'The shop has not installed the app (no Admin API token).',
  throttled: 'Shopify is throttling this shop; try again shortly.',
  unavailable: 'Shopify is unavailable right now.',
  error: 'Shopify answered with an error.'
} satisfies Partial<Record<OrderFailure, string>>

/** How the client's failures read to the Thank-you routes. */
export function orderFailure(reason: AdminFailure): OrderFailure {
  switch (reason) {
    case 'access_denied':
      return 'scope_missing'
    // A refused token (HTTP 401/403) is as good as none: the shop must install again.
    case 'no_session':
    case 'denied':
      return 'no_session'
    case 'timeout':
    case 'throttled':
    case 'unavailable':
    case 'error':
      return reason
    // Calls paused after an outage or an empty cost bucket.
    case 'backoff':
      return 'unavailable'
  }
}

const numeric = (g: string | null | undefined): number | null => {
  const n = g ? Number(gid.numeric(g)) : NaN
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

/** The order as PaidOrder; `canEdit` says whether the shop granted order editing. */
export function toPaidOrder(node: OrderNode, canEdit: boolean): PaidOrder {
  const cancelled = node.cancelledAt !== null
  return {
    id: node.id,
    legacyId: String(node.legacyResourceId),
    name: node.name,
    confirmationNumber: node.confirmationNumber,
    createdAt: node.createdAt,
    customerId: numeric(node.customer?.id),
    cancelled,
    editable: canEdit && !cancelled && !node.closed && node.merchantEditable,
    currency: node.currencyCode,
    presentmentCurrency: node.presentmentCurrencyCode,
    // The current amounts: after edits and refunds (an earlier acceptance on this page included).
    subtotal: node.currentSubtotalPriceSet.shopMoney.amount,
    total: node.currentTotalPriceSet.shopMoney.amount,
    shippingCountry: node.shippingAddress?.countryCodeV2 ?? null,
    locale: node.customerLocale,
    lineItems: node.lineItems.nodes.map((l) => ({
      productId: numeric(l.product?.id),
      variantId: numeric(l.variant?.id),
      productTitle: l.title,
      variantTitle: l.variantTitle && l.variantTitle !== 'Default Title' ? l.variantTitle : null,
      quantity: l.currentQuantity ?? l.quantity,
      total: l.discountedTotalSet.shopMoney.amount
    })),
    // The Admin GraphQL Order has no checkout token field (REST's checkout_token has no GraphQL counterpart).
    aliases: []
  }
}

/** Reads an order as the Admin API has it; a malformed id, or one Shopify does not know, is `not_found`. */
export async function readOrder(
  admin: AdminGraphql,
  shop: string,
  orderId: string,
  deadline: number
): Promise<{ ok: true; node: OrderNode } | { ok: false; reason: OrderFailure }> {
  // A malformed id is a forged one: nothing to ask Shopify.
  if (orderNumericId(orderId) === null) return { ok: false, reason: 'not_found' }
  const res = await admin.query<OrderAnswer>(shop, ORDER_QUERY, { id: orderId }, deadline)
  if (!res.ok) return { ok: false, reason: orderFailure(res.reason) }
  if (res.errors.some((e) => e.extensions?.code === 'ACCESS_DENIED')) return { ok: false, reason: 'scope_missing' }
  // Shopify answers null for an order it does not have, in this shop or at all.
  if (!res.data.order) return { ok: false, reason: 'not_found' }
  return { ok: true, node: res.data.order }
}

export async function lookUpOrder(
  admin: AdminGraphql,
  shop: string,
  orderId: string,
  deadline: number
): Promise<OrderLookup> {
  const read = await readOrder(admin, shop, orderId, deadline)
  if (!read.ok) return read
  return { ok: true, order: toPaidOrder(read.node, await admin.hasScopes(shop, ORDER_EDIT_SCOPE)) }
}
