// Rebuilds a checkout's decisions for operators: stored facts + the ruleset they were decided with -> the explanation
// again.
import { buildFacts, decide, type Explanation } from '../rules/index.js'
import type { Store } from '../db/store.js'
import type { RulesStore } from '../plugins/rules-store.js'
import type { StoredFacts } from './decide-offer.js'
import type { StoredOffer } from './offer.js'

export type DecisionReport = {
  id: string
  createdAt: string
  evaluatedAt: string
  ruleId: string | null
  arm: string | null
  holdout: boolean
  skipped: string | null
  rulesetHash: string
  after: { offerId: string; outcome: string | null } | null
  answer: string | null
  offer: StoredOffer | null
  acceptance: { variantId: number; quantity: number; changes: unknown; createdAt: string } | null
  events: { type: string; status: string | null; errors: unknown; amount: string | null; createdAt: string }[]
  history: StoredFacts['history']
  explanation: Explanation | null
  explanationError: string | null
}

export function explainCheckout(store: Store, rules: RulesStore, referenceId: string): DecisionReport[] {
  const acceptances = new Map(store.acceptancesFor(referenceId).map((a) => [a.offerId, a]))
  const events = store.eventsFor(referenceId)
  return store.decisionsFor(referenceId).map((row) => {
    const facts = JSON.parse(row.facts) as StoredFacts
    let explanation: Explanation | null = null
    let explanationError: string | null = null
    const ruleset = rules.byStoredHash(row.rulesetHash)
    if (ruleset === null) {
      explanationError = `ruleset ${row.rulesetHash} is not stored`
    } else {
      try {
        const built = buildFacts(facts.inputData, {
          history: facts.history,
          now: new Date(row.evaluatedAt),
          ...(facts.catalog ? { catalog: facts.catalog } : {})
        })
        explanation =
          decide(ruleset, built, { referenceId, explain: true, ...(facts.only ? { only: facts.only } : {}) })
            .explanation ?? null
      } catch (err) {
        explanationError = (err as Error).message
      }
    }
    const acc = acceptances.get(row.id)
    return {
      id: row.id,
      createdAt: new Date(row.createdAt).toISOString(),
      evaluatedAt: row.evaluatedAt,
      ruleId: row.ruleId,
      arm: row.arm,
      holdout: row.holdout,
      skipped: row.skipped,
      rulesetHash: row.rulesetHash,
      after: row.afterOfferId ? { offerId: row.afterOfferId, outcome: row.afterOutcome } : null,
      answer: row.answer,
      offer: row.offer ? (JSON.parse(row.offer) as StoredOffer) : null,
      // Never the signed token itself: it is a bearer credential for Shopify.
      acceptance: acc
        ? {
            variantId: acc.variantId,
            quantity: acc.quantity,
            changes: JSON.parse(acc.changes),
            createdAt: new Date(acc.createdAt).toISOString()
          }
        : null,
      events: events
        .filter((e) => e.offerId === row.id)
        .map((e) => ({
          type: e.type,
          status: e.status,
          errors: e.errors ? JSON.parse(e.errors) : null,
          amount: e.amount,
          createdAt: new Date(e.createdAt).toISOString()
        })),
      history: facts.history,
      explanation,
      explanationError
    }
  })
}
