// POST /api/sign-changeset's logic: changes come from the stored decision alone; the acceptance commits before the
// token leaves.
import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import type { AcceptanceRow, Storage } from '../db/storage.js'
import type { ShopifyIntegration } from '../plugins/shopify-default.js'
import type { Config } from '../config.js'
import type { Checkout } from '../plugins/checkout-auth.js'
import { addVariantChanges } from '../changes.js'
import {
  OfferAlreadyAccepted,
  OfferExpired,
  OfferLimitReached,
  OfferNotFound,
  QuantityNotAllowed,
  ShopInactive,
  VariantNotAllowed
} from '../errors.js'
import type { StoredOffer } from './offer.js'
import { shopIsActive, type Log } from './shop-active.js'
import { MAX_ACCEPTED_OFFERS, type SignRequest } from '../../contract/wire.js'

/** Builds the signer once: HS256 with the app's secret, claims as Shopify expects them (iat in seconds). */
export function createChangesetSigner(config: Pick<Config, 'apiKey' | 'apiSecret' | 'changesetTtlSeconds'>) {
  const sign = createSigner({ key: config.apiSecret, algorithm: 'HS256' })
  return (referenceId: string, changes: unknown, now: number): { token: string; jti: string } => {
    const iat = Math.floor(now / 1000)
    const jti = randomUUID()
    const token = sign({
      iss: config.apiKey,
      jti,
      iat,
      exp: iat + config.changesetTtlSeconds,
      sub: referenceId,
      changes
    })
    return { token, jti }
  }
}

export type ChangesetSigner = ReturnType<typeof createChangesetSigner>

export type OfferSignerDeps = {
  storage: Storage
  shopify: Pick<ShopifyIntegration, 'isShopActive'>
  config: Pick<Config, 'apiKey' | 'apiSecret' | 'changesetTtlSeconds'>
  log?: Log
}

const SILENT: Log = { warn: () => {}, error: () => {} }

/**
 * `isShopActive` is asked again here, not only when the offer was made: a shop that uninstalled the
 * app in between must not get a new charge signed in its name.
 */
export function createOfferSigner(deps: OfferSignerDeps) {
  const { storage, shopify } = deps
  const signer = createChangesetSigner(deps.config)

  return async function signOffer(checkout: Checkout, req: SignRequest, log = deps.log ?? SILENT): Promise<string> {
    const now = Date.now()
    const row = await storage.decision(req.offerId, checkout.referenceId)
    // A Thank-you offer of the same checkout is added by an order edit (POST /api/thank-you/accept), never signed.
    if (!row || row.offer === null || row.ruleId === null || row.surface !== 'post_purchase')
      throw new OfferNotFound(req.offerId)
    const offer = JSON.parse(row.offer) as StoredOffer
    const variantId = req.variantId ?? offer.variantId
    const quantity = req.quantity ?? offer.quantity.default
    if (!offer.variants.includes(variantId)) throw new VariantNotAllowed(variantId)
    if (quantity < offer.quantity.min || quantity > offer.quantity.max) {
      throw new QuantityNotAllowed(quantity, `${offer.quantity.min}..${offer.quantity.max}`)
    }
    // A double tap gets the very same token, so it can never become a second charge.
    const sameOrConflict = (existing: AcceptanceRow): string => {
      if (existing.variantId === variantId && existing.quantity === quantity) return existing.token
      throw new OfferAlreadyAccepted()
    }
    const existing = await storage.acceptance(row.id)
    if (existing) return sameOrConflict(existing)
    if (!shopIsActive(shopify, checkout.shopDomain, log)) throw new ShopInactive()
    if (row.signableUntil === null || now > row.signableUntil) throw new OfferExpired()
    const changes = addVariantChanges(variantId, quantity, offer.discount)
    const { token, jti } = signer(checkout.referenceId, changes, now)
    // The database decides, atomically: a concurrent request may have accepted this offer or reached the limit.
    const outcome = await storage.acceptOnce(
      {
        offerId: row.id,
        referenceId: checkout.referenceId,
        shopDomain: checkout.shopDomain,
        customerId: checkout.customerId,
        ruleId: row.ruleId,
        arm: row.arm,
        variantId,
        quantity,
        changes: JSON.stringify(changes),
        jti,
        token,
        createdAt: now
      },
      MAX_ACCEPTED_OFFERS
    )
    if (outcome.kind === 'existing') return sameOrConflict(outcome.row)
    if (outcome.kind === 'limit-reached') throw new OfferLimitReached()
    return token
  }
}

export type OfferSigner = ReturnType<typeof createOfferSigner>
