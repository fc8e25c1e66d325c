// Rebuilds a checkout's decisions for operators: stored facts + the ruleset they were decided with -> the explanation
// again.
import { buildFacts, decide, type Explanation } from '../rules/index.js'
import type { History, Surface } from '../rules/index.js'
import type { ExplainableDecision, Storage } from '../db/storage.js'
import type { RulesStore } from '../plugins/rules-store.js'
import type { DecisionContext } from './decide-offer.js'
import type { StoredOffer } from './offer.js'

export type DecisionReport = {
  id: string
  createdAt: string
  evaluatedAt: string
  ruleId: string | null
  arm: string | null
  holdout: boolean
  skipped: string | null
  /** The page the decision was for. */
  surface: Surface
  rulesetHash: string
  after: { offerId: string; outcome: string | null } | null
  answer: string | null
  offer: StoredOffer | null
  acceptance: { variantId: number; quantity: number; changes: unknown; createdAt: string } | null
  events: { type: string; status: string | null; errors: unknown; amount: string | null; createdAt: string }[]
  history: History
  explanation: Explanation | null
  explanationError: string | null
}

const NO_HISTORY: History = { shown: [], accepted: [], declined: [] }

/** The facts a decision was made with: the checkout's input_data and the decision's context (or a legacy row's). */
function factsOf(row: ExplainableDecision): { inputData: Record<string, unknown>; context: DecisionContext } | null {
  if (row.legacyFacts !== null) {
    const legacy = JSON.parse(row.legacyFacts) as DecisionContext & {
      inputData: Record<string, unknown>
      catalog: DecisionContext['catalog'] | null
      only: string[] | null
    }
    return {
      inputData: legacy.inputData,
      context: {
        history: legacy.history ?? NO_HISTORY,
        ...(legacy.catalog ? { catalog: legacy.catalog } : {}),
        ...(legacy.only ? { only: legacy.only } : {})
      }
    }
  }
  if (row.inputData === null) return null
  const context = row.context === null ? {} : (JSON.parse(row.context) as DecisionContext)
  return { inputData: JSON.parse(row.inputData) as Record<string, unknown>, context }
}

export async function explainCheckout(
  storage: Storage,
  rules: RulesStore,
  referenceId: string
): Promise<DecisionReport[]> {
  const [acceptanceRows, events, rows] = await Promise.all([
    storage.acceptancesFor(referenceId),
    storage.eventsFor(referenceId),
    storage.explainableDecisions(referenceId)
  ])
  const acceptances = new Map(acceptanceRows.map((a) => [a.offerId, a]))
  const reports: DecisionReport[] = []
  for (const row of rows) {
    const facts = factsOf(row)
    const history = facts?.context.history ?? NO_HISTORY
    let explanation: Explanation | null = null
    let explanationError: string | null = null
    const ruleset = await rules.byStoredHash(row.rulesetHash)
    if (facts === null) {
      explanationError = 'the checkout facts were pruned after the retention period (RETENTION_DAYS)'
    } else if (ruleset === null) {
      explanationError = `ruleset ${row.rulesetHash} is not stored`
    } else {
      const { only, catalog } = facts.context
      try {
        const built = buildFacts(facts.inputData, {
          history,
          now: new Date(row.createdAt),
          surface: row.surface,
          ...(catalog ? { catalog } : {})
        })
        explanation =
          decide(ruleset, built, { referenceId, explain: true, ...(only ? { only } : {}) }).explanation ?? null
      } catch (err) {
        explanationError = (err as Error).message
      }
    }
    const acc = acceptances.get(row.id)
    reports.push({
      id: row.id,
      createdAt: new Date(row.createdAt).toISOString(),
      evaluatedAt: new Date(row.createdAt).toISOString(),
      ruleId: row.ruleId,
      arm: row.arm,
      holdout: row.holdout,
      skipped: row.skipped,
      surface: row.surface,
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
      history,
      explanation,
      explanationError
    })
  }
  return reports
}
