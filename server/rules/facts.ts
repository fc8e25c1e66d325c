// Builds the facts rules see from a checkout's input_data exactly as Shopify sends it.
import { MAX_ACCEPTED_OFFERS } from '../../contract/wire.js'
import { RulesError } from './errors.js'
import type { CatalogFacts, CartFact, Facts, History, LineItemFact, PaymentReason, Surface } from './types.js'

/** Shopify shows no post-purchase page for orders under this total (shop currency). */
export const MINIMUM_ORDER_TOTAL = 0.5
/** Shopify's limit of accepted offers per checkout: defined once, with the wire contract that answers the 4th 409. */
export { MAX_ACCEPTED_OFFERS }
/** Every value of the `surface` fact; a rule without a condition on it serves both pages. */
export const SURFACES: readonly Surface[] = Object.freeze(['post_purchase', 'thank_you'])

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function invalid(pointer: string, expected: string): never {
  throw new RulesError('INPUT_DATA_INVALID', `input_data${pointer.replace(/\//g, '.')}: expected ${expected}`, pointer)
}

function obj(v: unknown, pointer: string): Obj {
  if (!isObj(v)) invalid(pointer, 'an object')
  return v
}

/** Money arrives as a decimal string ("129.00"); tolerate numbers too. */
function money(v: unknown, pointer: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  if (!Number.isFinite(n)) invalid(pointer, 'a decimal amount such as "129.00"')
  return n
}

function id(v: unknown, pointer: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replace(/^gid:\/\/shopify\/\w+\//, '')) : NaN
  if (!Number.isSafeInteger(n)) invalid(pointer, 'a numeric Shopify id')
  return n
}

function moneySet(
  v: unknown,
  pointer: string
): { shop: number; shopCurrency: string; presentment: number; presentmentCurrency: string } {
  const set = obj(v, pointer)
  const shop = obj(set.shopMoney, `${pointer}/shopMoney`)
  const pres = isObj(set.presentmentMoney) ? set.presentmentMoney : shop
  const shopCurrency =
    typeof shop.currencyCode === 'string'
      ? shop.currencyCode
      : invalid(`${pointer}/shopMoney/currencyCode`, 'a currency code')
  return {
    shop: money(shop.amount, `${pointer}/shopMoney/amount`),
    shopCurrency,
    presentment: money(pres.amount ?? shop.amount, `${pointer}/presentmentMoney/amount`),
    presentmentCurrency: typeof pres.currencyCode === 'string' ? pres.currencyCode : shopCurrency
  }
}

/** customerId may be a number, a numeric string or a GID; anything else counts as no customer. */
function customerId(v: unknown): number | string | null {
  if (typeof v === 'number') return v
  if (typeof v !== 'string' || v === '') return null
  const n = Number(v.replace(/^gid:\/\/shopify\/Customer\//, ''))
  return Number.isSafeInteger(n) ? n : v
}

const unique = <T>(xs: T[]): T[] => [...new Set(xs)]
// Catalog data comes from another service: keep only well-typed values rather than fail a checkout.
const strings = (xs: unknown): string[] =>
  Array.isArray(xs) ? xs.filter((x): x is string => typeof x === 'string') : []
const stringOrNull = (x: unknown): string | null => (typeof x === 'string' ? x : null)

function normaliseHistory(h: Partial<History> | undefined): History {
  const list = (xs: unknown): string[] =>
    Array.isArray(xs) ? unique(xs.filter((x): x is string => typeof x === 'string')) : []
  return { shown: list(h?.shown), accepted: list(h?.accepted), declined: list(h?.declined) }
}

export function buildFacts(
  inputData: unknown,
  opts: { history?: Partial<History>; now?: Date; catalog?: CatalogFacts; surface?: Surface } = {}
): Facts {
  if (opts.now !== undefined && !(opts.now instanceof Date && Number.isFinite(opts.now.getTime()))) {
    throw new RulesError('INVALID_OPTIONS', 'buildFacts: opts.now must be a valid Date')
  }
  const surface = opts.surface ?? 'post_purchase'
  if (!SURFACES.includes(surface)) {
    throw new RulesError('INVALID_OPTIONS', `buildFacts: opts.surface must be one of ${SURFACES.join(', ')}`)
  }
  const input = obj(inputData, '')
  const purchase = obj(input.initialPurchase, '/initialPurchase')
  if (typeof purchase.referenceId !== 'string' || purchase.referenceId === '')
    invalid('/initialPurchase/referenceId', 'a non-empty string')
  const shopIn = obj(input.shop, '/shop')
  if (!Array.isArray(purchase.lineItems)) invalid('/initialPurchase/lineItems', 'an array of line items')
  const total = moneySet(purchase.totalPriceSet, '/initialPurchase/totalPriceSet')
  const products = isObj(opts.catalog?.products)
    ? (opts.catalog?.products as NonNullable<CatalogFacts['products']>)
    : {}

  const lineItems: LineItemFact[] = purchase.lineItems.map((raw, i) => {
    const p = `/initialPurchase/lineItems/${i}`
    const li = obj(raw, p)
    const product = obj(li.product, `${p}/product`)
    const variant = obj(product.variant, `${p}/product/variant`)
    const productId = id(product.id, `${p}/product/id`)
    const quantity =
      typeof li.quantity === 'number' && Number.isFinite(li.quantity)
        ? li.quantity
        : invalid(`${p}/quantity`, 'a number')
    const cat = Object.prototype.hasOwnProperty.call(products, String(productId))
      ? products[String(productId)]
      : undefined
    return {
      productId,
      variantId: id(variant.id, `${p}/product/variant/id`),
      productTitle: typeof product.title === 'string' ? product.title : '',
      variantTitle: typeof variant.title === 'string' ? variant.title : null,
      quantity,
      total: moneySet(li.totalPriceSet, `${p}/totalPriceSet`).shop,
      sellingPlanId:
        li.sellingPlanId === undefined || li.sellingPlanId === null ? null : id(li.sellingPlanId, `${p}/sellingPlanId`),
      tags: strings(cat?.tags),
      vendor: stringOrNull(cat?.vendor),
      productType: stringOrNull(cat?.productType),
      collections: strings(cat?.collections)
    }
  })

  const cart: CartFact = {
    lineItems,
    productIds: unique(lineItems.map((l) => l.productId)),
    variantIds: unique(lineItems.map((l) => l.variantId)),
    quantity: lineItems.reduce((n, l) => n + l.quantity, 0),
    lineCount: lineItems.length,
    // Rounded to cents: summing decimal strings as floats must not yield 118.99999999.
    subtotal: Math.round(lineItems.reduce((n, l) => n + l.total, 0) * 100) / 100,
    total: total.shop,
    currency: total.shopCurrency,
    hasSubscription: lineItems.some((l) => l.sellingPlanId !== null),
    productTags: unique(lineItems.flatMap((l) => l.tags)),
    vendors: unique(lineItems.flatMap((l) => (l.vendor === null ? [] : [l.vendor]))),
    productTypes: unique(lineItems.flatMap((l) => (l.productType === null ? [] : [l.productType]))),
    collections: unique(lineItems.flatMap((l) => l.collections))
  }

  const dest = purchase.destinationCountryCode
  const shippingCountry = typeof dest === 'string' && dest !== '' ? dest.toUpperCase() : null
  const history = normaliseHistory(opts.history)

  const reasons: PaymentReason[] = []
  // The first three are the post-purchase page's limits (Shopify cannot charge a changeset then). On the Thank-you
  // page the line is added by an order edit (or a separate checkout), which takes pickup orders, any presentment
  // currency and any total: only the limit of accepted offers applies there.
  if (surface === 'post_purchase') {
    if (shippingCountry === null) reasons.push('no_shipping_address')
    if (total.presentmentCurrency !== total.shopCurrency) reasons.push('multi_currency')
    if (total.shop < MINIMUM_ORDER_TOTAL) reasons.push('below_minimum')
  }
  if (history.accepted.length >= MAX_ACCEPTED_OFFERS) reasons.push('offer_limit_reached')

  const customer = isObj(opts.catalog?.customer) ? opts.catalog?.customer : undefined
  return {
    cart,
    shippingCountry,
    shop: { id: id(shopIn.id, '/shop/id'), domain: typeof shopIn.domain === 'string' ? shopIn.domain : '' },
    locale: typeof input.locale === 'string' && input.locale !== '' ? input.locale : 'en',
    customer: {
      id: customerId(purchase.customerId),
      tags: strings(customer?.tags),
      numberOfOrders:
        typeof customer?.numberOfOrders === 'number' && Number.isFinite(customer.numberOfOrders)
          ? customer.numberOfOrders
          : null
    },
    payment: {
      eligible: reasons.length === 0,
      reasons,
      shopCurrency: total.shopCurrency,
      presentmentCurrency: total.presentmentCurrency
    },
    history,
    surface,
    now: (opts.now ?? new Date()).toISOString()
  }
}

/** The referenceId of a checkout, for arm assignment. */
export function referenceIdOf(inputData: unknown): string {
  const purchase = isObj(inputData) && isObj(inputData.initialPurchase) ? inputData.initialPurchase : {}
  return typeof purchase.referenceId === 'string' ? purchase.referenceId : ''
}
