// How the Offer the extension receives (contract/wire.ts) is built from a rule's resolved offer, and what is stored.
import { randomUUID } from 'node:crypto'
import type { Offer } from '../../contract/wire.js'
import type { ResolvedOffer } from '../rules/index.js'
import type { VariantInfo } from '../plugins/shopify-default.js'
import { addVariantChanges } from '../changes.js'

/** What is stored with the decision: the public offer plus what signing and chaining need. */
export type StoredOffer = Offer & {
  productId: number | null
  next: { onAccept: string | null; onDecline: string | null }
}

const FALLBACK_HEADLINE = 'Add this to your order'

/**
 * Opaque, unguessable ids: an offer id alone never lets another checkout sign (the checkout is checked too).
 * A time prefix, then 104 random bits: ids grow with time, so the primary key index takes each insert on its last
 * page instead of a random one (one page written per batch, not one per decision).
 */
export function newId(prefix: 'of' | 'dc'): string {
  // randomUUID draws from a cached entropy pool: far cheaper per call than randomBytes.
  const random = randomUUID().replace(/-/g, '').slice(0, 26)
  return `${prefix}_${Date.now().toString(36)}${random}`
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
