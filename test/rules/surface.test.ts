// The `surface` fact: which page an offer is for. Rules without a condition on it serve both pages; the payment
// reasons of the post-purchase page do not apply to the Thank-you page; check and the CLI know the fact.
import t from 'tap'
import { buildFacts, decide, loadRulesFromFiles, RulesError, SURFACES } from '../../server/rules/index.js'
import { main, strictly } from '../../scripts/rules.js'
import { recordingIo } from '../../scripts/lib/cli.js'
import { checkout, files, loadOk, rule } from '../support/rules-helpers.js'

const NOW = new Date('2026-11-25T12:00:00Z')

t.test('the surface is post_purchase unless given, and only the two pages exist', async (t) => {
  t.same(SURFACES, ['post_purchase', 'thank_you'])
  t.equal(buildFacts(checkout(), { now: NOW }).surface, 'post_purchase')
  t.equal(buildFacts(checkout(), { now: NOW, surface: 'thank_you' }).surface, 'thank_you')
  t.throws(() => buildFacts(checkout(), { now: NOW, surface: 'thankyou' as never }), {
    name: RulesError.name,
    code: 'INVALID_OPTIONS'
  })
})

t.test('payment: the post-purchase limits do not apply to an order edit; the limit of 3 does', async (t) => {
  const awkward = checkout({ country: null, presentmentCurrency: 'EUR', total: '0.20', lines: [{ productId: 1 }] })
  const pp = buildFacts(awkward, { now: NOW })
  t.same(pp.payment.reasons, ['no_shipping_address', 'multi_currency', 'below_minimum'])
  t.equal(pp.payment.eligible, false)
  const ty = buildFacts(awkward, { now: NOW, surface: 'thank_you' })
  t.same(ty.payment.reasons, [])
  t.equal(ty.payment.eligible, true)
  t.equal(ty.payment.presentmentCurrency, 'EUR', 'the currencies are still reported')
  const full = buildFacts(awkward, {
    now: NOW,
    surface: 'thank_you',
    history: { accepted: ['a', 'b', 'c'] }
  })
  t.same(full.payment.reasons, ['offer_limit_reached'])
})

const ruleFile = (id: string, priority: number, conditions: unknown) => rule(id, { priority, conditions })

t.test('a rule on the surface serves its page only; a rule without one serves both', async (t) => {
  const { ruleset: rs } = loadOk(
    files([
      ruleFile('ty-only', 20, { all: [{ fact: 'surface', operator: 'equal', value: 'thank_you' }] }),
      ruleFile('both', 10, { all: [{ fact: 'cart', path: '$.total', operator: 'greaterThan', value: 0 }] })
    ])
  )
  const on = (surface: 'post_purchase' | 'thank_you') =>
    decide(rs, buildFacts(checkout(), { now: NOW, surface }), { referenceId: 'r-1' }).ruleId
  t.equal(on('thank_you'), 'ty-only')
  t.equal(on('post_purchase'), 'both')
  const explained = decide(rs, buildFacts(checkout(), { now: NOW, surface: 'post_purchase' }), {
    referenceId: 'r-1',
    explain: true
  })
  t.match(explained.explanation?.rules[0], {
    ruleId: 'ty-only',
    status: 'not_matched',
    conditions: { all: [{ fact: 'surface', factValue: 'post_purchase', result: false }] }
  })
})

t.test('check knows the fact (strict passes) and warns about a value that is no page', async (t) => {
  const good = strictly(
    loadRulesFromFiles(files([ruleFile('a', 1, { all: [{ fact: 'surface', operator: 'in', value: ['thank_you'] }] })]))
  )
  t.ok(good.ok, 'a condition on surface is valid under --strict')
  t.same(good.warnings, [])
  const typo = loadRulesFromFiles(
    files([ruleFile('a', 1, { all: [{ fact: 'surface', operator: 'notEqual', value: 'thankyou' }] })])
  )
  t.match(typo.warnings, [
    {
      code: 'OPERATOR_TYPE',
      pointer: '/conditions/all/0/value',
      message: /value "thankyou" is not one surface takes: "post_purchase" or "thank_you".*did you mean "thank_you"/
    }
  ])
})

async function run(...args: string[]) {
  const io = recordingIo({ NO_COLOR: '1' })
  const code = await main(args, io)
  return { code, stdout: io.stdout, stderr: io.stderr }
}

t.test(
  'rules:simulate --surface: the euro buyer gets nothing after checkout and the socks on the Thank-you page',
  async (t) => {
    const pp = await run('simulate', 'boots-us-euro-buyer', '--at', '2026-11-25T12:00:00Z', '--json')
    const ty = await run(
      'simulate',
      'boots-us-euro-buyer',
      '--at',
      '2026-11-25T12:00:00Z',
      '--surface',
      'thank_you',
      '--json'
    )
    t.equal(pp.code, 0)
    t.equal(ty.code, 0)
    t.match(JSON.parse(pp.stdout), { facts: { surface: 'post_purchase' }, decision: { ruleId: null } })
    t.match(JSON.parse(ty.stdout), { facts: { surface: 'thank_you' }, decision: { ruleId: 'wool-socks-with-boots' } })
    const text = await run('simulate', 'boots-us-euro-buyer', '--at', '2026-11-25T12:00:00Z', '--surface', 'thank_you')
    t.match(text.stdout, /surface: thank_you/)
    const bad = await run('simulate', 'boots-us', '--surface', 'thankyou')
    t.equal(bad.code, 2)
    t.match(bad.stderr, /--surface: expected post_purchase or thank_you, got "thankyou"/)
  }
)
