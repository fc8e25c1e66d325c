// The fast path's index and selection decide exactly as plain json-rules-engine does.
import t from 'tap'
import { buildFacts, decide, loadRulesFromFiles, type Ruleset } from '../../server/rules/index.js'
import { decideNaive } from '../../server/rules/tooling/reference-engine.js'
import { generateCheckout, generateRuleFiles, productPool, rng } from '../../scripts/lib/rules-generate.js'

function load(files: Record<string, string>): Ruleset {
  const result = loadRulesFromFiles(files, { now: new Date('2026-11-15T00:00:00Z') })
  if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)))
  return result.ruleset
}

t.test('decisions agree on a bench-style ruleset of 150 indexed rules', async (t) => {
  const ruleset = load(generateRuleFiles({ rules: 150, seed: 3 }))
  const products = productPool(75)
  const r = rng(5)
  let mismatches = 0
  let offers = 0
  for (let i = 0; i < 300; i++) {
    const facts = buildFacts(generateCheckout(r, i, products), { now: new Date('2026-11-20T00:00:00Z') })
    const fast = decide(ruleset, facts, { referenceId: `b-${i}` })
    const naive = await decideNaive(ruleset, facts, { referenceId: `b-${i}` })
    if (JSON.stringify(fast) !== JSON.stringify(naive)) mismatches++
    if (fast.offer) offers++
  }
  t.equal(mismatches, 0)
  t.ok(offers > 30, `offers were made (${offers})`)
})

t.test('`only` restricts both paths alike', async (t) => {
  const ruleset = load(generateRuleFiles({ rules: 30, seed: 11, products: 6, varied: true }))
  const products = productPool(6)
  const r = rng(12)
  for (let i = 0; i < 300; i++) {
    const facts = buildFacts(generateCheckout(r, i, products), { now: new Date('2026-11-20T00:00:00Z') })
    const only = [`rule-${i % 30}`, `rule-${(i * 7) % 30}`]
    const fast = decide(ruleset, facts, { referenceId: `o-${i}`, only })
    const naive = await decideNaive(ruleset, facts, { referenceId: `o-${i}`, only })
    if (JSON.stringify(fast) !== JSON.stringify(naive)) {
      t.fail('decisions differ', { i, fast, naive })
      return
    }
    if (fast.ruleId !== null) t.ok(only.includes(fast.ruleId), 'the winner is one of the requested rules')
  }
  t.pass('300 restricted decisions agree')
})

t.test('the index leaves only a small share of 1,000 rules as candidates', async (t) => {
  const { compiledOf } = await import('../../server/rules/compiled-ruleset.js')
  const ruleset = load(generateRuleFiles({ rules: 1000, seed: 9 }))
  const products = productPool(500)
  const r = rng(10)
  let total = 0
  for (let i = 0; i < 200; i++)
    total += compiledOf(ruleset).index.candidates(buildFacts(generateCheckout(r, i, products))).length
  const average = total / 200
  // About 10% of generated rules have no indexable condition; product and country hits add a few percent.
  t.ok(average < 250, `on average ${average.toFixed(0)} of 1000 rules are candidates`)
})
