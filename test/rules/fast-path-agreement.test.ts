// The fast path's compiled conditions match exactly the checkouts json-rules-engine matches, on rules using every
// feature.
import t from 'tap'
import { buildFacts, decide, loadRulesFromFiles, type Ruleset } from '../../server/rules/index.js'
import { compiledOf } from '../../server/rules/compiled-ruleset.js'
import { naiveMatches, selectFromMatches } from '../../server/rules/tooling/reference-engine.js'
import type { FactBag } from '../../server/rules/compile-conditions.js'
import {
  generateCatalog,
  generateCheckout,
  generateHistory,
  generateRuleFiles,
  productPool,
  rng
} from '../../scripts/lib/rules-generate.js'

function load(files: Record<string, string>): Ruleset {
  const result = loadRulesFromFiles(files, { now: new Date('2026-11-15T00:00:00Z') })
  if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)))
  return result.ruleset
}

t.test('every rule matches the same checkouts on both paths, and decisions are identical', async (t) => {
  const RULES = 24
  const CHECKOUTS = 1500
  const ruleset = load(generateRuleFiles({ rules: RULES, seed: 7, products: 12, varied: true }))
  const products = productPool(12)
  const r = rng(99)
  const compiled = compiledOf(ruleset)
  let ruleMismatches = 0
  let decisionMismatches = 0
  let offers = 0
  let holdouts = 0
  const firstMismatch: unknown[] = []
  for (let i = 0; i < CHECKOUTS; i++) {
    const input = generateCheckout(r, i, products)
    const at = new Date(Date.parse('2026-11-15T00:00:00Z') + Math.floor(r() * 90) * 86_400_000)
    const facts = buildFacts(input, {
      history: generateHistory(r, RULES),
      now: at,
      catalog: generateCatalog(r, products)
    })
    const matched = await naiveMatches(ruleset, facts)
    for (const e of compiled.ordered) {
      if (e.compiled.test(facts as unknown as FactBag) !== matched.has(e.rule.id)) {
        ruleMismatches++
        if (firstMismatch.length < 3)
          firstMismatch.push({ rule: e.rule.id, checkout: i, naive: matched.has(e.rule.id) })
      }
    }
    const referenceId = `gen-${i}`
    const fast = decide(ruleset, facts, { referenceId })
    const naive = selectFromMatches(ruleset, facts, { referenceId }, matched)
    const explained = decide(ruleset, facts, { referenceId, explain: true })
    if (
      JSON.stringify(fast) !== JSON.stringify(naive) ||
      explained.ruleId !== fast.ruleId ||
      explained.arm !== fast.arm
    ) {
      decisionMismatches++
      if (firstMismatch.length < 3) firstMismatch.push({ checkout: i, fast, naive })
    }
    if (fast.offer) offers++
    if (fast.holdout) holdouts++
  }
  t.equal(ruleMismatches, 0, 'no rule evaluates differently', { firstMismatch })
  t.equal(decisionMismatches, 0, 'no decision differs', { firstMismatch })
  // The generated data must exercise both outcomes, or agreement proves little.
  t.ok(offers > CHECKOUTS * 0.2, `many checkouts get an offer (${offers})`)
  t.ok(offers < CHECKOUTS * 0.95, 'some checkouts get none')
  t.ok(holdouts > 0, `some land in a holdout arm (${holdouts})`)
})
