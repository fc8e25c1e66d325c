// The Offer the extension receives (http-api.md), how it is built from a rule's resolved offer, and its JSON schema.
import { randomUUID } from 'node:crypto'
import type { ResolvedOffer } from '../rules/index.js'
import type { VariantInfo } from '../plugins/shopify-default.js'
import { addVariantChanges, changeSchema, type Change } from '../changes.js'

export type Offer = {
  id: string
  ruleId: string
  arm: string | null
  variantId: number
  variants: number[]
  /**
   * Picker labels by variant id (a decimal string), only for allow-listed variants: an addition to
   * http-api.md's Offer. Absent when the rule names none, and in offers stored before it existed.
   */
  variantLabels?: Record<string, string>
  quantity: { default: number; min: number; max: number }
  discount: { type: 'percentage' | 'fixed_amount'; value: number; title: string } | null
  content: {
    headline: string
    body: string
    image: string | null
    imageAlt: string
    acceptLabel: string
    declineLabel: string
  }
  expiresAt: string | null
  changes: Change[]
}

/** What is stored with the decision: the public offer plus what signing and chaining need. */
export type StoredOffer = Offer & {
  productId: number | null
  next: { onAccept: string | null; onDecline: string | null }
}

const FALLBACK_HEADLINE = 'Add this to your order'

/** Opaque, unguessable ids: an offer id alone never lets another checkout sign (the checkout is checked too). */
export function newId(prefix: 'of' | 'dc'): string {
  // randomUUID draws from a cached entropy pool: far cheaper per call than randomBytes.
  return `${prefix}_${randomUUID().replace(/-/g, '')}`
}

/** Fills what the rule left out from the store's product data, with sensible defaults when the store says nothing. */
export function buildOffer(id: string, resolved: ResolvedOffer, info: VariantInfo | null, now: number): StoredOffer {
  const c = resolved.content
  const headline = c.headline ?? info?.productTitle ?? FALLBACK_HEADLINE
  return {
    id,
    ruleId: resolved.ruleId,
    arm: resolved.arm,
    productId: resolved.productId,
    variantId: resolved.variantId,
    variants: resolved.variants.length > 0 ? [...resolved.variants] : [resolved.variantId],
    ...(resolved.variantLabels ? { variantLabels: { ...resolved.variantLabels } } : {}),
    quantity: { ...resolved.quantity },
    discount: resolved.discount ? { ...resolved.discount } : null,
    content: {
      headline,
      body: c.body ?? '',
      image: c.image ?? info?.image ?? null,
      imageAlt: c.imageAlt ?? info?.imageAlt ?? info?.productTitle ?? headline,
      acceptLabel: c.acceptLabel,
      declineLabel: c.declineLabel
    },
    expiresAt: resolved.expiresInSeconds ? new Date(now + resolved.expiresInSeconds * 1000).toISOString() : null,
    changes: addVariantChanges(resolved.variantId, resolved.quantity.default, resolved.discount),
    next: { ...resolved.next }
  }
}

/** Until when an offer can be signed: its countdown, never beyond Shopify's one-hour fulfillment hold. */
export function signableUntil(resolved: ResolvedOffer, now: number, holdSeconds: number): number {
  const seconds = resolved.expiresInSeconds ? Math.min(resolved.expiresInSeconds, holdSeconds) : holdSeconds
  return now + seconds * 1000
}

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] })

export const offerSchema = {
  type: 'object',
  required: ['id', 'ruleId', 'arm', 'variantId', 'variants', 'quantity', 'discount', 'content', 'expiresAt', 'changes'],
  properties: {
    id: { type: 'string' },
    ruleId: { type: 'string' },
    arm: { type: ['string', 'null'] },
    variantId: { type: 'integer' },
    variants: { type: 'array', items: { type: 'integer' } },
    variantLabels: { type: 'object', additionalProperties: { type: 'string' } },
    quantity: {
      type: 'object',
      required: ['default', 'min', 'max'],
      properties: { default: { type: 'integer' }, min: { type: 'integer' }, max: { type: 'integer' } }
    },
    discount: nullable({
      type: 'object',
      required: ['type', 'value', 'title'],
      properties: {
        type: { type: 'string', enum: ['percentage', 'fixed_amount'] },
        value: { type: 'number' },
        title: { type: 'string' }
      }
    }),
    content: {
      type: 'object',
      required: ['headline', 'body', 'image', 'imageAlt', 'acceptLabel', 'declineLabel'],
      properties: {
        headline: { type: 'string' },
        body: { type: 'string' },
        image: { type: ['string', 'null'] },
        imageAlt: { type: 'string' },
        acceptLabel: { type: 'string' },
        declineLabel: { type: 'string' }
      }
    },
    expiresAt: { type: ['string', 'null'] },
    changes: { type: 'array', items: changeSchema }
  }
} as const
