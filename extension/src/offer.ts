// A strict parser for the offer as the service sends it: anything else is "no offer". The types are the wire
// contract's (contract/wire.ts), imported as types only so nothing of the schema library reaches the bundle; this hand
// validator is the contract's runtime check here (test/extension/offer-parser.test.ts holds it to the schema).
import type { Change, Discount, Offer } from '../../contract/wire.js'

export type { Change, Offer }

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

function parseDiscount(v: unknown): Discount | null | undefined {
  if (v === null || v === undefined) return null
  if (!isObject(v)) return undefined
  if ((v.type !== 'percentage' && v.type !== 'fixed_amount') || !isNumber(v.value) || !isString(v.title))
    return undefined
  return { type: v.type, value: v.value, title: v.title }
}

function parseChange(v: unknown): Change | null {
  if (!isObject(v) || v.type !== 'add_variant' || !isId(v.variantId) || !isInt(v.quantity) || v.quantity < 1)
    return null
  const change: Change = { type: 'add_variant', variantId: v.variantId, quantity: v.quantity }
  if (v.discount !== undefined) {
    const d = v.discount
    if (
      !isObject(d) ||
      (d.valueType !== 'percentage' && d.valueType !== 'fixed_amount') ||
      !isNumber(d.value) ||
      !isString(d.title)
    )
      return null
    change.discount = { value: d.value, valueType: d.valueType, title: d.title }
  }
  return change
}

/** Returns the offer when `v` is exactly what the contract promises, otherwise null. */
export function parseOffer(v: unknown): Offer | null {
  if (!isObject(v)) return null
  const { content: c, quantity: q } = v
  if (!isString(v.id) || v.id === '' || !isString(v.ruleId) || !(v.arm === null || isString(v.arm))) return null
  if (!isId(v.variantId) || !Array.isArray(v.variants) || !v.variants.every(isId)) return null
  const variants = v.variants.length > 0 ? (v.variants as number[]) : [v.variantId]
  if (!variants.includes(v.variantId)) return null
  if (!isObject(q) || !isInt(q.default) || !isInt(q.min) || !isInt(q.max)) return null
  if (q.min < 1 || q.max < q.min || q.default < q.min || q.default > q.max) return null
  const discount = parseDiscount(v.discount)
  if (discount === undefined) return null
  if (
    !isObject(c) ||
    !isString(c.headline) ||
    !isString(c.body) ||
    !(c.image === null || c.image === undefined || isString(c.image))
  )
    return null
  if (!isString(c.acceptLabel) || !isString(c.declineLabel)) return null
  if (!(c.imageAlt === undefined || isString(c.imageAlt))) return null
  if (!(v.variantLabels === undefined || isObject(v.variantLabels))) return null
  const expiresAt = v.expiresAt === null || v.expiresAt === undefined ? null : v.expiresAt
  if (expiresAt !== null && (!isString(expiresAt) || Number.isNaN(Date.parse(expiresAt)))) return null
  if (!Array.isArray(v.changes)) return null
  const changes = v.changes.map(parseChange)
  if (changes.some((ch) => ch === null)) return null
  const offer: Offer = {
    id: v.id,
    ruleId: v.ruleId,
    arm: v.arm,
    variantId: v.variantId,
    variants,
    quantity: { default: q.default, min: q.min, max: q.max },
    discount,
    content: {
      headline: c.headline,
      body: c.body,
      image: isString(c.image) && c.image !== '' ? c.image : null,
      imageAlt: isString(c.imageAlt) ? c.imageAlt : '',
      acceptLabel: c.acceptLabel,
      declineLabel: c.declineLabel
    },
    expiresAt,
    changes: changes as Change[]
  }
  if (isObject(v.variantLabels)) {
    const labels: Record<string, string> = {}
    for (const [k, label] of Object.entries(v.variantLabels)) if (isString(label)) labels[k] = label
    offer.variantLabels = labels
  }
  return offer
}

/** What accepting adds at this quantity and variant: used only for the price preview (the server signs its own). */
export function previewChanges(offer: Offer, variantId: number, quantity: number): Change[] {
  const change: Change = { type: 'add_variant', variantId, quantity }
  if (offer.discount)
    change.discount = { value: offer.discount.value, valueType: offer.discount.type, title: offer.discount.title }
  return [change]
}
