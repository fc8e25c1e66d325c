// A broken file never crashes the loader: it becomes an error naming the file, JSON pointer, line,
// column and what was expected.
import t from 'tap'
import { loadRulesFromFiles, type Diagnostic } from '../../server/rules/index.js'
import { ERROR_CODES } from '../../server/rules/errors.js'
import { files, loadErrors, rule } from '../support/rules-helpers.js'

const VALID_CHECKOUT = {
  shop: { id: 1, domain: 'demo-snow.myshopify.com' },
  locale: 'en',
  initialPurchase: {
    referenceId: 'r-1',
    destinationCountryCode: 'US',
    totalPriceSet: {
      shopMoney: { amount: '10.00', currencyCode: 'USD' },
      presentmentMoney: { amount: '10.00', currencyCode: 'USD' }
    },
    lineItems: []
  }
}

function only(errors: Diagnostic[], code: string): Diagnostic {
  const found = errors.filter((e) => e.code === code)
  if (found.length !== 1) throw new Error(`expected one ${code}, got ${JSON.stringify(errors, null, 2)}`)
  return found[0] as Diagnostic
}

t.test('invalid JSON names the line and column of the mistake', async (t) => {
  const text = '{\n  "id": "broken",\n  "priority": 1,,\n}\n'
  const e = only(loadErrors({ 'offers/broken.json': text }), 'JSON_PARSE')
  t.match(e, { severity: 'error', file: 'offers/broken.json', pointer: '', line: 3, column: 17 })
  t.match(e.message, /invalid JSON.*expected a JSON document/)
  const empty = only(loadErrors({ 'offers/empty.json': '' }), 'JSON_PARSE')
  t.match(empty.message, /the file is empty/)
})

t.test('schema errors point at the offending value with its line and column', async (t) => {
  const text = `{
  "id": "bad",
  "priority": "high",
  "conditions": { "all": [{ "condition": "x" }] },
  "offer": {
    "variantId": 1,
    "discount": { "type": "percentage", "value": 120, "title": "Too much" }
  }
}`
  const errors = loadErrors({ 'offers/bad.json': text })
  const priority = errors.find((e) => e.pointer === '/priority')
  t.match(priority, {
    code: 'RULE_SCHEMA',
    file: 'offers/bad.json',
    line: 3,
    column: 15,
    message: 'expected an integer, got string "high"'
  })
  const value = errors.find((e) => e.pointer === '/offer/discount/value')
  t.match(value, { code: 'RULE_SCHEMA', line: 7, column: 50, message: 'expected a percentage of at most 100, got 120' })
  const missing = loadErrors({
    'offers/m.json':
      '{\n  "id": "m",\n  "conditions": { "all": [{ "fact": "now", "operator": "equal", "value": 1 }] },\n  "offer": {\n    "productId": 5\n  }\n}'
  })
  t.match(
    missing[0],
    { pointer: '/offer/variantId', line: 4, column: 12, message: 'missing required property "variantId"' },
    'a missing property points at its parent object'
  )
})

t.test('schema errors for each kind of mistake say what was expected', async (t) => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['missing offer', { id: 'x', conditions: { all: [] } }, '/offer', /missing required property "offer"/],
    [
      'unknown property',
      { ...rule('x'), colour: 'red' },
      '/colour',
      /unknown property "colour"; expected one of: \$schema, id, description/
    ],
    ['bad id', { ...rule('x'), id: 'Not_Kebab' }, '/id', /expected a kebab-case id/],
    [
      'conditions without a root',
      { ...rule('x'), conditions: { fact: 'cart', operator: 'equal', value: 1 } },
      '/conditions',
      /expected "all", "any", "not" or "condition" at the root/
    ],
    [
      'a leaf without value',
      { ...rule('x'), conditions: { all: [{ fact: 'cart', operator: 'equal' }] } },
      '/conditions/all/0/value',
      /missing required property "value"/
    ],
    ['an empty all', { ...rule('x'), conditions: { all: [] } }, '/conditions/all', /expected at least 1 item/],
    [
      'a bad discount type',
      { ...rule('x'), offer: { variantId: 1, discount: { type: 'half', value: 1, title: 't' } } },
      '/offer/discount/type',
      /expected one of "percentage", "fixed_amount", got "half"/
    ],
    [
      'a zero fixed discount',
      { ...rule('x'), offer: { variantId: 1, discount: { type: 'fixed_amount', value: 0, title: 't' } } },
      '/offer/discount/value',
      /expected a number > 0, got 0/
    ],
    [
      'a bad schedule date',
      { ...rule('x'), schedule: { from: 'tomorrow' } },
      '/schedule/from',
      /expected an ISO 8601 date-time/
    ],
    [
      'a bad image URL',
      { ...rule('x'), offer: { variantId: 1, content: { image: 'socks.png' } } },
      '/offer/content/image',
      /expected an absolute URL/
    ],
    [
      'a bad translation locale',
      { ...rule('x'), offer: { variantId: 1, translations: { 'french!': {} } } },
      '/offer/translations/french!',
      /expected a locale such as "fr"/
    ],
    [
      'a string variant id',
      { ...rule('x'), offer: { variantId: '808950810' } },
      '/offer/variantId',
      /expected an integer, got string "808950810"/
    ],
    [
      'a variant label keyed by a name',
      { ...rule('x'), offer: { variantId: 1, variantLabels: { grey: 'Grey' } } },
      '/offer/variantLabels/grey',
      /expected a variant id as a decimal string, such as "808950810", got "grey"/
    ],
    [
      'an empty translated variant label',
      { ...rule('x'), offer: { variantId: 1, translations: { fr: { variantLabels: { 1: '' } } } } },
      '/offer/translations/fr/variantLabels/1',
      /expected a non-empty string/
    ],
    [
      'a variant label over 100 characters',
      { ...rule('x'), offer: { variantId: 1, variantLabels: { 1: 'x'.repeat(101) } } },
      '/offer/variantLabels/1',
      /more than 100 characters/
    ],
    [
      'a negative weight',
      { ...rule('x'), experiment: { name: 'e', arms: [{ id: 'a', weight: -5 }] } },
      '/experiment/arms/0/weight',
      /expected a number >= 0/
    ]
  ]
  for (const [name, data, pointer, message] of cases) {
    const errors = loadErrors({ 'offers/x.json': JSON.stringify(data, null, 2) })
    const e = errors.find((d) => d.pointer === pointer)
    t.ok(e, `${name}: an error at ${pointer}`, { errors })
    t.match(e?.message, message, name)
    t.equal(e?.code, 'RULE_SCHEMA', name)
    t.ok((e?.line ?? 0) >= 1 && (e?.column ?? 0) >= 1, `${name}: has a position`)
  }
})

t.test('semantic errors, each with its code', async (t) => {
  const cases: [string, Record<string, string>, string, string, RegExp][] = [
    [
      'id differs from the file name',
      files([rule('other')]),
      'RULE_ID_MISMATCH',
      '/id',
      /differs from the file name; expected "x"/
    ],
    [
      'unknown operator',
      files([
        rule('x', { conditions: { all: [{ fact: 'cart', path: '$.subtotal', operator: 'greaterThen', value: 1 }] } })
      ]),
      'UNKNOWN_OPERATOR',
      '/conditions/all/0/operator',
      /unknown operator "greaterThen" \(did you mean "greaterThan"\?\); expected one of: equal/
    ],
    [
      'unknown decorator',
      files([rule('x', { conditions: { all: [{ fact: 'cart', operator: 'maybe:equal', value: 1 }] } })]),
      'UNKNOWN_OPERATOR',
      '/conditions/all/0/operator',
      /unknown operator "maybe:equal"/
    ],
    [
      'in with a scalar',
      files([rule('x', { conditions: { all: [{ fact: 'shippingCountry', operator: 'in', value: 'US' }] } })]),
      'OPERATOR_VALUE',
      '/conditions/all/0/value',
      /expects an array value/
    ],
    [
      'between with three numbers',
      files([
        rule('x', {
          conditions: { all: [{ fact: 'cart', path: '$.subtotal', operator: 'between', value: [1, 2, 3] }] }
        })
      ]),
      'OPERATOR_VALUE',
      '/conditions/all/0/value',
      /\[min, max\]/
    ],
    [
      'between reversed',
      files([
        rule('x', { conditions: { all: [{ fact: 'cart', path: '$.subtotal', operator: 'between', value: [9, 1] }] } })
      ]),
      'OPERATOR_VALUE',
      '/conditions/all/0/value',
      /min <= max/
    ],
    [
      'unknown named condition',
      files([rule('x', { conditions: { all: [{ condition: 'nope' }] } })]),
      'UNKNOWN_CONDITION',
      '/conditions/all/0/condition',
      /no named condition "nope"; expected a file rules\/conditions\/nope.json/
    ],
    [
      'schedule ends before it starts',
      files([rule('x', { schedule: { from: '2026-12-01T00:00:00Z', until: '2026-11-01T00:00:00Z' } })]),
      'SCHEDULE_INVALID',
      '/schedule/until',
      /expected until >= from/
    ],
    [
      'quantity default outside min..max',
      files([rule('x', { offer: { variantId: 1, quantity: { default: 5, min: 1, max: 3 } } })]),
      'OFFER_INVALID',
      '/offer/quantity',
      /expected min <= default <= max/
    ],
    [
      'variants without variantId',
      files([rule('x', { offer: { variantId: 1, variants: [2, 3] } })]),
      'OFFER_INVALID',
      '/offer/variants',
      /expected variants to include variantId 1/
    ],
    [
      'an arm breaking the merged offer',
      files([
        rule('x', {
          offer: { variantId: 1 },
          experiment: { name: 'e', arms: [{ id: 'a', weight: 100, offer: { variants: [7] } }] }
        })
      ]),
      'OFFER_INVALID',
      '/experiment/arms/0/offer/variants',
      /arm "a" merged over the offer/
    ],
    [
      'duplicate arm ids',
      files([
        rule('x', {
          experiment: {
            name: 'e',
            arms: [
              { id: 'a', weight: 50 },
              { id: 'a', weight: 50 }
            ]
          }
        })
      ]),
      'EXPERIMENT_INVALID',
      '/experiment/arms/1/id',
      /duplicate arm id "a"/
    ],
    [
      'all arms weigh 0',
      files([rule('x', { experiment: { name: 'e', arms: [{ id: 'a', weight: 0 }] } })]),
      'EXPERIMENT_INVALID',
      '/experiment/arms',
      /at least one arm with a positive weight/
    ]
  ]
  for (const [name, f, code, pointer, message] of cases) {
    const renamed = Object.fromEntries(
      Object.entries(f).map(([k, v]) => [k.startsWith('offers/') ? 'offers/x.json' : k, v])
    )
    const e = only(loadErrors(renamed), code)
    t.equal(e.pointer, pointer, `${name}: pointer`)
    t.match(e.message, message, `${name}: message`)
    t.equal(e.file, 'offers/x.json', `${name}: file`)
    t.ok(e.line > 1, `${name}: line ${e.line}`)
  }
})

t.test('named condition files are validated: schema, name, references and loops', async (t) => {
  const bad = only(loadErrors({ 'conditions/c.json': JSON.stringify({ name: 'c' }) }), 'CONDITION_SCHEMA')
  t.match(bad, { file: 'conditions/c.json', pointer: '/conditions', message: 'missing required property "conditions"' })
  const named = only(
    loadErrors({
      'conditions/c.json': JSON.stringify({
        name: 'd',
        conditions: { all: [{ fact: 'now', operator: 'equal', value: 1 }] }
      })
    }),
    'CONDITION_NAME_MISMATCH'
  )
  t.match(named, { pointer: '/name', message: /expected "c"/ })
  const loop = loadErrors({
    'conditions/a.json': JSON.stringify({ name: 'a', conditions: { all: [{ condition: 'b' }] } }),
    'conditions/b.json': JSON.stringify({ name: 'b', conditions: { not: { condition: 'a' } } })
  }).filter((e) => e.code === 'CONDITION_CYCLE')
  t.equal(loop.length, 2, 'each file in the loop is reported')
  t.match(loop[0]?.message, /a -> b -> a|b -> a -> b/)
  const self = loadErrors({
    'conditions/me.json': JSON.stringify({ name: 'me', conditions: { all: [{ condition: 'me' }] } })
  })
  t.equal(self[0]?.code, 'CONDITION_CYCLE')
})

t.test('fixtures must be checkouts and tests must name existing fixtures, rules and arms', async (t) => {
  const fx = only(loadErrors({ 'fixtures/f.json': JSON.stringify({ initialPurchase: {} }) }), 'FIXTURE_INVALID')
  t.match(fx, {
    file: 'fixtures/f.json',
    pointer: '/initialPurchase/referenceId',
    message: /expected a non-empty string/
  })
  const base = files([rule('a', { experiment: { name: 'e', arms: [{ id: 'one', weight: 100 }] } })], {
    'fixtures/ok.json': VALID_CHECKOUT
  })
  const tests = (list: unknown[]) => loadErrors({ ...base, 'tests/t.json': JSON.stringify(list, null, 2) })
  t.match(only(tests([{ name: 'n', checkout: 'missing', expect: { offer: null } }]), 'TEST_UNKNOWN_FIXTURE'), {
    pointer: '/0/checkout',
    message: /no fixture "missing"/
  })
  t.match(only(tests([{ name: 'n', checkout: 'ok', expect: { offer: 'zzz' } }]), 'TEST_UNKNOWN_RULE'), {
    pointer: '/0/expect/offer',
    message: /no rule "zzz"/
  })
  t.match(only(tests([{ name: 'n', checkout: 'ok', expect: { offer: 'a', arm: 'two' } }]), 'TEST_UNKNOWN_RULE'), {
    pointer: '/0/expect/arm',
    message: /has no arm "two"; expected one of: one/
  })
  t.match(only(tests([{ name: 'n', checkout: 'ok' }]), 'TEST_SCHEMA'), {
    pointer: '/0/expect',
    message: /missing required property "expect"/
  })
  t.match(
    only(
      tests([
        { name: 'n', checkout: { shop: { id: 1 }, initialPurchase: { lineItems: [] } }, expect: { offer: null } }
      ]),
      'FIXTURE_INVALID'
    ),
    { pointer: '/0/checkout/initialPurchase/totalPriceSet' }
  )
})

t.test('every error is reported at once, sorted by file and line, and nothing throws', async (t) => {
  const r = loadRulesFromFiles({
    'offers/b.json': '{ nope',
    'offers/a.json': JSON.stringify({ id: 'a' }),
    'conditions/x.json': '[]',
    'fixtures/y.json': '42',
    'tests/z.json': '{}'
  })
  t.equal(r.ok, false)
  if (r.ok) return
  t.same(
    r.errors.map((e) => e.file),
    ['conditions/x.json', 'fixtures/y.json', 'offers/a.json', 'offers/a.json', 'offers/b.json', 'tests/z.json']
  )
})

t.test('every error code is documented in docs/rules.md', async (t) => {
  const { readFileSync } = await import('node:fs')
  const doc = readFileSync('docs/rules.md', 'utf8')
  for (const code of Object.keys(ERROR_CODES)) t.ok(doc.includes(`\`${code}\``), `${code} is documented`)
})

t.test('a missing rules directory is an error, not an exception', async (t) => {
  const { loadRulesDir } = await import('../../server/rules/index.js')
  const r = await loadRulesDir('/nonexistent/rules')
  t.equal(r.ok, false)
  if (!r.ok)
    t.match(r.errors, [
      {
        code: 'NO_RULES_DIR',
        file: '',
        message: /cannot read rules directory \/nonexistent\/rules; expected a directory with offers\//
      }
    ])
})

t.test('unexpected shapes in every section are reported, never thrown', async (t) => {
  const weird = ['null', '[]', '"text"', '42', '{}', '{"all": 1}']
  for (const text of weird) {
    const r = loadRulesFromFiles({
      'offers/w.json': text,
      'conditions/w.json': text,
      'fixtures/w.json': text,
      'tests/w.json': text
    })
    t.equal(r.ok, false, `content ${text}`)
  }
})
