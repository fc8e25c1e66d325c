// The selection order: enabled, schedule, history, priority, tie by id; `only`; the offer limit.
import t from 'tap'
import { buildFacts, decide, MAX_ACCEPTED_OFFERS } from '../../server/rules/index.js'
import { checkout, files, loadOk, rule } from '../support/rules-helpers.js'

const at = (iso: string, history = {}) => buildFacts(checkout(), { now: new Date(iso), history })
const NOW = '2026-11-25T12:00:00Z'
const winner = (rs: ReturnType<typeof loadOk>['ruleset'], f = at(NOW), only?: string[]) =>
  decide(rs, f, { referenceId: 'r-1', ...(only ? { only } : {}) }).ruleId

t.test('a disabled rule is skipped, whatever its priority', async (t) => {
  const { ruleset } = loadOk(files([rule('a', { enabled: false, priority: 100 }), rule('b')]))
  t.equal(winner(ruleset), 'b')
  const e = decide(ruleset, at(NOW), { referenceId: 'r', explain: true }).explanation
  t.equal(e?.rules.find((r) => r.ruleId === 'a')?.status, 'disabled')
})

t.test('a rule is skipped outside its schedule; both ends are inclusive', async (t) => {
  const { ruleset } = loadOk(
    files([
      rule('sale', { priority: 10, schedule: { from: '2026-11-20T00:00:00Z', until: '2026-11-30T23:59:59Z' } }),
      rule('always')
    ]),
    new Date('2026-11-01T00:00:00Z')
  )
  t.equal(winner(ruleset, at('2026-11-19T23:59:59Z')), 'always', 'before from')
  t.equal(winner(ruleset, at('2026-11-20T00:00:00Z')), 'sale', 'at from')
  t.equal(winner(ruleset, at('2026-11-30T23:59:59Z')), 'sale', 'at until')
  t.equal(winner(ruleset, at('2026-12-01T00:00:00Z')), 'always', 'after until')
  const e = decide(ruleset, at('2026-12-01T00:00:00Z'), { referenceId: 'r', explain: true }).explanation
  t.equal(e?.rules.find((r) => r.ruleId === 'sale')?.status, 'outside_schedule')
})

t.test('a schedule with only one end is open on the other', async (t) => {
  const { ruleset } = loadOk(
    files([rule('from-only', { schedule: { from: '2026-11-20T00:00:00Z' } })]),
    new Date('2026-11-01T00:00:00Z')
  )
  t.equal(winner(ruleset, at('2030-01-01T00:00:00Z')), 'from-only')
  t.equal(winner(ruleset, at('2026-11-01T00:00:00Z')), null)
  const { ruleset: u } = loadOk(
    files([rule('until-only', { schedule: { until: '2026-11-20T00:00:00Z' } })]),
    new Date('2026-11-01T00:00:00Z')
  )
  t.equal(winner(u, at('2000-01-01T00:00:00Z')), 'until-only')
  t.equal(winner(u, at('2026-11-21T00:00:00Z')), null)
})

t.test('of the rules that hold, the highest priority wins', async (t) => {
  const { ruleset } = loadOk(
    files([rule('low', { priority: 1 }), rule('high', { priority: 5 }), rule('negative', { priority: -3 })])
  )
  t.equal(winner(ruleset), 'high')
  const e = decide(ruleset, at(NOW), { referenceId: 'r', explain: true }).explanation
  t.same(
    e?.rules.map((r) => [r.ruleId, r.status]),
    [
      ['high', 'won'],
      ['low', 'matched'],
      ['negative', 'matched']
    ]
  )
})

t.test('priority defaults to 0', async (t) => {
  const { ruleset } = loadOk(files([rule('zzz-default'), rule('minus-one', { priority: -1 })]))
  t.equal(winner(ruleset), 'zzz-default')
})

t.test('a tie goes to the smaller id in plain string order', async (t) => {
  const { ruleset } = loadOk(
    files([rule('b-rule', { priority: 3 }), rule('a-rule', { priority: 3 }), rule('a-rule-2', { priority: 3 })])
  )
  t.equal(winner(ruleset), 'a-rule')
  const { ruleset: digits } = loadOk(files([rule('rule-10'), rule('rule-9')]))
  t.equal(winner(digits), 'rule-10', '"rule-10" < "rule-9" in plain string order')
})

t.test('a rule whose conditions fail is passed over for the next one', async (t) => {
  const { ruleset } = loadOk(
    files([
      rule('canada', {
        priority: 9,
        conditions: { all: [{ fact: 'shippingCountry', operator: 'equal', value: 'CA' }] }
      }),
      rule('anywhere', { priority: 1 })
    ])
  )
  t.equal(winner(ruleset), 'anywhere')
  const e = decide(ruleset, at(NOW), { referenceId: 'r', explain: true }).explanation
  t.equal(e?.rules[0]?.status, 'not_matched')
})

t.test('a rule already shown, accepted or declined in this checkout is never offered again', async (t) => {
  const { ruleset } = loadOk(files([rule('first', { priority: 2 }), rule('second', { priority: 1 })]))
  t.equal(winner(ruleset, at(NOW, { shown: ['first'] })), 'second')
  t.equal(winner(ruleset, at(NOW, { accepted: ['first'] })), 'second')
  t.equal(winner(ruleset, at(NOW, { declined: ['first'] })), 'second')
  t.equal(winner(ruleset, at(NOW, { shown: ['first'], declined: ['second'] })), null)
  const e = decide(ruleset, at(NOW, { shown: ['first'] }), { referenceId: 'r', explain: true }).explanation
  t.equal(e?.rules[0]?.status, 'already_in_history')
})

t.test(`with ${MAX_ACCEPTED_OFFERS} accepted offers nothing is offered`, async (t) => {
  const { ruleset } = loadOk(files([rule('another')]))
  t.equal(MAX_ACCEPTED_OFFERS, 3)
  t.equal(winner(ruleset, at(NOW, { accepted: ['x', 'y'] })), 'another', 'two accepted still allows a third')
  const f = at(NOW, { accepted: ['x', 'y', 'z'] })
  t.same(decide(ruleset, f, { referenceId: 'r' }), { ruleId: null, arm: null, holdout: false, offer: null })
  t.equal(f.payment.eligible, false)
  t.same(f.payment.reasons, ['offer_limit_reached'])
  // Even a rule that does not look at payment is not offered.
  const { ruleset: careless } = loadOk(
    files([
      rule('careless', {
        conditions: { all: [{ fact: 'cart', path: '$.lineCount', operator: 'greaterThan', value: 0 }] }
      })
    ])
  )
  t.equal(winner(careless, f), null)
  t.equal(decide(careless, f, { referenceId: 'r', explain: true }).explanation?.rules[0]?.status, 'offer_limit_reached')
})

t.test('`only` restricts the candidates to the given rule ids', async (t) => {
  const { ruleset } = loadOk(
    files([rule('top', { priority: 9 }), rule('chained', { priority: 1 }), rule('other', { priority: 5 })])
  )
  t.equal(winner(ruleset, at(NOW), ['chained']), 'chained')
  t.equal(winner(ruleset, at(NOW), ['chained', 'other']), 'other', 'priority still orders the allowed rules')
  t.equal(winner(ruleset, at(NOW), ['missing']), null, 'an unknown id yields no offer')
  t.equal(winner(ruleset, at(NOW), []), null, 'an empty list allows nothing')
  const manyIds = Array.from({ length: 20 }, (_, i) => `x-${i}`).concat(['other'])
  t.equal(winner(ruleset, at(NOW), manyIds), 'other', 'a long list works the same')
  const e = decide(ruleset, at(NOW), { referenceId: 'r', only: ['chained'], explain: true }).explanation
  t.same(
    e?.rules.map((r) => r.status),
    ['not_requested', 'not_requested', 'won']
  )
})

t.test('decide validates its options with a typed error', async (t) => {
  const { ruleset } = loadOk(files([rule('a')]))
  t.throws(() => decide(ruleset, at(NOW), {} as never), { code: 'INVALID_OPTIONS' })
  t.throws(() => decide(ruleset, {} as never, { referenceId: 'r' }), { code: 'INVALID_OPTIONS' })
})
