// Chooses the offer for a checkout: eligibility, the first matching rule in selection order, the arm.
import { assignArm } from './arms.js'
import { compiledOf, type RuleEntry } from './compiled-ruleset.js'
import { RulesError } from './errors.js'
import { MAX_ACCEPTED_OFFERS } from './facts.js'
import { resolveOffer } from './resolve-offer.js'
import type { DecideOptions, Decision, Explanation, Facts, RuleExplanation, RuleStatus, Ruleset } from './types.js'
import type { FactBag } from './compile-conditions.js'

const NO_DECISION: Decision = Object.freeze({ ruleId: null, arm: null, holdout: false, offer: null }) as Decision

/** Why a rule cannot be offered at all in this checkout, before its conditions are looked at. */
export function ineligibility(
  entry: RuleEntry,
  facts: Facts,
  nowMs: number,
  only: ReadonlySet<string> | null
): RuleStatus | null {
  const { rule } = entry
  if (!rule.enabled) return 'disabled'
  if (rule.schedule !== null && !(nowMs >= entry.fromMs && nowMs <= entry.untilMs)) return 'outside_schedule'
  if (only !== null && !only.has(rule.id)) return 'not_requested'
  const h = facts.history
  if (h.shown.includes(rule.id) || h.accepted.includes(rule.id) || h.declined.includes(rule.id))
    return 'already_in_history'
  if (h.accepted.length >= MAX_ACCEPTED_OFFERS) return 'offer_limit_reached'
  return null
}

function checkOptions(facts: Facts, opts: DecideOptions): void {
  if (!opts || typeof opts.referenceId !== 'string')
    throw new RulesError('INVALID_OPTIONS', 'decide: opts.referenceId must be a string')
  if (!facts || typeof facts !== 'object' || !facts.history)
    throw new RulesError('INVALID_OPTIONS', 'decide: facts must come from buildFacts()')
}

/** The decision for a winning rule (or none): assigns the arm and resolves the offer. */
export function finishDecision(winner: RuleEntry | null, facts: Facts, referenceId: string): Decision {
  if (winner === null) return { ...NO_DECISION }
  const { rule } = winner
  const arm = rule.experiment ? assignArm(rule.experiment, referenceId) : null
  if (arm?.holdout) return { ruleId: rule.id, arm: arm.id, holdout: true, offer: null }
  return { ruleId: rule.id, arm: arm ? arm.id : null, holdout: false, offer: resolveOffer(rule, arm, facts.locale) }
}

export function decide(ruleset: Ruleset, facts: Facts, opts: DecideOptions): Decision {
  checkOptions(facts, opts)
  if (opts.explain) return explainDecide(ruleset, facts, opts)
  if (facts.history.accepted.length >= MAX_ACCEPTED_OFFERS) return { ...NO_DECISION }
  const compiled = compiledOf(ruleset)
  const nowMs = Date.parse(facts.now)
  const only = opts.only ? new Set(opts.only) : null
  const bag = facts as unknown as FactBag
  let winner: RuleEntry | null = null
  if (only !== null && only.size < 8) {
    // A chain asks for one or two rules: look them up rather than scanning candidates.
    const entries = [...only].map((id) => compiled.byId.get(id)).filter((e) => e !== undefined)
    entries.sort((a, b) => a.rank - b.rank)
    winner = entries.find((e) => ineligibility(e, facts, nowMs, only) === null && e.compiled.test(bag)) ?? null
  } else {
    const ranks = compiled.index.candidates(facts)
    for (let i = 0; i < ranks.length; i++) {
      const e = compiled.ordered[ranks[i] as number] as RuleEntry
      if (ineligibility(e, facts, nowMs, only) === null && e.compiled.test(bag)) {
        winner = e
        break
      }
    }
  }
  return finishDecision(winner, facts, opts.referenceId)
}

const REASONS: Record<RuleStatus, string> = {
  disabled: 'the rule is disabled',
  outside_schedule: "now is outside the rule's schedule",
  not_requested: 'only other rules were asked for (a `next` chain)',
  already_in_history: 'this checkout already saw this rule',
  offer_limit_reached: `the checkout already accepted ${MAX_ACCEPTED_OFFERS} offers`,
  not_matched: 'some conditions did not hold',
  matched: 'the conditions held, but a rule earlier in selection order won',
  won: 'the conditions held and no rule earlier in selection order did'
}

/** Evaluates every rule, condition by condition, and reports each one's fate. */
export function explainDecide(ruleset: Ruleset, facts: Facts, opts: DecideOptions): Decision {
  const compiled = compiledOf(ruleset)
  const nowMs = Date.parse(facts.now)
  const only = opts.only ? new Set(opts.only) : null
  const bag = facts as unknown as FactBag
  let winner: RuleEntry | null = null
  const rules: RuleExplanation[] = compiled.ordered.map((e) => {
    const conditions = e.compiled.explain(bag)
    let status = ineligibility(e, facts, nowMs, only)
    if (status === null) {
      status = !conditions.result ? 'not_matched' : winner === null ? 'won' : 'matched'
      if (status === 'won') winner = e
    }
    return { ruleId: e.rule.id, priority: e.rule.priority, status, reason: REASONS[status], conditions }
  })
  const decision = finishDecision(winner, facts, opts.referenceId)
  const explanation: Explanation = {
    ruleId: decision.ruleId,
    arm: decision.arm,
    holdout: decision.holdout,
    referenceId: opts.referenceId,
    now: facts.now,
    rules
  }
  return { ...decision, explanation }
}
