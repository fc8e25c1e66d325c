// An in-memory stand-in for the Thank-you page's three Admin API calls (look-up, order edit, checkout fallback): it
// records every committed edit and checkout, honours idempotency keys, and fails on request. The Admin GraphQL fake
// (shopify-fake-admin.ts) is the realistic one; this one lets route tests say exactly what Shopify answers.
import type {
  AddToOrderResult,
  CheckoutResult,
  LineToAdd,
  OrderFailure,
  OrderLookup,
  PaidOrder,
  ShopifyIntegration,
  VariantInfo
} from '../../server/plugins/shopify-default.js'
import { defaultShopifyIntegration } from '../../server/plugins/shopify-default.js'
import { mintSessionToken } from '../../extension/thank-you-harness/session-token.js'
import { API_KEY, BOOTS, SECRET } from './server-world.js'

export const SHOP = 'test-shop.myshopify.com'

let seq = 0
/** A paid order of `SHOP` created a minute ago, with one line of boots, editable, by customer 207119551. */
export function paidOrder(over: Partial<PaidOrder> = {}): PaidOrder {
  const legacyId = over.legacyId ?? String(5_000_000 + process.pid * 1000 + ++seq)
  return {
    id: `gid://shopify/Order/${legacyId}`,
    legacyId,
    name: `#${1000 + seq}`,
    confirmationNumber: `CONF${legacyId.slice(-6)}X`,
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    customerId: 207119551,
    cancelled: false,
    editable: true,
    currency: 'USD',
    presentmentCurrency: 'USD',
    subtotal: '100.00',
    total: '129.00',
    shippingCountry: 'US',
    locale: 'en',
    lineItems: [
      {
        productId: BOOTS,
        variantId: BOOTS * 10,
        productTitle: 'Boots',
        variantTitle: 'Default',
        quantity: 1,
        total: '100.00'
      }
    ],
    aliases: [],
    ...over
  }
}

export type Edit = { shop: string; line: LineToAdd; amountDue: string }
export type Failure<R> = R & { ok: false }

export type FakeOrders = {
  /** Pass to buildWorld: `{ ...defaultShopifyIntegration, ...fake.integration }`. */
  integration: ShopifyIntegration
  /** Makes an order known to the fake (of `shop`, SHOP by default). */
  add(order: PaidOrder, shop?: string): PaidOrder
  /** Committed order edits, one per idempotency key. */
  edits: Edit[]
  checkouts: { shop: string; line: LineToAdd; url: string }[]
  calls: { lookUp: number; addToOrder: number; singleUseCheckout: number }
  /** Every look-up fails so until cleared (null). */
  lookUpFailure: Exclude<OrderFailure, 'not_found'> | null
  /** The order is not found by the first `n` look-ups (it appears a moment after the page). */
  appearAfter(orderId: string, n: number): void
  /** The next addToOrder / singleUseCheckout calls answer these, in order. */
  addFailures: Failure<AddToOrderResult>[]
  checkoutFailures: Failure<CheckoutResult>[]
}

/** Unit prices by variant id (shop currency); unknown variants cost 10.00. */
export function fakeOrders(prices: Record<number, number> = {}): FakeOrders {
  const orders = new Map<string, { order: PaidOrder; shop: string }>()
  const hiddenFor = new Map<string, number>()
  const byKey = new Map<string, AddToOrderResult>()
  const fake: FakeOrders = {
    edits: [],
    checkouts: [],
    calls: { lookUp: 0, addToOrder: 0, singleUseCheckout: 0 },
    lookUpFailure: null,
    addFailures: [],
    checkoutFailures: [],
    add(order, shop = SHOP) {
      orders.set(order.id, { order, shop })
      return order
    },
    appearAfter(orderId, n) {
      hiddenFor.set(orderId, n)
    },
    integration: {
      ...defaultShopifyIntegration,
      variantInfo: async (_shop, variantId): Promise<VariantInfo> => ({
        available: true,
        productTitle: `Product of ${variantId}`,
        variantTitle: null,
        image: null,
        imageAlt: null,
        price: prices[variantId] ?? 10,
        compareAtPrice: null
      }),
      lookUpOrder: async (shop, orderId): Promise<OrderLookup> => {
        fake.calls.lookUp++
        if (fake.lookUpFailure) return { ok: false, reason: fake.lookUpFailure }
        const hidden = hiddenFor.get(orderId) ?? 0
        if (hidden > 0) {
          hiddenFor.set(orderId, hidden - 1)
          return { ok: false, reason: 'not_found' }
        }
        const hit = orders.get(orderId)
        // The Admin API of one shop never shows another shop's order.
        if (!hit || hit.shop !== shop) return { ok: false, reason: 'not_found' }
        return { ok: true, order: structuredClone(hit.order) }
      },
      addToOrder: async (shop, line): Promise<AddToOrderResult> => {
        fake.calls.addToOrder++
        const failure = fake.addFailures.shift()
        if (failure) return failure
        // Shopify's idempotency: the same key never commits a second edit.
        const done = byKey.get(line.idempotencyKey)
        if (done) return done
        const unit = prices[line.variantId] ?? 10
        const d = line.discount
        const after = d === null ? unit : d.type === 'percentage' ? unit * (1 - d.value / 100) : unit - d.value
        const amountDue = (Math.max(0, after) * line.quantity).toFixed(2)
        const result: AddToOrderResult = {
          ok: true,
          amountDue: { amount: amountDue, currencyCode: orders.get(line.orderId)?.order.presentmentCurrency ?? 'USD' },
          invoiceSent: true
        }
        byKey.set(line.idempotencyKey, result)
        fake.edits.push({ shop, line, amountDue })
        return result
      },
      singleUseCheckout: async (shop, line): Promise<CheckoutResult> => {
        fake.calls.singleUseCheckout++
        const failure = fake.checkoutFailures.shift()
        if (failure) return failure
        const url = `https://${shop}/checkouts/cn/${line.idempotencyKey}`
        fake.checkouts.push({ shop, line, url })
        return { ok: true, url }
      }
    }
  }
  return fake
}

/** A session token as Shopify mints it for the Thank-you extension, signed with the test world's secret. */
export function sessionToken(
  opts: {
    shop?: string
    customerId?: number | null
    destForm?: 'url' | 'domain'
    secret?: string
    apiKey?: string
    now?: number
    ttlSeconds?: number
  } = {}
): string {
  return mintSessionToken({
    secret: opts.secret ?? SECRET,
    apiKey: opts.apiKey ?? API_KEY,
    shop: opts.shop ?? SHOP,
    ...(opts.customerId === null ? {} : { customerId: `gid://shopify/Customer/${opts.customerId ?? 207119551}` }),
    ...(opts.destForm ? { destForm: opts.destForm } : {}),
    ...(opts.now !== undefined ? { now: opts.now } : {}),
    ...(opts.ttlSeconds !== undefined ? { ttlSeconds: opts.ttlSeconds } : {})
  })
}

/** The body the Thank-you page sends for `order`. */
export const askFor = (order: PaidOrder) => ({ orderId: order.id, confirmationNumber: order.confirmationNumber })
