// The evaluation-ready form of a ruleset, built once per load: rules in selection order, each with
// its compiled conditions, plus the candidate index.
import { CandidateIndex, ruleKeys } from './candidate-index.js'
import { ConditionCompiler, type Compiled } from './compile-conditions.js'
import type { NamedCondition, RuleSpec, Ruleset } from './types.js'

export type RuleEntry = {
  rule: RuleSpec
  rank: number
  compiled: Compiled
  fromMs: number
  untilMs: number
}

export type CompiledRuleset = {
  ordered: RuleEntry[]
  byId: Map<string, RuleEntry>
  index: CandidateIndex
}

/** Selection order: the higher priority first, ties to the smaller id in plain string order. */
export function compareRules(a: RuleSpec, b: RuleSpec): number {
  if (a.priority !== b.priority) return b.priority - a.priority
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function compileRuleset(
  rules: readonly RuleSpec[],
  conditions: Readonly<Record<string, NamedCondition>>
): CompiledRuleset {
  const compiler = new ConditionCompiler(conditions)
  const sorted = [...rules].sort(compareRules)
  const index = new CandidateIndex(sorted.length)
  const ordered = sorted.map((rule, rank): RuleEntry => {
    const entry: RuleEntry = {
      rule,
      rank,
      compiled: compiler.compile(rule.conditions),
      fromMs: rule.schedule?.from ? Date.parse(rule.schedule.from) : -Infinity,
      untilMs: rule.schedule?.until ? Date.parse(rule.schedule.until) : Infinity
    }
    // Disabled rules never win: keep them out of the index altogether.
    if (rule.enabled) index.add(rank, ruleKeys(rule.conditions, conditions))
    return entry
  })
  return { ordered, byId: new Map(ordered.map((e) => [e.rule.id, e])), index }
}

const registry = new WeakMap<Ruleset, CompiledRuleset>()

export function registerCompiled(ruleset: Ruleset, compiled: CompiledRuleset): void {
  registry.set(ruleset, compiled)
}

/** The compiled form of a ruleset loaded by this module (compiled on first use otherwise). */
export function compiledOf(ruleset: Ruleset): CompiledRuleset {
  let c = registry.get(ruleset)
  if (!c) {
    c = compileRuleset(ruleset.rules, ruleset.conditions ?? {})
    registry.set(ruleset, c)
  }
  return c
}
