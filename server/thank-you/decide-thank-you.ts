// POST /api/thank-you/offer's logic: prove the order is the caller's, join it to its post-purchase checkout (or stand
// for it when it had none), then decide with the same rules and one history across both pages.
import { buildFacts, decide, MAX_ACCEPTED_OFFERS, type CatalogFacts, type History } from '../rules/index.js'
import type { DecisionRow, Storage } from '../db/storage.js'
import type { PaidOrder, ShopifyIntegration, VariantInfo } from '../plugins/shopify-default.js'
import type { Buyer } from '../plugins/session-token-auth.js'
import type { Config } from '../config.js'
import type {
  Discount,
  ThankYouOffer,
  ThankYouOfferAnswer,
  ThankYouOfferRequest,
  UnitPrice
} from '../../contract/wire.js'
import { buildOffer, newId, type StoredOffer } from '../offers/offer.js'
import { withDeadline, type DecisionContext } from '../offers/decide-offer.js'
import { PerCheckout } from '../offers/per-checkout.js'
import { shopIsActive, type Log } from '../offers/shop-active.js'
import { ORDER_MAX_AGE_MS, proveOrder } from './prove-order.js'
import { checkoutIdsOf, inputDataOfOrder, orderReferenceId } from './order-facts.js'

/** What a Thank-you offer stores beside the public offer: the order it was made for (never sent to the page). */
export type StoredThankYouOffer = StoredOffer &
  Pick<ThankYouOffer, 'settle' | 'prices' | 'orderName'> & {
    order: { id: string; legacyId: string; customerId: number | null; currency: string; createdAt: string }
  }

/**
 * The whole request may take this long: the order look-up (and its retries while Shopify does not know the order
 * yet), the catalog and the variants. The extension gives up after 5 s.
 */
export const THANK_YOU_BUDGET_MS = 3500
/** At most this many variants are looked up for their prices (a picker is a handful). */
const MAX_PRICED_VARIANTS = 10

export type ThankYouDeps = {
  storage: Storage
  rules: { current(): import('../rules/index.js').Ruleset }
  shopify: ShopifyIntegration
  config: Pick<Config, 'shopifyBudgetMs'>
  log?: Log
  /**
   * The reference id Shopify's order webhooks linked to this order (by its checkout token and the other ids the Admin
   * API's order lacks), when known: the second way to find the order's post-purchase checkout.
   */
  linkedCheckout?: (shopDomain: string, orderLegacyId: string) => Promise<string | null>
  /** Tests shorten these. */
  budgetMs?: number
  retryDelaysMs?: readonly number[]
}

const NO_RENDER: ThankYouOfferAnswer = { render: false }
const SILENT: Log = { warn: () => {}, error: () => {} }

/** The public offer: what the page may see of the stored one. */
export function publicOffer(o: StoredThankYouOffer): ThankYouOffer {
  const { productId: _p, next: _n, order: _o, ...offer } = o
  return offer
}

function storedAnswer(row: DecisionRow, now: number): ThankYouOfferAnswer {
  if (row.offer === null || row.answer !== null || (row.signableUntil ?? 0) <= now) return NO_RENDER
  return { render: true, offer: publicOffer(JSON.parse(row.offer) as StoredThankYouOffer) }
}

/**
 * One history across both pages. An offer left unanswered counts as declined once its page is gone: a post-purchase
 * one always (the buyer is on the Thank-you page now), a Thank-you one once it expired.
 */
function historyOf(rows: DecisionRow[], now: number): History {
  const shown = new Set<string>()
  const accepted = new Set<string>()
  const declined = new Set<string>()
  for (const r of rows) {
    if (r.ruleId === null || r.offer === null) continue
    shown.add(r.ruleId)
    const outcome = outcomeOf(r, now)
    if (outcome === 'accepted') accepted.add(r.ruleId)
    else if (outcome === 'declined') declined.add(r.ruleId)
  }
  return { shown: [...shown], accepted: [...accepted], declined: [...declined] }
}

function outcomeOf(r: DecisionRow, now: number): 'accepted' | 'declined' | null {
  if (r.answer === 'accepted' || r.answer === 'declined') return r.answer
  if (r.surface === 'post_purchase' || (r.signableUntil ?? 0) <= now) return 'declined'
  return null
}

/** The unit price after the offer's discount (a fixed amount comes off each unit, as an order edit applies it). */
function unitPrice(info: VariantInfo, discount: Discount | null, currencyCode: string): UnitPrice {
  let after = info.price
  if (discount?.type === 'percentage') after = info.price * (1 - discount.value / 100)
  else if (discount?.type === 'fixed_amount') after = info.price - discount.value
  const cents = (n: number) => (Math.round(Math.max(0, n) * 100) / 100).toFixed(2)
  return { amount: cents(after), originalAmount: cents(info.price), currencyCode }
}

export function createThankYouOffers(deps: ThankYouDeps) {
  const { storage, rules, shopify } = deps
  const perCheckout = new PerCheckout()
  const budgetMs = deps.budgetMs ?? THANK_YOU_BUDGET_MS

  async function decideFor(
    order: PaidOrder,
    buyer: Buyer,
    referenceId: string,
    inputData: Record<string, unknown>,
    log: Log
  ): Promise<ThankYouOfferAnswer> {
    const ruleset = rules.current()
    const now = Date.now()
    const deadline = now + deps.config.shopifyBudgetMs
    const [rows, accepted] = await Promise.all([storage.decisionsFor(referenceId), storage.acceptancesFor(referenceId)])
    // The limit counts acceptances on both pages (an open offer made before the last one is not shown either); the
    // rules see it too (payment.eligible), the server holds it anyway.
    if (accepted.length >= MAX_ACCEPTED_OFFERS) return NO_RENDER
    // The open Thank-you offer of this order, asked again (a reload, a second block): the same answer.
    const open = rows.findLast((r) => r.surface === 'thank_you' && r.offer !== null && r.answer === null)
    if (open && (open.signableUntil ?? 0) > now) return storedAnswer(open, now)

    // The step: after the last offer made on either page, whatever its outcome. Stored once, so a repeat (or a second
    // instance) gets the same answer.
    const last = rows.findLast((r) => r.offer !== null && r.ruleId !== null)
    const step = `ty:${last?.id ?? ''}`
    const existing = rows.find((r) => r.step === step)
    if (existing) return storedAnswer(existing, now)

    const history = historyOf(rows, now)
    if (history.accepted.length >= MAX_ACCEPTED_OFFERS) return NO_RENDER

    // A chain continues from the last offer: its `next` for the outcome it had.
    let only: string[] | undefined
    let afterOutcome: 'accepted' | 'declined' | null = null
    if (last?.offer) {
      afterOutcome = outcomeOf(last, now) ?? 'declined'
      const next = (JSON.parse(last.offer) as StoredOffer).next
      const nextId = afterOutcome === 'accepted' ? next.onAccept : next.onDecline
      if (nextId !== null) only = [nextId]
    }

    let catalog: CatalogFacts | undefined
    if (ruleset.needs.productCatalog || ruleset.needs.customerCatalog) {
      catalog = await withDeadline(
        () => shopify.catalogFacts(buyer.shopDomain, inputData, ruleset.needs, deadline),
        deadline,
        undefined,
        (err) => log.warn({ err }, 'catalog facts failed; deciding without them')
      )
    }
    const facts = buildFacts(inputData, { history, now: new Date(now), catalog, surface: 'thank_you' })
    const decision = decide(ruleset, facts, { referenceId, ...(only ? { only } : {}) })

    let offer: StoredThankYouOffer | null = null
    let skipped: string | null = decision.holdout ? 'holdout' : null
    let until: number | null = null
    const id = newId(decision.offer ? 'of' : 'dc')
    // Enforced here, not only by the history fact: an offer shown on either page is never made again.
    if (decision.offer && history.shown.includes(decision.offer.ruleId)) {
      log.error({ ruleId: decision.offer.ruleId, referenceId }, 'a rule already shown was chosen again; not offered')
      skipped = 'already_shown'
    } else if (decision.offer) {
      const resolved = decision.offer
      const variants = (resolved.variants.length > 0 ? resolved.variants : [resolved.variantId]).slice(
        0,
        MAX_PRICED_VARIANTS
      )
      const infos = await Promise.all(
        variants.map((v) =>
          withDeadline(
            () => shopify.variantInfo(buyer.shopDomain, v, deadline),
            deadline,
            null,
            (err) => log.warn({ err }, 'variant look-up failed; using the rule content alone')
          )
        )
      )
      const info = infos[variants.indexOf(resolved.variantId)] ?? null
      if (info && !info.available) {
        skipped = 'unavailable'
      } else {
        // Prices in the shop's currency: shown only when the buyer pays in it (an order edit charges in the order's
        // presentment currency, which we cannot convert to).
        let prices: Record<string, UnitPrice> | undefined
        if (order.presentmentCurrency === order.currency) {
          prices = {}
          variants.forEach((v, i) => {
            const vi = infos[i]
            if (vi && prices) prices[String(v)] = unitPrice(vi, resolved.discount, order.currency)
          })
          if (Object.keys(prices).length === 0) prices = undefined
        }
        offer = {
          ...buildOffer(id, resolved, info, now),
          settle: order.editable ? 'order_edit' : 'checkout',
          ...(prices ? { prices } : {}),
          orderName: order.name,
          order: {
            id: order.id,
            legacyId: order.legacyId,
            customerId: order.customerId,
            currency: order.currency,
            createdAt: order.createdAt
          }
        }
        // Acceptable until the order is 2 hours old (the ownership window), or the offer's own countdown.
        const orderDeadline = Date.parse(order.createdAt) + ORDER_MAX_AGE_MS
        until = Math.min(orderDeadline, resolved.expiresInSeconds ? now + resolved.expiresInSeconds * 1000 : Infinity)
        if (until <= now) {
          offer = null
          skipped = 'order_too_old'
        }
      }
    }

    const context: DecisionContext = {}
    if (history.shown.length + history.accepted.length + history.declined.length > 0) context.history = history
    if (catalog) context.catalog = catalog
    if (only) context.only = only
    const customerId = order.customerId === null ? null : String(order.customerId)
    const { row, stored } = await storage.decideOnce(
      {
        referenceId,
        shopDomain: buyer.shopDomain,
        customerId,
        currency: order.currency,
        facts: JSON.stringify(inputData),
        createdAt: now
      },
      {
        id,
        referenceId,
        shopDomain: buyer.shopDomain,
        customerId,
        step,
        ruleId: decision.ruleId,
        arm: decision.arm,
        holdout: decision.holdout,
        skipped,
        rulesetHash: ruleset.hash,
        context: context.history || context.catalog || context.only ? JSON.stringify(context) : null,
        offer: offer ? JSON.stringify(offer) : null,
        signableUntil: until,
        afterOfferId: last?.id ?? null,
        afterOutcome,
        answer: null,
        surface: 'thank_you',
        createdAt: now
      }
    )
    if (!stored) return storedAnswer(row, now)
    return offer ? { render: true, offer: publicOffer(offer) } : NO_RENDER
  }

  /** The answer to POST /api/thank-you/offer; throws ORDER_NOT_YOURS (403) when the order is not the caller's. */
  async function offerFor(buyer: Buyer, req: ThankYouOfferRequest, log: Log = deps.log ?? SILENT) {
    if (!shopIsActive(shopify, buyer.shopDomain, log)) return NO_RENDER
    const proof = await proveOrder(shopify, buyer, req, Date.now() + budgetMs, {
      log,
      ...(deps.retryDelaysMs ? { retryDelaysMs: deps.retryDelaysMs } : {})
    })
    if (!proof.ok) {
      log.warn({ reason: proof.reason, shop: buyer.shopDomain }, 'the Admin API could not show the order; no offer')
      return NO_RENDER
    }
    const { order } = proof
    if (order.cancelled) return NO_RENDER
    // The order's post-purchase checkout, when it had one: its facts and its decisions are this order's.
    let found = await storage.findCheckout(buyer.shopDomain, checkoutIdsOf(order))
    if (found === undefined && deps.linkedCheckout) {
      const linked = await deps.linkedCheckout(buyer.shopDomain, order.legacyId)
      if (linked !== null) found = await storage.findCheckout(buyer.shopDomain, [linked])
    }
    const referenceId = found?.referenceId ?? orderReferenceId(order)
    const inputData =
      found?.facts != null
        ? (JSON.parse(found.facts) as Record<string, unknown>)
        : inputDataOfOrder(order, buyer.shopDomain, referenceId)
    return perCheckout.run(referenceId, () => decideFor(order, buyer, referenceId, inputData, log))
  }

  return { offerFor }
}

export type ThankYouOffers = ReturnType<typeof createThankYouOffers>
