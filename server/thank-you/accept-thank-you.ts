// POST /api/thank-you/accept's logic: only a stored Thank-you offer of the caller's shop and order, within its variants
// and quantities; one acceptance per offer (the limit counts both pages), then one order edit or a checkout, whose
// answer is stored so an identical repeat gets it again without asking Shopify.
import { randomUUID } from 'node:crypto'
import type { Storage } from '../db/storage.js'
import type { LineToAdd, ShopifyIntegration } from '../plugins/shopify-default.js'
import type { Buyer } from '../plugins/session-token-auth.js'
import { addVariantChanges } from '../changes.js'
import {
  OfferAlreadyAccepted,
  OfferExpired,
  OfferLimitReached,
  OfferNotFound,
  OrderEditRejected,
  OrderEditUnavailable,
  OrderNotYours,
  QuantityNotAllowed,
  ShopInactive,
  VariantNotAllowed
} from '../errors.js'
import { MAX_ACCEPTED_OFFERS, type ThankYouAcceptAnswer, type ThankYouAcceptRequest } from '../../contract/wire.js'
import { shopIsActive, type Log } from '../offers/shop-active.js'
import { PerCheckout } from '../offers/per-checkout.js'
import type { StoredThankYouOffer } from './decide-thank-you.js'

/** Time Shopify gets for the edit (begin, add, discount, commit, invoice) or the checkout. */
export const ACCEPT_BUDGET_MS = 10_000

export type ThankYouAcceptDeps = {
  storage: Storage
  shopify: ShopifyIntegration
  log?: Log
  budgetMs?: number
}

const SILENT: Log = { warn: () => {}, error: () => {} }

/** The integration's promise, bounded by the deadline; a throw is an `error`, a hang a `timeout`. */
async function bounded<T extends { ok: boolean }>(
  work: () => Promise<T>,
  deadline: number,
  log: Log
): Promise<T | { ok: false; reason: 'timeout' | 'error'; message: string }> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<{ ok: false; reason: 'timeout'; message: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: 'timeout', message: 'Shopify did not answer in time' }),
      Math.max(0, deadline - Date.now())
    )
  })
  try {
    return await Promise.race([
      Promise.resolve()
        .then(work)
        .catch((err: unknown) => {
          log.error({ err }, 'the Shopify integration threw')
          return { ok: false as const, reason: 'error' as const, message: 'the Shopify integration failed' }
        }),
      timeout
    ])
  } finally {
    clearTimeout(timer)
  }
}

export function createThankYouAccept(deps: ThankYouAcceptDeps) {
  const { storage, shopify } = deps
  const budgetMs = deps.budgetMs ?? ACCEPT_BUDGET_MS
  // A double tap waits for the first request in this process, then finds its stored answer (no second Shopify call).
  const perOffer = new PerCheckout()

  /** Asks Shopify: an order edit when the order can be edited, else (or when it turns out not to be) a checkout. */
  async function settle(
    shop: string,
    offer: StoredThankYouOffer,
    line: LineToAdd,
    log: Log
  ): Promise<ThankYouAcceptAnswer> {
    const deadline = Date.now() + budgetMs
    if (offer.settle === 'order_edit') {
      const added = await bounded(() => shopify.addToOrder(shop, line, deadline), deadline, log)
      if (added.ok) return { status: 'added', amountDue: added.amountDue, invoiceSent: added.invoiceSent }
      // Shopify will not edit this order (or the shop has not granted order editing yet): a separate checkout.
      if (added.reason !== 'not_editable' && added.reason !== 'scope_missing') fail(added.reason, added.message, log)
      log.warn({ reason: added.reason, order: line.orderId }, 'order not editable; offering a checkout instead')
    }
    const checkout = await bounded(() => shopify.singleUseCheckout(shop, line, deadline), deadline, log)
    if (checkout.ok) return { status: 'checkout', url: checkout.url }
    return fail(checkout.reason, checkout.message, log)
  }

  function fail(reason: string, message: string, log: Log): never {
    log.warn({ reason, message }, 'Shopify did not add the offer')
    if (reason === 'rejected' || reason === 'not_found' || reason === 'not_editable')
      throw new OrderEditRejected(message)
    throw new OrderEditUnavailable(reason)
  }

  async function acceptOnce(buyer: Buyer, req: ThankYouAcceptRequest, log: Log): Promise<ThankYouAcceptAnswer> {
    const row = await storage.decisionOfShop(req.offerId, buyer.shopDomain)
    if (!row || row.surface !== 'thank_you' || row.offer === null || row.ruleId === null) {
      throw new OfferNotFound(req.offerId)
    }
    const offer = JSON.parse(row.offer) as StoredThankYouOffer
    // The token proves the shop; a logged-in buyer must be the order's customer, as when the offer was made.
    if (buyer.customerId !== null && offer.order.customerId !== buyer.customerId) throw new OrderNotYours()
    const variantId = req.variantId ?? offer.variantId
    const quantity = req.quantity ?? offer.quantity.default
    if (!offer.variants.includes(variantId)) throw new VariantNotAllowed(variantId)
    if (quantity < offer.quantity.min || quantity > offer.quantity.max) {
      throw new QuantityNotAllowed(quantity, `${offer.quantity.min}..${offer.quantity.max}`)
    }

    let acceptance: { jti: string; answer: string | null; variantId: number; quantity: number } | undefined =
      await storage.acceptance(row.id)
    if (acceptance === undefined) {
      if (!shopIsActive(shopify, buyer.shopDomain, log)) throw new ShopInactive()
      if (row.signableUntil === null || Date.now() > row.signableUntil) throw new OfferExpired()
      const outcome = await storage.acceptOnce(
        {
          offerId: row.id,
          referenceId: row.referenceId,
          shopDomain: row.shopDomain,
          customerId: row.customerId,
          ruleId: row.ruleId,
          arm: row.arm,
          variantId,
          quantity,
          changes: JSON.stringify(addVariantChanges(variantId, quantity, offer.discount)),
          // The order edit's idempotency key: a retry after a failure cannot add the line twice.
          jti: randomUUID(),
          token: '',
          surface: 'thank_you',
          answer: null,
          createdAt: Date.now()
        },
        MAX_ACCEPTED_OFFERS
      )
      if (outcome.kind === 'limit-reached') throw new OfferLimitReached()
      acceptance = { ...outcome.row, answer: outcome.row.answer ?? null }
    }
    // Another variant or quantity than the one accepted: never a second line.
    if (acceptance.variantId !== variantId || acceptance.quantity !== quantity) throw new OfferAlreadyAccepted()
    if (acceptance.answer) return JSON.parse(acceptance.answer) as ThankYouAcceptAnswer

    // Accepted but not settled yet (the first time, or a retry after Shopify failed): ask Shopify with the same key.
    const line: LineToAdd = {
      orderId: offer.order.id,
      variantId,
      quantity,
      discount: offer.discount,
      idempotencyKey: acceptance.jti,
      customerId: offer.order.customerId
    }
    const answer = await settle(buyer.shopDomain, offer, line, log)
    await storage.settleAcceptance(row.id, JSON.stringify(answer))
    // Revenue for the reports: what the buyer is invoiced, when it is in the shop's currency (an amount in another
    // currency is never added to the shop's).
    if (answer.status === 'added' && answer.amountDue.currencyCode === offer.order.currency) {
      await storage.saveEvent({
        offerId: row.id,
        referenceId: row.referenceId,
        shopDomain: row.shopDomain,
        customerId: row.customerId,
        ruleId: row.ruleId,
        arm: row.arm,
        type: 'applied',
        status: 'order_edit',
        errors: null,
        amount: answer.amountDue.amount,
        createdAt: Date.now()
      })
    }
    return answer
  }

  return {
    accept: (buyer: Buyer, req: ThankYouAcceptRequest, log: Log = deps.log ?? SILENT) =>
      perOffer.run(`${buyer.shopDomain}\u0000${req.offerId}`, () => acceptOnce(buyer, req, log))
  }
}

export type ThankYouAccept = ReturnType<typeof createThankYouAccept>
