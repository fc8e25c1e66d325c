// The seam to the Shopify integration: `fastify.shopify`, with defaults that need no store (every shop active, no
// catalog).
import fp from 'fastify-plugin'
import type { CatalogFacts } from '../rules/index.js'
import type { Config } from '../config.js'

export type VariantInfo = {
  available: boolean
  productTitle: string
  variantTitle: string | null
  image: string | null
  imageAlt: string | null
  price: number
  compareAtPrice: number | null
}

/** A paid order as the Admin API shows it: what the Thank-you routes check ownership with and build facts from. */
export type PaidOrder = {
  /** `gid://shopify/Order/123`. */
  id: string
  /** `123`: the REST/numeric id. */
  legacyId: string
  /** `#1001`. */
  name: string
  confirmationNumber: string | null
  /** ISO time the order was created. */
  createdAt: string
  /** Numeric customer id, null for guests. */
  customerId: number | null
  cancelled: boolean
  /** False when Shopify will not edit it (or the shop lacks `write_order_edits`): offer a checkout instead. */
  editable: boolean
  /** The shop's currency and the buyer's, and money in the shop's currency (decimal strings). */
  currency: string
  presentmentCurrency: string
  subtotal: string
  total: string
  shippingCountry: string | null
  locale: string | null
  lineItems: {
    productId: number | null
    variantId: number | null
    productTitle: string
    variantTitle: string | null
    quantity: number
    total: string
  }[]
  /** Ids by which Shopify may also name this order's checkout (checkout token, order token), when known. */
  aliases: string[]
}

/** Why a call to the Admin API gave no answer; `scope_missing` when the shop has not granted what it needs yet. */
export type OrderFailure =
  'not_found' | 'no_session' | 'scope_missing' | 'throttled' | 'timeout' | 'unavailable' | 'error'

export type OrderLookup = { ok: true; order: PaidOrder } | { ok: false; reason: OrderFailure }

/** One line to add to a paid order (or to a separate checkout), exactly as the server decided and stored it. */
export type LineToAdd = {
  orderId: string
  variantId: number
  quantity: number
  discount: { type: 'percentage' | 'fixed_amount'; value: number; title: string } | null
  /** Stable per acceptance: a retried call with the same key must not add the line twice. */
  idempotencyKey: string
  customerId: number | null
}

export type Money = { amount: string; currencyCode: string }

export type AddToOrderResult =
  | { ok: true; amountDue: Money; invoiceSent: boolean }
  /** `not_editable`: the order cannot be edited (fall back to a checkout); `rejected`: Shopify's user errors. */
  | { ok: false; reason: OrderFailure | 'not_editable' | 'rejected'; message: string }

export type CheckoutResult =
  { ok: true; url: string } | { ok: false; reason: OrderFailure | 'rejected'; message: string }

/**
 * What /api/offer and /api/sign-changeset ask of Shopify. server/shopify/plugin.ts (name 'encore-shopify') provides the
 * real one.
 */
export interface ShopifyIntegration {
  /** False once the shop uninstalled the app or was redacted: no offers then. */
  isShopActive(shopDomain: string): boolean
  /** Tags, vendors, collections and customer data; asked only when `ruleset.needs` says a rule uses them. */
  catalogFacts(
    shopDomain: string,
    inputData: unknown,
    needs: { productCatalog: boolean; customerCatalog: boolean },
    deadline: number
  ): Promise<CatalogFacts | undefined>
  /** The offered variant as the store sees it now; null when unknown. `deadline` is a Date.now()-based ms time. */
  variantInfo(shopDomain: string, variantId: number, deadline: number): Promise<VariantInfo | null>
  /** The Thank-you page: the order as the Admin API shows it (ownership is checked by the caller). */
  lookUpOrder(shopDomain: string, orderId: string, deadline: number): Promise<OrderLookup>
  /** Order editing: begin, add the variant with its discount, commit, send the invoice for the balance. */
  addToOrder(shopDomain: string, line: LineToAdd, deadline: number): Promise<AddToOrderResult>
  /** The fallback where an order cannot be edited: a single-use, discounted checkout for a separate order. */
  singleUseCheckout(shopDomain: string, line: LineToAdd, deadline: number): Promise<CheckoutResult>
}

declare module 'fastify' {
  interface FastifyInstance {
    shopify: ShopifyIntegration
  }
}

export const defaultShopifyIntegration: ShopifyIntegration = {
  isShopActive: () => true,
  catalogFacts: async () => undefined,
  variantInfo: async () => null,
  // Without a Shopify connection no order can be proven the caller's: the Thank-you routes then offer nothing.
  lookUpOrder: async () => ({ ok: false, reason: 'no_session' }),
  addToOrder: async () => ({ ok: false, reason: 'no_session', message: 'Shopify is not connected.' }),
  singleUseCheckout: async () => ({ ok: false, reason: 'no_session', message: 'Shopify is not connected.' })
}

/** Options every integration plugin receives from app.ts (the real one reads its settings from `config`). */
export type ShopifyPluginOptions = { config: Config }

/** A plugin that provides the given integration under the seam's name (tests pass fakes through buildApp). */
export function provideShopify(integration: ShopifyIntegration) {
  return fp<ShopifyPluginOptions>(
    async (fastify) => {
      fastify.decorate('shopify', integration)
    },
    { name: 'encore-shopify', fastify: '5.x' }
  )
}

/** The default integration: no Shopify connection at all. */
const shopifyDefault = provideShopify(defaultShopifyIntegration)
export default shopifyDefault
