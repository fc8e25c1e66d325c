// The reference evaluator: plain json-rules-engine over every rule, then the same selection.
// Slow (every rule, every condition, promises and JSONPath) and kept to prove the fast path right.
import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine'
import { compiledOf, type RuleEntry } from '../compiled-ruleset.js'
import { finishDecision, ineligibility } from '../decide.js'
import { MAX_ACCEPTED_OFFERS } from '../facts.js'
import { CUSTOM_OPERATORS } from '../operators.js'
import type { DecideOptions, Decision, Facts, Ruleset } from '../types.js'

const engines = new WeakMap<Ruleset, Engine>()

/**
 * One engine per ruleset. Not safe for concurrent runs (engine.status is shared by every run):
 * await each call before the next, as the tests and the benchmark do.
 */
export function naiveEngine(ruleset: Ruleset): Engine {
  const cached = engines.get(ruleset)
  if (cached) return cached
  const engine = new Engine([], { allowUndefinedFacts: true })
  for (const [name, fn] of Object.entries(CUSTOM_OPERATORS)) engine.addOperator(name, fn)
  for (const [name, def] of Object.entries(ruleset.conditions)) {
    engine.setCondition(name, structuredClone(def.conditions) as unknown as TopLevelCondition)
  }
  for (const rule of ruleset.rules) {
    const props: RuleProperties = {
      name: rule.id,
      conditions: structuredClone(rule.conditions) as unknown as TopLevelCondition,
      event: { type: 'offer', params: { ruleId: rule.id } }
    }
    engine.addRule(props)
  }
  engines.set(ruleset, engine)
  return engine
}

/** Every rule id whose conditions hold, according to json-rules-engine. */
export async function naiveMatches(ruleset: Ruleset, facts: Facts): Promise<Set<string>> {
  const { results } = await naiveEngine(ruleset).run({ ...facts })
  return new Set(results.map((r) => String(r.name)))
}

export async function decideNaive(ruleset: Ruleset, facts: Facts, opts: DecideOptions): Promise<Decision> {
  return selectFromMatches(ruleset, facts, opts, await naiveMatches(ruleset, facts))
}

/** The selection steps over a given set of matching rule ids: eligibility, order, arm, offer. */
export function selectFromMatches(
  ruleset: Ruleset,
  facts: Facts,
  opts: DecideOptions,
  matched: ReadonlySet<string>
): Decision {
  if (facts.history.accepted.length >= MAX_ACCEPTED_OFFERS) return finishDecision(null, facts, opts.referenceId)
  const nowMs = Date.parse(facts.now)
  const only = opts.only ? new Set(opts.only) : null
  let winner: RuleEntry | null = null
  for (const e of compiledOf(ruleset).ordered) {
    if (ineligibility(e, facts, nowMs, only) === null && matched.has(e.rule.id)) {
      winner = e
      break
    }
  }
  return finishDecision(winner, facts, opts.referenceId)
}
