// The shipped sample ruleset is valid, its tests pass, and together its rules use every feature.
import t from 'tap'
import { loadRulesDir, type Ruleset } from '../../server/rules/index.js'
import { runRuleTests } from '../../server/rules/tooling/run-rule-tests.js'
import { walkConditions } from '../../server/rules/condition-walk.js'

async function sample(): Promise<Ruleset> {
  const r = await loadRulesDir('rules')
  if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 2))
  return r.ruleset
}

t.test('rules/ loads and every test in rules/tests passes', async (t) => {
  const rs = await sample()
  const results = runRuleTests(rs)
  t.ok(results.length >= 20, `${results.length} tests`)
  for (const r of results) t.ok(r.pass, `${r.file} › ${r.name}`, { failures: r.failures })
})

t.test('every enabled rule is the expected offer of at least one test', async (t) => {
  const rs = await sample()
  const expected = new Set(
    Object.values(rs.tests)
      .flat()
      .map((x) => x.expect.offer)
  )
  for (const r of rs.rules.filter((x) => x.enabled)) t.ok(expected.has(r.id), `${r.id} has a test`)
})

t.test('the sample uses every feature the format offers', async (t) => {
  const rs = await sample()
  const leaves = rs.rules
    .flatMap((r) => walkConditions(r.conditions, ''))
    .concat(Object.values(rs.conditions).flatMap((c) => walkConditions(c.conditions, '')))
  const facts = new Set(leaves.flatMap((l) => (l.kind === 'leaf' ? [`${l.node.fact}${l.node.path ?? ''}`] : [])))
  t.ok(rs.rules.length >= 6, 'at least 6 rules')
  t.ok(facts.has('cart$.productIds'), 'product targeting')
  t.ok(facts.has('shippingCountry'), 'country')
  t.ok(facts.has('cart$.subtotal'), 'subtotal')
  t.ok(facts.has('payment$.eligible'), 'payment eligibility')
  t.ok(
    rs.rules.some((r) => r.experiment?.arms.some((a) => a.holdout)),
    'an experiment with a holdout arm'
  )
  t.ok(
    rs.rules.some((r) => r.next.onDecline && rs.getRule(r.next.onDecline)),
    'a decline chain'
  )
  t.ok(
    rs.rules.some((r) => r.schedule),
    'a schedule'
  )
  t.ok(
    leaves.some((l) => l.kind === 'reference'),
    'a named condition'
  )
  t.ok(
    rs.rules.some((r) => r.offer.translations && Object.keys(r.offer.translations).length > 0),
    'a translation'
  )
  const operators = new Set(leaves.flatMap((l) => (l.kind === 'leaf' ? [l.node.operator] : [])))
  for (const op of ['containsAny', 'containsNone', 'between', 'in', 'notIn']) t.ok(operators.has(op), `uses ${op}`)
})

t.test('fixtures and tests use the demo store and its variants', async (t) => {
  const rs = await sample()
  for (const [name, fx] of Object.entries(rs.fixtures)) {
    t.equal((fx as { shop: { domain: string } }).shop.domain, 'demo-snow.myshopify.com', name)
  }
})
