// Experiment arms: deterministic per checkout, spread by the weights, holdouts get no offer.
import t from 'tap'
import { buildFacts, decide } from '../../server/rules/index.js'
import { assignArm } from '../../server/rules/arms.js'
import { checkout, files, loadOk, rule } from '../support/rules-helpers.js'

const experiment = {
  name: 'socks-discount-2026-11',
  arms: [
    { id: 'holdout', weight: 10, holdout: true },
    { id: '20-off', weight: 45 },
    { id: '25-off', weight: 45, offer: { discount: { type: 'percentage', value: 25, title: '25% off' } } }
  ]
}
const { ruleset } = loadOk(
  files([
    rule('socks', {
      experiment,
      offer: { variantId: 808950810, discount: { type: 'percentage', value: 20, title: '20% off' } }
    })
  ])
)
const facts = buildFacts(checkout(), { now: new Date('2026-11-25T12:00:00Z') })

t.test('over 10,000 checkouts each arm gets its weight, within 2 points', async (t) => {
  const counts: Record<string, number> = { holdout: 0, '20-off': 0, '25-off': 0 }
  const N = 10_000
  for (let i = 0; i < N; i++) {
    const d = decide(ruleset, facts, { referenceId: `checkout-${i}` })
    counts[d.arm as string] = (counts[d.arm as string] ?? 0) + 1
  }
  for (const arm of experiment.arms) {
    const share = ((counts[arm.id] ?? 0) / N) * 100
    t.ok(Math.abs(share - arm.weight) <= 2, `${arm.id}: ${share.toFixed(2)}% for weight ${arm.weight}`)
  }
})

t.test('the same checkout always gets the same arm', async (t) => {
  for (let i = 0; i < 200; i++) {
    const ref = `stable-${i}`
    const first = decide(ruleset, facts, { referenceId: ref })
    const again = decide(ruleset, buildFacts(checkout({ referenceId: ref, country: 'CA' }), { now: new Date() }), {
      referenceId: ref
    })
    if (first.arm !== again.arm) return t.fail(`${ref} changed arm`)
  }
  t.pass('200 checkouts kept their arm across evaluations and facts')
})

t.test('two experiments split the same checkouts independently', async (t) => {
  const a = {
    name: 'exp-a',
    arms: [
      { id: 'x', weight: 50 },
      { id: 'y', weight: 50 }
    ]
  }
  const b = {
    name: 'exp-b',
    arms: [
      { id: 'x', weight: 50 },
      { id: 'y', weight: 50 }
    ]
  }
  let same = 0
  for (let i = 0; i < 2000; i++) if (assignArm(a, `c-${i}`)?.id === assignArm(b, `c-${i}`)?.id) same++
  t.ok(Math.abs(same / 2000 - 0.5) < 0.05, `arms agree for ${same} of 2000 checkouts, about half`)
})

t.test('a holdout arm returns no offer, but names the rule and arm', async (t) => {
  let seen = false
  for (let i = 0; i < 100 && !seen; i++) {
    const d = decide(ruleset, facts, { referenceId: `h-${i}` })
    if (d.arm === 'holdout') {
      seen = true
      t.same(d, { ruleId: 'socks', arm: 'holdout', holdout: true, offer: null })
    }
  }
  t.ok(seen, 'some checkout landed in the holdout')
})

t.test("an arm's offer is merged over the base offer", async (t) => {
  for (let i = 0; i < 100; i++) {
    const d = decide(ruleset, facts, { referenceId: `m-${i}` })
    if (d.arm === '25-off') t.same(d.offer?.discount, { type: 'percentage', value: 25, title: '25% off' })
    if (d.arm === '20-off') t.same(d.offer?.discount, { type: 'percentage', value: 20, title: '20% off' })
    if (d.offer) t.equal(d.offer.arm, d.arm)
  }
})

t.test('merging is deep for objects and replaces arrays', async (t) => {
  const { ruleset: rs } = loadOk(
    files([
      rule('merge', {
        offer: {
          variantId: 1,
          variants: [1, 2, 3],
          content: { headline: 'Base', body: 'Body' },
          quantity: { default: 1, min: 1, max: 3 }
        },
        experiment: {
          name: 'merge',
          arms: [
            {
              id: 'only',
              weight: 100,
              offer: { variantId: 5, variants: [5], content: { headline: 'Arm' }, quantity: { max: 5 } }
            }
          ]
        }
      })
    ])
  )
  const d = decide(rs, facts, { referenceId: 'any' })
  t.same(d.offer?.variants, [5], 'arrays are replaced')
  t.same([d.offer?.content.headline, d.offer?.content.body], ['Arm', 'Body'], 'objects merge deeply')
  t.same(d.offer?.quantity, { default: 1, min: 1, max: 5 })
})

t.test('weights that do not sum to 100 are used proportionally; weight 0 never wins', async (t) => {
  const odd = {
    name: 'odd',
    arms: [
      { id: 'never', weight: 0 },
      { id: 'one', weight: 1 },
      { id: 'three', weight: 3 }
    ]
  }
  const counts: Record<string, number> = {}
  for (let i = 0; i < 4000; i++) {
    const id = assignArm(odd, `p-${i}`)?.id as string
    counts[id] = (counts[id] ?? 0) + 1
  }
  t.equal(counts.never, undefined)
  t.ok(Math.abs((counts.one ?? 0) / 4000 - 0.25) < 0.03, `one: ${counts.one}`)
})
