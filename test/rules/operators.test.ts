// Every operator behaves as json-rules-engine's, on both the fast path and the naive engine.
import t, { type Test } from 'tap'
import { buildFacts, decide } from '../../server/rules/index.js'
import { decideNaive } from '../../server/rules/tooling/reference-engine.js'
import { checkout, files, loadOk, rule } from '../support/rules-helpers.js'

const facts = buildFacts(
  checkout({
    lines: [
      { productId: 1, quantity: 2, total: '40.00' },
      { productId: 2, quantity: 1, total: '60.00' }
    ],
    country: 'FR',
    locale: 'fr'
  }),
  { now: new Date('2026-11-25T12:00:00Z'), catalog: { customer: { tags: ['vip'], numberOfOrders: 2 } } }
)

/** Whether one condition holds, asserting that both paths agree. */
async function holds(t: Test, condition: Record<string, unknown>): Promise<boolean> {
  const { ruleset } = loadOk(files([rule('r', { conditions: { all: [condition] } })]))
  const fast = decide(ruleset, facts, { referenceId: 'x' })
  const naive = await decideNaive(ruleset, facts, { referenceId: 'x' })
  t.equal(fast.ruleId, naive.ruleId, `both paths agree on ${JSON.stringify(condition)}`)
  return fast.ruleId === 'r'
}

const cases: [string, Record<string, unknown>, boolean][] = [
  ['equal', { fact: 'shippingCountry', operator: 'equal', value: 'FR' }, true],
  ['equal (strict: no type coercion)', { fact: 'cart', path: '$.subtotal', operator: 'equal', value: '100' }, false],
  ['notEqual', { fact: 'locale', operator: 'notEqual', value: 'en' }, true],
  ['in', { fact: 'shippingCountry', operator: 'in', value: ['DE', 'FR'] }, true],
  ['in (absent)', { fact: 'shippingCountry', operator: 'in', value: ['US'] }, false],
  ['notIn', { fact: 'shippingCountry', operator: 'notIn', value: ['US', 'CA'] }, true],
  ['contains', { fact: 'cart', path: '$.productIds', operator: 'contains', value: 2 }, true],
  ['contains (absent)', { fact: 'cart', path: '$.productIds', operator: 'contains', value: 3 }, false],
  ['doesNotContain', { fact: 'cart', path: '$.productIds', operator: 'doesNotContain', value: 3 }, true],
  ['lessThan', { fact: 'cart', path: '$.quantity', operator: 'lessThan', value: 4 }, true],
  ['lessThan (equal is not less)', { fact: 'cart', path: '$.quantity', operator: 'lessThan', value: 3 }, false],
  ['lessThanInclusive', { fact: 'cart', path: '$.quantity', operator: 'lessThanInclusive', value: 3 }, true],
  ['greaterThan', { fact: 'cart', path: '$.subtotal', operator: 'greaterThan', value: 99.99 }, true],
  ['greaterThanInclusive', { fact: 'cart', path: '$.subtotal', operator: 'greaterThanInclusive', value: 100 }, true],
  [
    'greaterThan on a non-number is false',
    { fact: 'customer', path: '$.tags', operator: 'greaterThan', value: 0 },
    false
  ],
  ['containsAny', { fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [9, 2] }, true],
  ['containsAny (none)', { fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [9, 8] }, false],
  ['containsAny (empty value)', { fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [] }, false],
  ['containsAll', { fact: 'cart', path: '$.productIds', operator: 'containsAll', value: [1, 2] }, true],
  ['containsAll (one missing)', { fact: 'cart', path: '$.productIds', operator: 'containsAll', value: [1, 3] }, false],
  ['containsNone', { fact: 'cart', path: '$.productIds', operator: 'containsNone', value: [3, 4] }, true],
  [
    'containsNone (one present)',
    { fact: 'cart', path: '$.productIds', operator: 'containsNone', value: [3, 1] },
    false
  ],
  [
    'containsNone on a non-array fact is false',
    { fact: 'shippingCountry', operator: 'containsNone', value: ['US'] },
    false
  ],
  ['between (inside)', { fact: 'cart', path: '$.subtotal', operator: 'between', value: [50, 150] }, true],
  ['between (inclusive min)', { fact: 'cart', path: '$.subtotal', operator: 'between', value: [100, 150] }, true],
  ['between (inclusive max)', { fact: 'cart', path: '$.subtotal', operator: 'between', value: [0, 100] }, true],
  ['between (outside)', { fact: 'cart', path: '$.subtotal', operator: 'between', value: [101, 150] }, false],
  ['between on null is false', { fact: 'customer', path: '$.id', operator: 'between', value: [0, 1] }, false],
  ['decorator not:', { fact: 'shippingCountry', operator: 'not:in', value: ['US'] }, true],
  [
    'decorator someFact:',
    { fact: 'cart', path: '$.lineItems[*].quantity', operator: 'someFact:greaterThan', value: 1 },
    true
  ],
  [
    'decorator everyFact:',
    { fact: 'cart', path: '$.lineItems[*].quantity', operator: 'everyFact:greaterThan', value: 1 },
    false
  ],
  ['decorator someValue:', { fact: 'locale', operator: 'someValue:equal', value: ['de', 'fr'] }, true],
  [
    'decorator everyValue:',
    { fact: 'cart', path: '$.subtotal', operator: 'everyValue:greaterThan', value: [1, 2] },
    true
  ],
  ['decorator swap:', { fact: 'shippingCountry', operator: 'swap:contains', value: ['FR', 'DE'] }, true],
  [
    'a value that is another fact',
    { fact: 'cart', path: '$.total', operator: 'greaterThan', value: { fact: 'cart', path: '$.subtotal' } },
    true
  ],
  [
    'a path on a non-object fact is ignored',
    { fact: 'shippingCountry', path: '$.x', operator: 'equal', value: 'FR' },
    true
  ],
  ['a missing path is undefined', { fact: 'cart', path: '$.nothing', operator: 'equal', value: null }, false],
  ['an unknown fact is undefined: notIn holds', { fact: 'weather', operator: 'notIn', value: ['rain'] }, true],
  [
    'a wildcard path collects every match',
    { fact: 'cart', path: '$.lineItems[*].productId', operator: 'containsAll', value: [1, 2] },
    true
  ],
  ['an index path', { fact: 'cart', path: '$.lineItems[1].total', operator: 'equal', value: 60 }, true],
  ['a bracket path', { fact: 'customer', path: "$['tags']", operator: 'contains', value: 'vip' }, true],
  [
    'a filter path goes through JSONPath (and yields an array)',
    { fact: 'cart', path: '$.lineItems[?(@.quantity > 1)].productId', operator: 'contains', value: 1 },
    true
  ]
]

for (const [name, condition, expected] of cases) {
  t.test(`${name}: ${expected ? 'holds' : 'does not hold'}`, async (t) => {
    t.equal(await holds(t, condition), expected)
  })
}

t.test('all, any and not combine as in json-rules-engine; named conditions expand', async (t) => {
  const yes = { fact: 'shippingCountry', operator: 'equal', value: 'FR' }
  const no = { fact: 'shippingCountry', operator: 'equal', value: 'US' }
  const named = { 'conditions/french.json': { name: 'french', conditions: { all: [yes] } } }
  const check = async (conditions: Record<string, unknown>, expected: boolean) => {
    const { ruleset } = loadOk(files([rule('r', { conditions })], named))
    const fast = decide(ruleset, facts, { referenceId: 'x' })
    const naive = await decideNaive(ruleset, facts, { referenceId: 'x' })
    t.equal(fast.ruleId === 'r', expected, JSON.stringify(conditions))
    t.equal(naive.ruleId === 'r', expected, `naive: ${JSON.stringify(conditions)}`)
  }
  await check({ all: [yes, no] }, false)
  await check({ any: [no, yes] }, true)
  await check({ any: [no, no] }, false)
  await check({ not: no }, true)
  await check({ not: { any: [yes, no] } }, false)
  await check({ condition: 'french' }, true)
  await check({ all: [{ condition: 'french' }, { not: { condition: 'french' } }] }, false)
  await check({ all: [yes, { any: [no, { not: no }] }], priority: 2 }, true)
})

t.test('a JSONPath filter that throws on the data fails its condition, not the checkout', async (t) => {
  const { ruleset } = loadOk(
    files([
      rule('broken-filter', {
        priority: 2,
        conditions: { all: [{ fact: 'cart', path: '$.lineItems[?(@.quantity >)]', operator: 'equal', value: 1 }] }
      }),
      rule('fallback')
    ])
  )
  t.equal(decide(ruleset, facts, { referenceId: 'x' }).ruleId, 'fallback')
})
