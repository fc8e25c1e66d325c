// Strict readers for the service's answers: anything that is not exactly the contract is "show nothing".
import type { AcceptAnswer, Money, ThankYouOffer, UnitPrice } from './offer.js'

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
/** Shopify's MoneyV2 amounts are decimal strings ("6.48"); a currency is an ISO 4217 code. */
const isAmount = (v: unknown): v is string => isString(v) && /^\d{1,12}(\.\d{1,4})?$/.test(v)
const isCurrency = (v: unknown): v is string => isString(v) && /^[A-Z]{3}$/.test(v)

function parseMoney(v: unknown): Money | null {
  return isObject(v) && isAmount(v.amount) && isCurrency(v.currencyCode)
    ? { amount: v.amount, currencyCode: v.currencyCode }
    : null
}

function parsePrices(v: unknown, variants: number[]): Record<string, UnitPrice> | null | undefined {
  if (v === undefined || v === null) return undefined
  if (!isObject(v)) return null
  const prices: Record<string, UnitPrice> = {}
  for (const id of variants) {
    const p = v[String(id)]
    if (p === undefined) continue
    if (!isObject(p) || !isAmount(p.amount) || !isAmount(p.originalAmount) || !isCurrency(p.currencyCode)) return null
    prices[String(id)] = { amount: p.amount, originalAmount: p.originalAmount, currencyCode: p.currencyCode }
  }
  return prices
}

/** The offer when `v` is exactly what the contract promises, otherwise null. */
export function parseThankYouOffer(v: unknown): ThankYouOffer | null {
  if (!isObject(v)) return null
  const { content: c, quantity: q, discount: d } = v
  if (!isString(v.id) || v.id === '' || !isString(v.ruleId) || !(v.arm === null || isString(v.arm))) return null
  if (v.settle !== 'order_edit' && v.settle !== 'checkout') return null
  if (!isId(v.variantId) || !Array.isArray(v.variants) || !v.variants.every(isId)) return null
  const variants = v.variants.length > 0 ? (v.variants as number[]) : [v.variantId]
  if (!variants.includes(v.variantId)) return null
  if (!isObject(q) || !isInt(q.default) || !isInt(q.min) || !isInt(q.max)) return null
  if (q.min < 1 || q.max < q.min || q.default < q.min || q.default > q.max) return null
  let discount: ThankYouOffer['discount'] = null
  if (d !== null && d !== undefined) {
    if (!isObject(d) || (d.type !== 'percentage' && d.type !== 'fixed_amount') || !isNumber(d.value)) return null
    if (!isString(d.title)) return null
    discount = { type: d.type, value: d.value, title: d.title }
  }
  if (!isObject(c) || !isString(c.headline) || !isString(c.body)) return null
  if (!(c.image === null || c.image === undefined || isString(c.image))) return null
  if (!isString(c.acceptLabel) || !isString(c.declineLabel)) return null
  const expiresAt = v.expiresAt === null || v.expiresAt === undefined ? null : v.expiresAt
  if (expiresAt !== null && (!isString(expiresAt) || Number.isNaN(Date.parse(expiresAt)))) return null
  const prices = parsePrices(v.prices, variants)
  if (prices === null) return null
  const offer: ThankYouOffer = {
    id: v.id,
    ruleId: v.ruleId,
    arm: v.arm,
    settle: v.settle,
    variantId: v.variantId,
    variants,
    quantity: { default: q.default, min: q.min, max: q.max },
    discount,
    content: {
      headline: c.headline,
      body: c.body,
      image: isString(c.image) && /^https:\/\//.test(c.image) ? c.image : null,
      imageAlt: isString(c.imageAlt) ? c.imageAlt : '',
      acceptLabel: c.acceptLabel,
      declineLabel: c.declineLabel
    },
    expiresAt,
    changes: Array.isArray(v.changes) ? v.changes : []
  }
  if (prices) offer.prices = prices
  if (isString(v.orderName) && v.orderName.trim() !== '') offer.orderName = v.orderName.trim()
  if (isObject(v.variantLabels)) {
    const labels: Record<string, string> = {}
    for (const [k, label] of Object.entries(v.variantLabels)) if (isString(label)) labels[k] = label
    offer.variantLabels = labels
  }
  return offer
}

/** `{ render: false }` -> null, a valid offer -> the offer, anything else -> undefined (malformed). */
export function parseOfferAnswer(v: unknown): ThankYouOffer | null | undefined {
  if (!isObject(v) || typeof v.render !== 'boolean') return undefined
  if (!v.render) return null
  return parseThankYouOffer(v.offer) ?? undefined
}

/** The accept answer, or null when it is not one the contract names (a checkout URL must be https). */
export function parseAcceptAnswer(v: unknown): AcceptAnswer | null {
  if (!isObject(v)) return null
  if (v.status === 'added') {
    const amountDue = parseMoney(v.amountDue)
    return amountDue && typeof v.invoiceSent === 'boolean'
      ? { status: 'added', amountDue, invoiceSent: v.invoiceSent }
      : null
  }
  if (v.status === 'checkout' && isString(v.url) && /^https:\/\/[^\s]+$/.test(v.url))
    return { status: 'checkout', url: v.url }
  return null
}
