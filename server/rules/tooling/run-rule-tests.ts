// Runs rules/tests/*.json against a ruleset: the engine behind `rules:test` and the test suite.
import { createHash } from 'node:crypto'
import { decide } from '../decide.js'
import { buildFacts } from '../facts.js'
import type { CatalogFacts, Decision, History, RuleTest, Ruleset } from '../types.js'

export type RuleTestResult = {
  file: string
  index: number
  name: string
  pass: boolean
  expected: RuleTest['expect']
  actual: { offer: string | null; arm: string | null; holdout: boolean }
  /** What went wrong, in words; empty when the test passes. */
  failures: string[]
  decision: Decision
}

/** input_data with `referenceId` filled from `seed` when it has none, so arms stay stable. */
export function withReferenceId(input: unknown, prefix: string, seed: string): unknown {
  const inline = input as { initialPurchase?: Record<string, unknown> } | null
  const purchase = inline?.initialPurchase
  if (inline && purchase && typeof purchase === 'object' && typeof purchase.referenceId !== 'string') {
    const derived = `${prefix}-${createHash('sha256').update(seed).digest('hex').slice(0, 16)}`
    return { ...inline, initialPurchase: { ...purchase, referenceId: derived } }
  }
  return input
}

/** The input_data of a test: its fixture, or its inline object with a stable referenceId when it has none. */
export function testInputData(ruleset: Ruleset, test: RuleTest, file: string): unknown {
  if (typeof test.checkout === 'string') return ruleset.fixtures[test.checkout]
  return withReferenceId(test.checkout, 'test', `${file}\n${test.name}`)
}

/** Evaluates one test with an explanation (kept for failures). */
export function runRuleTest(
  ruleset: Ruleset,
  test: RuleTest & { catalog?: CatalogFacts },
  file: string,
  index: number
): RuleTestResult {
  const input = testInputData(ruleset, test, file) as { initialPurchase: { referenceId: string } }
  const facts = buildFacts(input, {
    history: test.history as Partial<History> | undefined,
    now: test.at ? new Date(test.at) : new Date(),
    catalog: test.catalog,
    surface: test.surface ?? 'post_purchase'
  })
  const decision = decide(ruleset, facts, { referenceId: input.initialPurchase.referenceId, explain: true })
  const actual = { offer: decision.ruleId, arm: decision.arm, holdout: decision.holdout }
  const failures: string[] = []
  const e = test.expect
  if (e.offer !== actual.offer)
    failures.push(`expected offer ${JSON.stringify(e.offer)}, got ${JSON.stringify(actual.offer)}`)
  if (e.arm !== undefined && e.arm !== actual.arm)
    failures.push(`expected arm ${JSON.stringify(e.arm)}, got ${JSON.stringify(actual.arm)}`)
  if (e.holdout !== undefined && e.holdout !== actual.holdout)
    failures.push(`expected holdout ${e.holdout}, got ${actual.holdout}`)
  return { file, index, name: test.name, pass: failures.length === 0, expected: e, actual, failures, decision }
}

export function runRuleTests(ruleset: Ruleset): RuleTestResult[] {
  const out: RuleTestResult[] = []
  for (const file of Object.keys(ruleset.tests).sort()) {
    ;(ruleset.tests[file] ?? []).forEach((t, i) => out.push(runRuleTest(ruleset, t, file, i)))
  }
  return out
}
