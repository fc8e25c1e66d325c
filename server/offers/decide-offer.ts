// POST /api/offer's logic: reuse an open offer, follow a `next` chain, or decide afresh; one stored decision per
// checkout step.
import { buildFacts, decide, type CatalogFacts, type History, type Ruleset } from '../rules/index.js'
import type { Checkout } from '../plugins/checkout-auth.js'
import type { ShopifyIntegration } from '../plugins/shopify-default.js'
import type { Config } from '../config.js'
import type { DecisionRow, Storage } from '../db/storage.js'
import { OfferNotFound } from '../errors.js'
import { buildOffer, newId, signableUntil, type StoredOffer } from './offer.js'
import type { After, OfferAnswer } from '../../contract/wire.js'
import { PerCheckout } from './per-checkout.js'
import { shopIsActive, type Log } from './shop-active.js'

/** A decision's own facts beside the checkout's input_data; each part is omitted when empty (most decisions). */
export type DecisionContext = {
  history?: History
  catalog?: CatalogFacts
  only?: string[]
}

export type OfferServiceDeps = {
  storage: Storage
  /** Read once per request: a reload during a request does not change which rules it uses. */
  rules: { current(): Ruleset }
  shopify: ShopifyIntegration
  config: Pick<Config, 'shopifyBudgetMs' | 'offerHoldSeconds'>
  log?: Log
}

export type OfferService = {
  offerFor(checkout: Checkout, after: After | undefined, log?: Log): Promise<OfferAnswer>
}

const NO_RENDER: OfferAnswer = { render: false }
const SILENT: Log = { warn: () => {}, error: () => {} }

/**
 * Resolves to `fallback` when `work` is slower than the deadline or fails: Shopify being slow never blocks an offer
 * page.
 */
export async function withDeadline<T>(
  start: () => Promise<T>,
  deadline: number,
  fallback: T,
  onFail: (err: unknown) => void
): Promise<T> {
  // Started inside a promise so that even a synchronous throw from the integration becomes the fallback.
  const work = Promise.resolve().then(start)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, deadline - Date.now()))
  })
  try {
    return await Promise.race([
      work.catch((err: unknown) => {
        onFail(err)
        return fallback
      }),
      timeout
    ])
  } finally {
    clearTimeout(timer)
  }
}

function storedAnswer(row: DecisionRow): OfferAnswer {
  if (row.offer === null || row.answer !== null) return NO_RENDER
  return { render: true, offer: JSON.parse(row.offer) as StoredOffer }
}

/** The checkout's history from the database, plus an answer that may not be committed yet. */
function historyOf(rows: DecisionRow[], pending?: { ruleId: string; outcome: 'accepted' | 'declined' }): History {
  const shown = new Set<string>()
  const accepted = new Set<string>()
  const declined = new Set<string>()
  for (const r of rows) {
    if (r.ruleId === null || r.offer === null) continue
    shown.add(r.ruleId)
    if (r.answer === 'accepted') accepted.add(r.ruleId)
    if (r.answer === 'declined') declined.add(r.ruleId)
  }
  if (pending) (pending.outcome === 'accepted' ? accepted : declined).add(pending.ruleId)
  return { shown: [...shown], accepted: [...accepted], declined: [...declined] }
}

/**
 * The step a request asks about. After an answered offer: that offer. Otherwise: the latest offer made so far, so a
 * checkout is decided afresh only once its last offer was answered or expired, and every repeat before then finds the
 * stored decision, offer or not.
 */
function stepOf(rows: DecisionRow[], after: After | undefined): string {
  if (after) return `a:${after.offerId}`
  let latest = ''
  for (const r of rows) if (r.offer !== null) latest = r.id
  return `s:${latest}`
}

const currencyOf = (inputData: Record<string, unknown>): string | null => {
  const purchase = inputData.initialPurchase as { totalPriceSet?: { shopMoney?: { currencyCode?: unknown } } }
  const code = purchase?.totalPriceSet?.shopMoney?.currencyCode
  return typeof code === 'string' ? code : null
}

export function createOfferService(deps: OfferServiceDeps): OfferService {
  const { storage, rules, shopify, config } = deps
  // An optimisation over the database's own guarantee (one decision per step): concurrent calls for one checkout in
  // this process wait for each other instead of deciding twice and throwing one decision away.
  const perCheckout = new PerCheckout()

  async function decideFor(checkout: Checkout, after: After | undefined, log: Log): Promise<OfferAnswer> {
    const ruleset = rules.current()
    const now = Date.now()
    const deadline = now + config.shopifyBudgetMs
    const { referenceId, shopDomain } = checkout

    if (!shopIsActive(shopify, shopDomain, log)) return NO_RENDER

    const rows = await storage.decisionsFor(referenceId)
    const step = stepOf(rows, after)
    let only: string[] | null = null
    let pending: { ruleId: string; outcome: 'accepted' | 'declined' } | undefined
    if (after) {
      const prev = rows.find((r) => r.id === after.offerId)
      if (!prev || prev.offer === null || prev.ruleId === null || prev.surface !== 'post_purchase')
        throw new OfferNotFound(after.offerId)
      // ShouldRender and Render may both ask: the same step of a chain gets the same answer.
      const existing = rows.findLast((r) => r.afterOfferId === after.offerId)
      if (existing) return storedAnswer(existing)
      // A signed acceptance outranks what the client says.
      const outcome = (prev.answer as After['outcome'] | null) ?? after.outcome
      if (prev.answer === null) await storage.setAnswer(prev.id, outcome)
      pending = { ruleId: prev.ruleId, outcome }
      const next = (JSON.parse(prev.offer) as StoredOffer).next
      const nextId = outcome === 'accepted' ? next.onAccept : next.onDecline
      if (nextId === null) return NO_RENDER
      only = [nextId]
    } else {
      // Only this page's offers: a Thank-you offer of the same checkout is settled by an order edit, never signed.
      const open = rows.findLast((r) => r.surface === 'post_purchase' && r.offer !== null && r.answer === null)
      if (open && (open.signableUntil ?? 0) > now) return storedAnswer(open)
      // No offer, holdout, unavailable: this step was answered already, and the answer stands.
      const existing = rows.find((r) => r.step === step)
      if (existing) return storedAnswer(existing)
    }

    const history = historyOf(rows, pending)
    let catalog: CatalogFacts | undefined
    if (ruleset.needs.productCatalog || ruleset.needs.customerCatalog) {
      catalog = await withDeadline(
        () => shopify.catalogFacts(shopDomain, checkout.inputData, ruleset.needs, deadline),
        deadline,
        undefined,
        (err) => log.warn({ err }, 'catalog facts failed; deciding without them')
      )
    }

    // A checkout lacking what every checkout has throws RulesError INPUT_DATA_INVALID: the error handler answers 400.
    const facts = buildFacts(checkout.inputData, { history, now: new Date(now), catalog })
    const decision = decide(ruleset, facts, { referenceId, ...(only ? { only } : {}) })

    let offer: StoredOffer | null = null
    let skipped: string | null = decision.holdout ? 'holdout' : null
    let until: number | null = null
    const id = newId(decision.offer ? 'of' : 'dc')
    if (decision.offer) {
      const offerVariant = decision.offer.variantId
      const info = await withDeadline(
        () => shopify.variantInfo(shopDomain, offerVariant, deadline),
        deadline,
        null,
        (err) => log.warn({ err }, 'variant look-up failed; using the rule content alone')
      )
      if (info && !info.available) {
        skipped = 'unavailable'
      } else {
        offer = buildOffer(id, decision.offer, info, now)
        until = signableUntil(decision.offer, now, config.offerHoldSeconds)
      }
    }

    const context: DecisionContext = {}
    if (history.shown.length + history.accepted.length + history.declined.length > 0) context.history = history
    if (catalog) context.catalog = catalog
    if (only) context.only = only
    const { row, stored } = await storage.decideOnce(
      {
        referenceId,
        shopDomain,
        customerId: checkout.customerId,
        currency: currencyOf(checkout.inputData),
        facts: JSON.stringify(checkout.inputData),
        createdAt: now
      },
      {
        id,
        referenceId,
        shopDomain,
        customerId: checkout.customerId,
        step,
        ruleId: decision.ruleId,
        arm: decision.arm,
        holdout: decision.holdout,
        skipped,
        rulesetHash: ruleset.hash,
        context: context.history || context.catalog || context.only ? JSON.stringify(context) : null,
        offer: offer ? JSON.stringify(offer) : null,
        signableUntil: until,
        afterOfferId: after?.offerId ?? null,
        afterOutcome: pending?.outcome ?? null,
        answer: null,
        createdAt: now
      }
    )
    // Another process decided this step first: its answer is the checkout's.
    if (!stored) return storedAnswer(row)
    return offer ? { render: true, offer } : NO_RENDER
  }

  return {
    offerFor: (checkout, after, log = deps.log ?? SILENT) =>
      perCheckout.run(checkout.referenceId, () => decideFor(checkout, after, log))
  }
}
