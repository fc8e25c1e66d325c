// POST /api/offer's logic: reuse an open offer, follow a `next` chain, or decide afresh; store the decision before
// answering.
import type { FastifyInstance } from 'fastify'
import { buildFacts, decide, type CatalogFacts, type History } from '../rules/index.js'
import type { Checkout } from '../plugins/checkout-auth.js'
import type { DecisionRow } from '../db/store.js'
import { httpError } from '../errors.js'
import { shopIsActive } from './shop-active.js'
import { buildOffer, newId, signableUntil, type Offer, type StoredOffer } from './offer.js'

export type OfferAnswer = { render: false } | { render: true; offer: Offer }
export type After = { offerId: string; outcome: 'accepted' | 'declined' }

/** What is stored with each decision so /admin/decisions can recompute its explanation exactly. */
export type StoredFacts = {
  inputData: Record<string, unknown>
  history: History
  catalog: CatalogFacts | null
  only: string[] | null
}

const NO_RENDER: OfferAnswer = { render: false }

/**
 * Resolves to `fallback` when `work` is slower than the deadline or fails: Shopify being slow never blocks an offer
 * page.
 */
async function withDeadline<T>(
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

export async function offerFor(
  app: FastifyInstance,
  checkout: Checkout,
  after: After | undefined,
  log: FastifyInstance['log']
): Promise<OfferAnswer> {
  const { store, shopify, config } = app
  // Read once: a reload during this request does not change which rules it uses.
  const ruleset = app.rules.current()
  const now = Date.now()
  const deadline = now + config.shopifyBudgetMs
  const { referenceId, shopDomain } = checkout

  if (!shopIsActive(app, shopDomain, log)) return NO_RENDER

  const rows = store.decisionsFor(referenceId)
  let only: string[] | null = null
  let pending: { ruleId: string; outcome: 'accepted' | 'declined' } | undefined
  if (after) {
    const prev = rows.find((r) => r.id === after.offerId)
    if (!prev || prev.offer === null || prev.ruleId === null) throw httpError('OFFER_NOT_FOUND', after.offerId)
    // ShouldRender and Render may both ask: the same step of a chain gets the same answer.
    const existing = rows.findLast((r) => r.afterOfferId === after.offerId)
    if (existing) return storedAnswer(existing)
    // A signed acceptance outranks what the client says.
    const outcome = (prev.answer as After['outcome'] | null) ?? after.outcome
    if (prev.answer === null) await store.setAnswer(prev.id, outcome)
    pending = { ruleId: prev.ruleId, outcome }
    const next = (JSON.parse(prev.offer) as StoredOffer).next
    const nextId = outcome === 'accepted' ? next.onAccept : next.onDecline
    if (nextId === null) return NO_RENDER
    only = [nextId]
  } else {
    const open = rows.findLast((r) => r.offer !== null && r.answer === null)
    if (open && (open.signableUntil ?? 0) > now) return storedAnswer(open)
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

  let facts
  try {
    facts = buildFacts(checkout.inputData, { history, now: new Date(now), catalog })
  } catch (err) {
    if ((err as { code?: string }).code === 'INPUT_DATA_INVALID')
      throw httpError('INPUT_DATA_INVALID', (err as Error).message)
    throw err
  }
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

  const stored: StoredFacts = { inputData: checkout.inputData, history, catalog: catalog ?? null, only }
  await store.saveDecision({
    id,
    referenceId,
    shopDomain,
    customerId: checkout.customerId,
    ruleId: decision.ruleId,
    arm: decision.arm,
    holdout: decision.holdout,
    skipped,
    rulesetHash: ruleset.hash,
    facts: JSON.stringify(stored),
    evaluatedAt: new Date(now).toISOString(),
    offer: offer ? JSON.stringify(offer) : null,
    signableUntil: until,
    afterOfferId: after?.offerId ?? null,
    afterOutcome: pending?.outcome ?? null,
    answer: null,
    createdAt: now
  })
  return offer ? { render: true, offer } : NO_RENDER
}
