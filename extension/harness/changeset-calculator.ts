// Prices a changeset against the initial purchase the way Shopify's calculateChangeset reports it.
import type { Change as WireChange } from '../../contract/wire.js'
import type { Catalog } from './catalog.js'
import { bag, toCents, type MoneyBag } from './money.js'

export type ChangesetErrorCode =
  | 'payment_required'
  | 'insufficient_inventory'
  | 'changeset_already_applied'
  | 'unsupported_payment_method'
  | 'invalid_request'
  | 'server_error'
  | 'buyer_consent_required'
  | 'subscription_vaulting_error'
  | 'subscription_contract_creation_error'
  | 'subscription_no_shipping_address_error'
  | 'subscription_limit_error'
  | 'order_released_error'

/** Every code applyChangeset can answer with, in the SDK's order. */
export const CHANGESET_ERROR_CODES: readonly ChangesetErrorCode[] = [
  'payment_required',
  'insufficient_inventory',
  'changeset_already_applied',
  'unsupported_payment_method',
  'invalid_request',
  'server_error',
  'buyer_consent_required',
  'subscription_vaulting_error',
  'subscription_contract_creation_error',
  'subscription_no_shipping_address_error',
  'subscription_limit_error',
  'order_released_error'
]

export type ChangesetError = { code: ChangesetErrorCode; message: string }
/** The change our service signs and its offers preview: the wire contract's `Change`. */
export type AddVariant = WireChange
/** Shopify's other change, which our service never signs: the harness accepts it as Shopify would. */
export type AddShippingLine = { type: 'add_shipping_line'; price: number; title?: string; presentmentTitle?: string }
export type Change = AddVariant | AddShippingLine

export type CalculatedPurchase = {
  subtotalPriceSet: MoneyBag
  totalPriceSet: MoneyBag
  totalOutstandingSet: MoneyBag
  addedTaxLines: { priceSet: MoneyBag; rate: number; title: string }[]
  addedShippingLines: { priceSet: MoneyBag; presentmentTitle: string }[]
  updatedLineItems: {
    priceSet: MoneyBag
    totalPriceSet: MoneyBag
    productId: number
    variantId: number
    productHandle: string
    quantity: number
    sellingPlanId?: number
  }[]
}

export type Calculation =
  { ok: true; changes: Change[]; purchase: CalculatedPurchase } | { ok: false; errors: ChangesetError[] }

type PurchaseInput = {
  destinationCountryCode?: string
  totalPriceSet: MoneyBag
  lineItems: {
    product: { id: number; variant: { id: number } }
    quantity: number
    totalPriceSet: MoneyBag
    sellingPlanId?: number
  }[]
}

const invalid = (message: string): Calculation => ({ ok: false, errors: [{ code: 'invalid_request', message }] })
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Checks the change list's shape as Shopify would; `variantID` (the tutorial's spelling) is refused here on purpose.
 */
export function parseChanges(
  changes: unknown,
  catalog: Catalog
): { ok: true; changes: Change[] } | { ok: false; message: string } {
  if (!Array.isArray(changes) || changes.length === 0)
    return { ok: false, message: 'changes must be a non-empty array' }
  const parsed: Change[] = []
  for (const [i, c] of changes.entries()) {
    if (!isObject(c)) return { ok: false, message: `changes[${i}] is not an object` }
    if (c.type === 'add_variant') {
      if (!Number.isSafeInteger(c.variantId))
        return { ok: false, message: `changes[${i}].variantId must be a numeric variant id` }
      if (!catalog.variants.has(c.variantId as number))
        return { ok: false, message: `changes[${i}].variantId ${String(c.variantId)} is not a product of this shop` }
      if (!Number.isInteger(c.quantity) || (c.quantity as number) < 1)
        return { ok: false, message: `changes[${i}].quantity must be a positive integer` }
      const change: AddVariant = {
        type: 'add_variant',
        variantId: c.variantId as number,
        quantity: c.quantity as number
      }
      if (c.discount !== undefined) {
        const d = c.discount
        if (!isObject(d) || typeof d.value !== 'number' || typeof d.title !== 'string')
          return { ok: false, message: `changes[${i}].discount must be {value, valueType, title}` }
        if (
          d.valueType === 'percentage'
            ? !(d.value > 0 && d.value <= 100)
            : d.valueType === 'fixed_amount'
              ? !(d.value > 0)
              : true
        ) {
          return { ok: false, message: `changes[${i}].discount has an invalid valueType or value` }
        }
        change.discount = { value: d.value, valueType: d.valueType as 'percentage' | 'fixed_amount', title: d.title }
      }
      parsed.push(change)
    } else if (c.type === 'add_shipping_line') {
      if (typeof c.price !== 'number' || c.price < 0)
        return { ok: false, message: `changes[${i}].price must be a non-negative number` }
      parsed.push({
        type: 'add_shipping_line',
        price: c.price,
        title: c.title as string | undefined,
        presentmentTitle: c.presentmentTitle as string | undefined
      })
    } else {
      return {
        ok: false,
        message: `changes[${i}].type ${JSON.stringify(c.type)} is not supported by the harness (add_variant, add_shipping_line)`
      }
    }
  }
  return { ok: true, changes: parsed }
}

/** What the buyer would pay now; out-of-stock variants answer insufficient_inventory like Shopify. */
export function calculate(changesInput: unknown, purchase: PurchaseInput, catalog: Catalog): Calculation {
  const parsedResult = parseChanges(changesInput, catalog)
  if (!parsedResult.ok) return invalid(parsedResult.message)
  const changes = parsedResult.changes
  const shopCurrency = purchase.totalPriceSet.shopMoney.currencyCode
  const presentment = purchase.totalPriceSet.presentmentMoney.currencyCode
  const shopTotal = toCents(purchase.totalPriceSet.shopMoney.amount)
  // The checkout's own exchange rate, so a buyer paying in another currency sees consistent numbers.
  const rate = shopTotal > 0 ? toCents(purchase.totalPriceSet.presentmentMoney.amount) / shopTotal : 1
  const money = (cents: number) => bag(cents, shopCurrency, presentment, rate)

  const lines: CalculatedPurchase['updatedLineItems'] = purchase.lineItems.map((l) => ({
    priceSet: money(Math.round(toCents(l.totalPriceSet.shopMoney.amount) / Math.max(1, l.quantity))),
    totalPriceSet: l.totalPriceSet,
    productId: l.product.id,
    variantId: l.product.variant.id,
    productHandle: '',
    quantity: l.quantity,
    ...(l.sellingPlanId !== undefined ? { sellingPlanId: l.sellingPlanId } : {})
  }))
  const wanted = new Map<number, number>()
  let addedGoods = 0
  const shipping: CalculatedPurchase['addedShippingLines'] = []
  let shippingCents = 0
  for (const change of changes) {
    if (change.type === 'add_shipping_line') {
      const cents = toCents(change.price)
      shippingCents += cents
      shipping.push({ priceSet: money(cents), presentmentTitle: change.presentmentTitle ?? change.title ?? 'Shipping' })
      continue
    }
    const variant = catalog.variants.get(change.variantId)!
    wanted.set(change.variantId, (wanted.get(change.variantId) ?? 0) + change.quantity)
    if ((wanted.get(change.variantId) ?? 0) > variant.inventory) {
      return {
        ok: false,
        errors: [
          {
            code: 'insufficient_inventory',
            message: `only ${variant.inventory} of ${variant.product} (${variant.title}) left`
          }
        ]
      }
    }
    const unit = toCents(variant.price)
    const gross = unit * change.quantity
    // A fixed_amount discount comes off the line, never below zero (the SDK leaves per-item vs per-line unsaid).
    const off = !change.discount
      ? 0
      : change.discount.valueType === 'percentage'
        ? Math.round((gross * change.discount.value) / 100)
        : Math.min(gross, toCents(change.discount.value))
    addedGoods += gross - off
    lines.push({
      priceSet: money(unit),
      totalPriceSet: money(gross - off),
      productId: variant.productId,
      variantId: change.variantId,
      productHandle: variant.handle,
      quantity: change.quantity
    })
  }
  const country = purchase.destinationCountryCode ?? ''
  const taxRate = catalog.taxRates[country] ?? 0
  const taxCents = Math.round((addedGoods + shippingCents) * taxRate)
  const outstanding = addedGoods + shippingCents + taxCents
  const initialSubtotal = purchase.lineItems.reduce((t, l) => t + toCents(l.totalPriceSet.shopMoney.amount), 0)
  return {
    ok: true,
    changes,
    purchase: {
      subtotalPriceSet: money(initialSubtotal + addedGoods),
      totalPriceSet: money(shopTotal + outstanding),
      totalOutstandingSet: money(outstanding),
      addedTaxLines:
        taxRate > 0
          ? [{ priceSet: money(taxCents), rate: taxRate, title: country === 'US' ? 'Sales tax' : 'Tax' }]
          : [],
      addedShippingLines: shipping,
      updatedLineItems: lines
    }
  }
}
