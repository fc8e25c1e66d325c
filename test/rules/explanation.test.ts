// Explanations: every rule's status, and every condition with fact, path, operator, expected and seen values.
import t from 'tap'
import { buildFacts, decide } from '../../server/rules/index.js'
import { checkout, files, loadOk, rule } from '../support/rules-helpers.js'

const { ruleset } = loadOk(
  files(
    [
      rule('boots', {
        priority: 2,
        conditions: {
          all: [
            { fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [632910392] },
            {
              any: [
                { fact: 'shippingCountry', operator: 'equal', value: 'CA' },
                { not: { fact: 'locale', operator: 'equal', value: 'de' } }
              ]
            },
            { fact: 'cart', path: '$.total', operator: 'greaterThan', value: { fact: 'cart', path: '$.subtotal' } },
            { condition: 'eligible' }
          ]
        }
      }),
      rule('never', { conditions: { all: [{ fact: 'cart', path: '$.subtotal', operator: 'lessThan', value: 1 }] } })
    ],
    {
      'conditions/eligible.json': {
        name: 'eligible',
        conditions: { all: [{ fact: 'payment', path: '$.eligible', operator: 'equal', value: true }] }
      }
    }
  )
)

const facts = buildFacts(checkout(), { now: new Date('2026-11-25T12:00:00Z') })

t.test('explain: true adds an explanation without changing the decision', async (t) => {
  const plain = decide(ruleset, facts, { referenceId: 'r' })
  const explained = decide(ruleset, facts, { referenceId: 'r', explain: true })
  t.equal(plain.explanation, undefined, 'no explanation unless asked')
  const { explanation, ...rest } = explained
  t.same(rest, plain)
  t.same(
    [explanation?.ruleId, explanation?.arm, explanation?.holdout, explanation?.referenceId, explanation?.now],
    ['boots', null, false, 'r', '2026-11-25T12:00:00.000Z']
  )
})

t.test('each condition shows fact, path, operator, expected value, value seen and result', async (t) => {
  const e = decide(ruleset, facts, { referenceId: 'r', explain: true }).explanation
  const boots = e?.rules.find((r) => r.ruleId === 'boots')
  t.equal(boots?.status, 'won')
  t.match(boots?.reason, /conditions held/)
  t.same(boots?.conditions, {
    result: true,
    all: [
      {
        fact: 'cart',
        path: '$.productIds',
        operator: 'containsAny',
        value: [632910392],
        factValue: [632910392],
        result: true
      },
      {
        result: true,
        any: [
          { fact: 'shippingCountry', path: null, operator: 'equal', value: 'CA', factValue: 'US', result: false },
          {
            result: true,
            not: { fact: 'locale', path: null, operator: 'equal', value: 'de', factValue: 'en', result: false }
          }
        ]
      },
      {
        fact: 'cart',
        path: '$.total',
        operator: 'greaterThan',
        value: { fact: 'cart', path: '$.subtotal' },
        factValue: 110,
        valueResult: 100,
        result: true
      },
      {
        condition: 'eligible',
        result: true,
        conditions: {
          result: true,
          all: [{ fact: 'payment', path: '$.eligible', operator: 'equal', value: true, factValue: true, result: true }]
        }
      }
    ]
  })
})

t.test('a rule that fails says which condition failed and what it saw', async (t) => {
  const e = decide(ruleset, facts, { referenceId: 'r', explain: true }).explanation
  const never = e?.rules.find((r) => r.ruleId === 'never')
  t.equal(never?.status, 'not_matched')
  t.same(never?.conditions, {
    result: false,
    all: [{ fact: 'cart', path: '$.subtotal', operator: 'lessThan', value: 1, factValue: 100, result: false }]
  })
})

t.test('explanations list every rule in selection order, even with no winner', async (t) => {
  const none = buildFacts(checkout({ lines: [{ productId: 5, total: '100.00' }] }))
  const e = decide(ruleset, none, { referenceId: 'r', explain: true }).explanation
  t.equal(e?.ruleId, null)
  t.same(
    e?.rules.map((r) => [r.ruleId, r.priority, r.status]),
    [
      ['boots', 2, 'not_matched'],
      ['never', 0, 'not_matched']
    ]
  )
})
