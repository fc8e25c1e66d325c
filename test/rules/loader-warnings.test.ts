// Warnings leave the ruleset valid and point at what looks wrong: every warning the spec lists.
import t from 'tap'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadRulesDir, type Diagnostic } from '../../server/rules/index.js'
import { WARNING_CODES } from '../../server/rules/errors.js'
import { files, loadOk, rule } from '../support/rules-helpers.js'

const cond = (c: Record<string, unknown>) => ({ conditions: { all: [c] } })
const warningsOf = (rules: Record<string, unknown>[], extra = {}) => loadOk(files(rules, extra)).warnings
const codes = (ws: Diagnostic[]) => ws.map((w) => w.code)

t.test('rules that can match the same checkout with one priority: PRIORITY_TIE on the loser', async (t) => {
  const ws = warningsOf([rule('b-rule', { priority: 5 }), rule('a-rule', { priority: 5 })])
  t.same(codes(ws), ['PRIORITY_TIE'])
  t.match(ws[0], {
    file: 'offers/b-rule.json',
    pointer: '/priority',
    message: /ties with "a-rule"; when both match, the smaller id wins \("a-rule"\)/
  })
})

t.test('no tie warning for disabled rules or rules for disjoint countries', async (t) => {
  t.same(codes(warningsOf([rule('a', { priority: 5 }), rule('b', { priority: 5, enabled: false })])), [])
  const us = cond({ fact: 'shippingCountry', operator: 'in', value: ['US', 'CA'] })
  const fr = cond({ fact: 'shippingCountry', operator: 'equal', value: 'FR' })
  t.same(codes(warningsOf([rule('a', { priority: 5, ...us }), rule('b', { priority: 5, ...fr })])), [])
})

t.test('an unknown fact: UNKNOWN_FACT', async (t) => {
  const ws = warningsOf([rule('a', cond({ fact: 'weather', operator: 'equal', value: 'snow' }))])
  t.match(ws, [
    {
      code: 'UNKNOWN_FACT',
      pointer: '/conditions/all/0/fact',
      message: /unknown fact "weather"; expected one of: cart, shippingCountry/
    }
  ])
})

t.test('a path that does not exist: UNKNOWN_PATH, listing what does', async (t) => {
  const ws = warningsOf([rule('a', cond({ fact: 'cart', path: '$.subTotal', operator: 'greaterThan', value: 5 }))])
  t.match(ws, [
    {
      code: 'UNKNOWN_PATH',
      pointer: '/conditions/all/0/path',
      message: /no "subTotal"\) \(did you mean "subtotal"\?\); expected one of: lineItems, productIds/
    }
  ])
  const deep = warningsOf([
    rule('a', cond({ fact: 'cart', path: '$.lineItems[0].colour', operator: 'equal', value: 'red' }))
  ])
  t.match(deep, [{ code: 'UNKNOWN_PATH' }])
  t.same(
    codes(
      warningsOf([rule('a', cond({ fact: 'cart', path: '$.lineItems[*].vendor', operator: 'contains', value: 'X' }))])
    ),
    [],
    'wildcards over arrays are understood'
  )
})

t.test('an operator that cannot apply to the fact type: OPERATOR_TYPE', async (t) => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { fact: 'cart', path: '$.currency', operator: 'greaterThan', value: 5 },
      /"greaterThan" compares numbers \(cart \$.currency is a string\)/
    ],
    [{ fact: 'shippingCountry', operator: 'containsAny', value: ['US'] }, /"containsAny" needs an array fact/],
    [
      { fact: 'cart', path: '$.productIds', operator: 'in', value: [1, 2] },
      /for an array fact use containsAny or containsNone/
    ],
    [{ fact: 'cart', path: '$.productIds', operator: 'equal', value: 1 }, /"equal" compares single values/],
    [
      { fact: 'cart', path: '$.productIds', operator: 'containsAny', value: ['632910392'] },
      /value "632910392" is string, but cart \$.productIds holds an array of numbers/
    ],
    [
      { fact: 'shippingCountry', operator: 'equal', value: 1 },
      /value 1 is number, but shippingCountry holds a string or null/
    ],
    [{ fact: 'cart', path: '$.subtotal', operator: 'between', value: [1, 2] }, /^$/],
    [{ fact: 'shippingCountry', operator: 'someFact:equal', value: 'US' }, /"someFact:equal" needs an array fact/]
  ]
  for (const [c, message] of cases) {
    const ws = warningsOf([rule('a', cond(c))])
    if (message.source === '^$') t.same(codes(ws), [], `no warning for ${JSON.stringify(c)}`)
    else t.match(ws, [{ code: 'OPERATOR_TYPE', message }], JSON.stringify(c))
  }
})

t.test('`next` naming a missing rule: NEXT_MISSING', async (t) => {
  const ws = warningsOf([rule('a', { next: { onDecline: 'ghost' } })])
  t.match(ws, [{ code: 'NEXT_MISSING', pointer: '/next/onDecline', message: /names "ghost", which is not a rule/ }])
})

t.test('`next` chains forming a loop: NEXT_LOOP on every rule in it', async (t) => {
  const ws = warningsOf([
    rule('a', { priority: 2, next: { onAccept: 'b' } }),
    rule('b', { priority: 1, next: { onDecline: 'a' } })
  ])
  t.same(codes(ws), ['NEXT_LOOP', 'NEXT_LOOP'])
  t.match(ws[0]?.message, /a -> b -> a/)
})

t.test('weights not summing to 100: WEIGHTS_SUM', async (t) => {
  const ws = warningsOf([
    rule('a', {
      experiment: {
        name: 'e',
        arms: [
          { id: 'x', weight: 50 },
          { id: 'y', weight: 40 }
        ]
      }
    })
  ])
  t.match(ws, [{ code: 'WEIGHTS_SUM', pointer: '/experiment/arms', message: /sum to 90; expected 100/ }])
})

t.test('a schedule that ended: SCHEDULE_ENDED', async (t) => {
  const ws = warningsOf([rule('a', { schedule: { until: '2026-01-01T00:00:00Z' } })])
  t.match(ws, [{ code: 'SCHEDULE_ENDED', pointer: '/schedule/until', message: /ended at 2026-01-01T00:00:00Z/ }])
})

t.test('offering a product the conditions require in the cart: OFFER_IN_CART', async (t) => {
  const ws = warningsOf([
    rule('a', {
      ...cond({ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [632910400] }),
      offer: { productId: 632910400, variantId: 1 }
    })
  ])
  t.match(ws, [{ code: 'OFFER_IN_CART', pointer: '/offer', message: /the buyer already has it/ }])
  const variant = warningsOf([
    rule('b', {
      ...cond({ fact: 'cart', path: '$.variantIds', operator: 'contains', value: 77 }),
      offer: { variantId: 77 }
    })
  ])
  t.same(codes(variant), ['OFFER_IN_CART'])
})

t.test(
  'a variant label outside the allow-list: VARIANT_LABEL_NOT_OFFERED, at the label, also when translated',
  async (t) => {
    const offer = {
      variantId: 808950810,
      variants: [808950810, 808950811],
      variantLabels: { 808950810: 'Grey', 808950812: 'Navy' },
      translations: { fr: { variantLabels: { 808950811: 'Anthracite', 808950813: 'Bleu' } } }
    }
    const ws = warningsOf([rule('a', { offer })])
    t.match(ws, [
      {
        code: 'VARIANT_LABEL_NOT_OFFERED',
        file: 'offers/a.json',
        pointer: '/offer/variantLabels/808950812',
        message:
          /^variantLabels names variant 808950812, which is not in the offer's allow-list \(808950810, 808950811\); expected an id from "variants" .* the label is never shown$/
      },
      {
        code: 'VARIANT_LABEL_NOT_OFFERED',
        pointer: '/offer/translations/fr/variantLabels/808950813',
        message: /names variant 808950813/
      }
    ])
    t.equal(ws.length, 2)
    const [base, french] = ws
    const text = files([rule('a', { offer })])['offers/a.json'] as string
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1
    t.same([base?.line, french?.line], [lineOf('"Navy"'), lineOf('"Bleu"')], 'line and column of the label itself')
    t.ok((base?.column ?? 0) > 1)

    const single = warningsOf([
      rule('b', { offer: { variantId: 808950810, variantLabels: { 808950811: 'Charcoal' } } })
    ])
    t.match(
      single,
      [{ code: 'VARIANT_LABEL_NOT_OFFERED', message: /not in the offer's allow-list \(808950810\)/ }],
      'without variants the allow-list is [variantId]'
    )
  }
)

t.test(
  'variant labels and arms: each arm is checked against its own allow-list, base labels against all of them',
  async (t) => {
    const experiment = {
      name: 'e',
      arms: [
        { id: 'wide', weight: 50, offer: { variants: [808950810, 808950812], variantLabels: { 808950812: 'Navy' } } },
        { id: 'narrow', weight: 50, offer: { variantLabels: { 808950812: 'Navy' } } }
      ]
    }
    const ws = warningsOf([
      rule('a', {
        offer: { variantId: 808950810, variantLabels: { 808950810: 'Grey', 808950812: 'Navy' } },
        experiment
      })
    ])
    t.match(ws, [
      {
        code: 'VARIANT_LABEL_NOT_OFFERED',
        pointer: '/experiment/arms/1/offer/variantLabels/808950812',
        message: /not in arm "narrow"'s allow-list \(808950810\)/
      }
    ])
    t.equal(ws.length, 1, "a base label one arm's picker shows is in use")
  }
)

t.test('warnings inside named conditions point into the condition file', async (t) => {
  const ws = warningsOf([rule('a', { conditions: { all: [{ condition: 'c' }] } })], {
    'conditions/c.json': {
      name: 'c',
      conditions: { all: [{ fact: 'cart', path: '$.nope', operator: 'equal', value: 1 }] }
    }
  })
  t.match(ws, [{ code: 'UNKNOWN_PATH', file: 'conditions/c.json', pointer: '/conditions/all/0/path' }])
})

t.test('files outside the layout are ignored with UNUSED_FILE', async (t) => {
  const dir = t.testdir() // removed when the test ends
  await mkdir(join(dir, 'offers'))
  await writeFile(join(dir, 'offers', 'a.json'), JSON.stringify(rule('a')))
  await writeFile(join(dir, 'offers', 'notes.txt'), 'hello')
  await writeFile(join(dir, 'offers', '.gitkeep'), '')
  const r = await loadRulesDir(dir)
  t.equal(r.ok, true)
  t.match(r.warnings, [{ code: 'UNUSED_FILE', file: 'offers/notes.txt' }])
})

t.test('the sample rules load with no warning at all', async (t) => {
  const r = await loadRulesDir('rules', { now: new Date('2026-11-25T12:00:00Z') })
  t.equal(r.ok, true)
  t.same(r.warnings, [])
})

t.test('every warning code is documented in docs/rules.md', async (t) => {
  const { readFileSync } = await import('node:fs')
  const doc = readFileSync('docs/rules.md', 'utf8')
  for (const code of Object.keys(WARNING_CODES)) t.ok(doc.includes(`\`${code}\``), `${code} is documented`)
})

t.test('comparing now with an ISO string is not a type mismatch', async (t) => {
  t.same(
    codes(
      warningsOf([rule('a', cond({ fact: 'now', operator: 'greaterThanInclusive', value: '2026-11-20T00:00:00Z' }))])
    ),
    []
  )
})

t.test('symlinked files are followed; one that cannot be read is READ_FAILED', async (t) => {
  const { symlink } = await import('node:fs/promises')
  const dir = t.testdir() // removed when the test ends
  await mkdir(join(dir, 'offers'))
  await mkdir(join(dir, 'shared'))
  await writeFile(join(dir, 'shared', 'a.json'), JSON.stringify(rule('a')))
  await symlink(join(dir, 'shared', 'a.json'), join(dir, 'offers', 'a.json'))
  const ok = await loadRulesDir(dir)
  t.equal(ok.ok && ok.ruleset.count, 1, 'the symlinked rule loads')
  await symlink(join(dir, 'shared'), join(dir, 'offers', 'b.json'))
  const bad = await loadRulesDir(dir)
  t.equal(bad.ok, false)
  if (!bad.ok)
    t.match(bad.errors, [
      {
        code: 'READ_FAILED',
        file: 'offers/b.json',
        message: /cannot read the file \(EISDIR.*expected a readable JSON file/
      }
    ])
})
