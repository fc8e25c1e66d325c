// rules/tests semantics: fixture names or inline checkouts, at, history, catalog, and expectations.
import t from 'tap'
import { runRuleTests } from '../../server/rules/tooling/run-rule-tests.js'
import { assignArm } from '../../server/rules/arms.js'
import { checkout, files, loadOk, rule } from '../support/rules-helpers.js'

const experiment = {
  name: 'e',
  arms: [
    { id: 'hold', weight: 50, holdout: true },
    { id: 'show', weight: 50 }
  ]
}

function results(tests: unknown[]) {
  const inline = checkout() as { initialPurchase: Record<string, unknown> }
  const { ruleset } = loadOk(
    files(
      [
        rule('us-only', {
          priority: 2,
          conditions: { all: [{ fact: 'shippingCountry', operator: 'equal', value: 'US' }] }
        }),
        rule('vip', {
          priority: 5,
          conditions: { all: [{ fact: 'customer', path: '$.tags', operator: 'contains', value: 'vip' }] }
        }),
        rule('split', { priority: 1, experiment })
      ],
      { 'fixtures/us.json': inline, 'tests/t.json': tests }
    )
  )
  return runRuleTests(ruleset)
}

t.test('a test may name a fixture or inline the checkout', async (t) => {
  const withoutRef = checkout({ country: 'FR' }) as { initialPurchase: Record<string, unknown> }
  delete withoutRef.initialPurchase.referenceId
  const r = results([
    { name: 'fixture', checkout: 'us', expect: { offer: 'us-only' } },
    { name: 'inline', checkout: checkout({ country: 'CA' }), expect: { offer: 'split' } },
    { name: 'inline without referenceId', checkout: withoutRef, expect: { offer: 'split' } }
  ])
  t.same(
    r.map((x) => x.pass),
    [true, true, true]
  )
})

t.test('an inline checkout without referenceId gets a stable one from file and name', async (t) => {
  const withoutRef = checkout({ country: 'FR' }) as { initialPurchase: Record<string, unknown> }
  delete withoutRef.initialPurchase.referenceId
  const test = { name: 'derived', checkout: withoutRef, expect: { offer: 'split' } }
  const a = results([test])[0]
  const b = results([test])[0]
  t.ok(a?.decision.arm, 'an arm was assigned')
  t.equal(a?.decision.arm, b?.decision.arm)
  t.match(a?.decision.explanation?.referenceId, /^test-[0-9a-f]{16}$/)
})

t.test('at, history and catalog reach the facts', async (t) => {
  const r = results([
    { name: 'history', checkout: 'us', history: { declined: ['us-only'] }, expect: { offer: 'split' } },
    {
      name: 'catalog',
      checkout: 'us',
      catalog: { customer: { tags: ['vip'], numberOfOrders: 1 } },
      expect: { offer: 'vip' }
    },
    { name: 'at', checkout: 'us', at: '2030-01-01T00:00:00Z', expect: { offer: 'us-only' } }
  ])
  t.same(
    r.map((x) => x.pass),
    [true, true, true]
  )
  t.equal(r[2]?.decision.explanation?.now, '2030-01-01T00:00:00.000Z')
})

t.test('failures say what was expected and what happened, for offer, arm and holdout', async (t) => {
  const actualArm = assignArm(experiment, 'x-1')?.id
  const otherArm = actualArm === 'hold' ? 'show' : 'hold'
  const r = results([
    { name: 'wrong offer', checkout: 'us', expect: { offer: null } },
    {
      name: 'wrong arm',
      checkout: checkout({ country: 'CA', referenceId: 'x-1' }),
      expect: { offer: 'split', arm: otherArm }
    },
    { name: 'wrong holdout', checkout: 'us', expect: { offer: 'us-only', holdout: true } }
  ])
  t.same(
    r.map((x) => x.pass),
    [false, false, false]
  )
  t.same(r[0]?.failures, ['expected offer null, got "us-only"'])
  t.same(r[1]?.failures, [`expected arm "${otherArm}", got "${actualArm}"`])
  t.same(r[2]?.failures, ['expected holdout true, got false'])
})
