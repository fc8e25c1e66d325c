// A loaded ruleset: immutable, hashed, storable as files, diffable, and aware of the catalogs it needs.
import t from 'tap'
import {
  diffRulesets,
  formatDiagnostics,
  loadRulesDir,
  loadRulesFromFiles,
  type Diagnostic
} from '../../server/rules/index.js'
import { files, loadOk, rule } from '../support/rules-helpers.js'

t.test('the hash is sha256 over sorted paths and contents, independent of input order', async (t) => {
  const f = files([rule('a'), rule('b')])
  const reversed = Object.fromEntries(Object.entries(f).reverse())
  const one = loadOk(f).ruleset
  t.match(one.hash, /^[0-9a-f]{64}$/)
  t.equal(loadOk(reversed).ruleset.hash, one.hash)
  t.not(loadOk({ ...f, 'offers/a.json': `${f['offers/a.json']}\n` }).ruleset.hash, one.hash, 'any byte changes it')
})

t.test('a ruleset is deeply frozen', async (t) => {
  const { ruleset } = loadOk(files([rule('a', { experiment: { name: 'e', arms: [{ id: 'x', weight: 100 }] } })]))
  t.ok(Object.isFrozen(ruleset))
  t.ok(Object.isFrozen(ruleset.rules[0]?.offer))
  t.ok(Object.isFrozen(ruleset.rules[0]?.experiment?.arms[0]))
  t.throws(() => {
    ;(ruleset.rules as unknown as unknown[]).push(1)
  })
})

t.test('a ruleset exposes count, rules with defaults, getRule, files and fixtures', async (t) => {
  const fixture = {
    shop: { id: 1 },
    initialPurchase: {
      referenceId: 'r',
      totalPriceSet: { shopMoney: { amount: '1.00', currencyCode: 'USD' } },
      lineItems: []
    }
  }
  const { ruleset } = loadOk(
    files([rule('a'), rule('b', { priority: 3, enabled: false })], { 'fixtures/f.json': fixture, 'tests/t.json': [] })
  )
  t.equal(ruleset.count, 2)
  t.same(ruleset.getRule('a'), {
    id: 'a',
    file: 'offers/a.json',
    description: null,
    enabled: true,
    priority: 0,
    schedule: null,
    conditions: rule('a').conditions,
    offer: rule('a').offer,
    experiment: null,
    next: { onAccept: null, onDecline: null }
  })
  t.equal(ruleset.getRule('nope'), undefined)
  t.same(Object.keys(ruleset.files).sort(), ['fixtures/f.json', 'offers/a.json', 'offers/b.json', 'tests/t.json'])
  t.same(ruleset.fixtures.f, fixture)
  t.match(ruleset.loadedAt, /^\d{4}-\d\d-\d\dT/)
})

t.test('loading the stored files again rebuilds the same ruleset', async (t) => {
  const first = await loadRulesDir('rules')
  if (!first.ok) throw new Error('sample invalid')
  const again = loadRulesFromFiles({ ...first.ruleset.files })
  t.equal(again.ok, true)
  if (again.ok) {
    t.equal(again.ruleset.hash, first.ruleset.hash)
    t.same(again.ruleset.rules, first.ruleset.rules)
  }
})

t.test('needs says which catalogs the rules read, through named conditions too', async (t) => {
  const needs = (conditions: Record<string, unknown>, extra = {}) =>
    loadOk(files([rule('a', { conditions })], extra)).ruleset.needs
  t.same(needs({ all: [{ fact: 'cart', path: '$.subtotal', operator: 'greaterThan', value: 1 }] }), {
    productCatalog: false,
    customerCatalog: false
  })
  t.same(needs({ all: [{ fact: 'cart', path: '$.productTags', operator: 'containsAny', value: ['x'] }] }), {
    productCatalog: true,
    customerCatalog: false
  })
  t.same(needs({ all: [{ fact: 'cart', path: '$.lineItems[*].vendor', operator: 'contains', value: 'x' }] }), {
    productCatalog: true,
    customerCatalog: false
  })
  t.same(needs({ all: [{ fact: 'customer', path: '$.numberOfOrders', operator: 'greaterThan', value: 1 }] }), {
    productCatalog: false,
    customerCatalog: true
  })
  t.same(needs({ all: [{ fact: 'customer', path: '$.id', operator: 'notEqual', value: null }] }), {
    productCatalog: false,
    customerCatalog: false
  })
  t.same(
    needs(
      { all: [{ condition: 'vip' }] },
      {
        'conditions/vip.json': {
          name: 'vip',
          conditions: { any: [{ fact: 'customer', path: '$.tags', operator: 'contains', value: 'vip' }] }
        }
      }
    ),
    { productCatalog: false, customerCatalog: true }
  )
  const sample = await loadRulesDir('rules')
  t.same(sample.ok && sample.ruleset.needs, { productCatalog: true, customerCatalog: true })
})

t.test('diffRulesets lists added, changed and removed rule ids', async (t) => {
  const named = (v: number) => ({
    'conditions/c.json': {
      name: 'c',
      conditions: { all: [{ fact: 'cart', path: '$.subtotal', operator: 'greaterThan', value: v }] }
    }
  })
  const before = loadOk(
    files(
      [rule('keep'), rule('edit'), rule('gone'), rule('uses-c', { conditions: { all: [{ condition: 'c' }] } })],
      named(1)
    )
  ).ruleset
  const after = loadOk(
    files(
      [
        rule('keep'),
        rule('edit', { priority: 4 }),
        rule('new'),
        rule('uses-c', { conditions: { all: [{ condition: 'c' }] } })
      ],
      named(2)
    )
  ).ruleset
  t.same(diffRulesets(before, after), { added: ['new'], changed: ['edit', 'uses-c'], removed: ['gone'] })
  t.same(diffRulesets(after, after), { added: [], changed: [], removed: [] })
})

t.test('formatDiagnostics prints one line per diagnostic and a count, coloured only on request', async (t) => {
  const d: Diagnostic[] = [
    {
      severity: 'error',
      code: 'RULE_SCHEMA',
      file: 'offers/x.json',
      pointer: '/priority',
      line: 3,
      column: 15,
      message: 'expected an integer, got string "high"'
    },
    {
      severity: 'warning',
      code: 'WEIGHTS_SUM',
      file: 'offers/y.json',
      pointer: '/experiment/arms',
      line: 9,
      column: 13,
      message: 'arm weights sum to 90; expected 100'
    }
  ]
  t.equal(
    formatDiagnostics(d),
    [
      'offers/x.json:3:15  error    RULE_SCHEMA  /priority  expected an integer, got string "high"',
      'offers/y.json:9:13  warning  WEIGHTS_SUM  /experiment/arms  arm weights sum to 90; expected 100',
      '1 error, 1 warning'
    ].join('\n')
  )
  t.ok(formatDiagnostics(d, { color: true }).includes('\u001b[31m'), 'red for errors with color: true')
  t.equal(formatDiagnostics([]), '')
})
