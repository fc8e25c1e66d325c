// The resolved offer (defaults, translations, quantities) and chains through `next` and history.
import t from 'tap'
import { buildFacts, decide, loadRulesDir } from '../../server/rules/index.js'
import { checkout, files, loadOk, rule } from '../support/rules-helpers.js'

const NOW = new Date('2026-11-25T12:00:00Z')

t.test('fields a rule leaves out are null, labels default to English, quantity and variants default', async (t) => {
  const { ruleset } = loadOk(files([rule('bare', { offer: { variantId: 808950810 } })]))
  const d = decide(ruleset, buildFacts(checkout(), { now: NOW }), { referenceId: 'r' })
  t.same(d.offer, {
    ruleId: 'bare',
    arm: null,
    productId: null,
    variantId: 808950810,
    variants: [808950810],
    variantLabels: null,
    quantity: { default: 1, min: 1, max: 1 },
    discount: null,
    content: {
      headline: null,
      body: null,
      image: null,
      imageAlt: null,
      acceptLabel: 'Add to my order',
      declineLabel: 'No thanks'
    },
    expiresInSeconds: null,
    next: { onAccept: null, onDecline: null }
  })
})

t.test('a plain integer quantity is fixed; an object is a picker', async (t) => {
  const { ruleset } = loadOk(files([rule('fixed', { offer: { variantId: 1, quantity: 2 } })]))
  t.same(decide(ruleset, buildFacts(checkout()), { referenceId: 'r' }).offer?.quantity, { default: 2, min: 2, max: 2 })
  const { ruleset: picker } = loadOk(
    files([rule('picker', { offer: { variantId: 1, quantity: { default: 2, min: 1, max: 4 } } })])
  )
  t.same(decide(picker, buildFacts(checkout()), { referenceId: 'r' }).offer?.quantity, { default: 2, min: 1, max: 4 })
})

t.test('content is translated by exact locale, then by language, else left in the base language', async (t) => {
  const { ruleset } = loadOk(
    files([
      rule('tr', {
        offer: {
          variantId: 1,
          content: { headline: 'Warm feet', body: 'Socks', acceptLabel: 'Add' },
          translations: {
            fr: { headline: 'Pieds au chaud', acceptLabel: 'Ajouter' },
            'fr-CA': { headline: 'Pieds au chaud, eh' },
            de: { body: 'Socken' }
          }
        }
      })
    ])
  )
  const offer = (locale: string) =>
    decide(ruleset, buildFacts(checkout({ locale })), { referenceId: 'r' }).offer?.content
  t.same(
    [offer('fr-CA')?.headline, offer('fr-CA')?.acceptLabel],
    ['Pieds au chaud, eh', 'Add'],
    'exact locale; missing fields fall back to the base content'
  )
  t.same(
    [offer('fr-FR')?.headline, offer('fr-FR')?.acceptLabel],
    ['Pieds au chaud', 'Ajouter'],
    'language of an unknown regional locale'
  )
  t.equal(offer('fr-ca')?.headline, 'Pieds au chaud, eh', 'locale case does not matter')
  t.same([offer('de')?.headline, offer('de')?.body], ['Warm feet', 'Socken'])
  t.same(
    [offer('es')?.headline, offer('es')?.declineLabel],
    ['Warm feet', 'No thanks'],
    'untranslated locale: base content, English default labels'
  )
})

t.test(
  'variant labels: allow-listed variants only, translated key by key like content, merged from an arm',
  async (t) => {
    const offer = {
      variantId: 808950810,
      variants: [808950810, 808950811],
      variantLabels: { 808950810: 'Grey', 808950811: 'Charcoal', 808950899: 'Navy' },
      translations: { fr: { headline: 'Chaussettes', variantLabels: { 808950810: 'Gris' } } }
    }
    const { ruleset } = loadOk(files([rule('labels', { offer })]))
    const labels = (locale: string) =>
      decide(ruleset, buildFacts(checkout({ locale })), { referenceId: 'r' }).offer?.variantLabels
    t.same(labels('en'), { 808950810: 'Grey', 808950811: 'Charcoal' }, 'a label outside the allow-list is dropped')
    t.same(
      labels('fr'),
      { 808950810: 'Gris', 808950811: 'Charcoal' },
      'a translated label overrides its key; the others stay'
    )
    t.same(labels('fr-CA'), { 808950810: 'Gris', 808950811: 'Charcoal' }, 'fr-CA falls back to fr, as content does')
    t.same(labels('de'), { 808950810: 'Grey', 808950811: 'Charcoal' }, 'untranslated locale: base labels')

    const experiment = {
      name: 'e',
      arms: [
        {
          id: 'navy',
          weight: 100,
          offer: { variants: [808950810, 808950899], variantLabels: { 808950810: 'Light grey' } }
        }
      ]
    }
    const { ruleset: armed } = loadOk(files([rule('armed', { offer, experiment })]))
    t.same(
      decide(armed, buildFacts(checkout()), { referenceId: 'r' }).offer?.variantLabels,
      { 808950810: 'Light grey', 808950899: 'Navy' },
      "the arm's labels merge over the base ones, against the arm's allow-list"
    )
  }
)

t.test('the sample socks offer names its variants, in French for a fr-CA buyer', async (t) => {
  const loaded = await loadRulesDir('rules')
  if (!loaded.ok) throw new Error('sample rules invalid')
  const rs = loaded.ruleset
  const french = decide(rs, buildFacts(rs.fixtures['boots-ca-french'], { now: NOW }), { referenceId: 'r-boots-ca-1' })
  t.equal(french.ruleId, 'wool-socks-with-boots')
  t.same(french.offer?.variantLabels, { 808950810: 'Gris', 808950811: 'Anthracite' })
  const english = decide(rs, buildFacts(rs.fixtures['boots-us'], { now: NOW }), { referenceId: 'r-boots-us-1' })
  t.same(english.offer?.variantLabels, { 808950810: 'Grey', 808950811: 'Charcoal' })
})

t.test('the offer carries the chain of its rule', async (t) => {
  const { ruleset } = loadOk(files([rule('a', { next: { onAccept: 'b', onDecline: 'c' } }), rule('b'), rule('c')]))
  t.same(decide(ruleset, buildFacts(checkout()), { referenceId: 'r' }).offer?.next, { onAccept: 'b', onDecline: 'c' })
})

t.test('the sample decline chain: socks, declined, then a single pair via `only`', async (t) => {
  const loaded = await loadRulesDir('rules')
  if (!loaded.ok) throw new Error('sample rules invalid')
  const rs = loaded.ruleset
  const input = rs.fixtures['boots-us']
  const first = decide(rs, buildFacts(input, { now: NOW }), { referenceId: 'r-boots-us-1' })
  t.equal(first.ruleId, 'wool-socks-with-boots')
  const next = first.offer?.next.onDecline as string
  t.equal(next, 'single-pair-socks')
  const history = { shown: ['wool-socks-with-boots'], declined: ['wool-socks-with-boots'] }
  const second = decide(rs, buildFacts(input, { now: NOW, history }), { referenceId: 'r-boots-us-1', only: [next] })
  t.equal(second.ruleId, 'single-pair-socks')
  t.same(second.offer?.discount, { type: 'fixed_amount', value: 5, title: '5 off a single pair' })
  // The chained rule's own conditions still apply: without the decline in history it does not hold.
  const without = decide(rs, buildFacts(input, { now: NOW, history: { shown: ['wool-socks-with-boots'] } }), {
    referenceId: 'r-boots-us-1',
    only: [next]
  })
  t.equal(without.ruleId, null)
})

t.test('the sample accept chain leads to gift wrap, and a chain never yields a fourth accepted offer', async (t) => {
  const loaded = await loadRulesDir('rules')
  if (!loaded.ok) throw new Error('sample rules invalid')
  const rs = loaded.ruleset
  const input = rs.fixtures['boots-us']
  const accepted = { shown: ['wool-socks-with-boots'], accepted: ['wool-socks-with-boots'] }
  t.equal(
    decide(rs, buildFacts(input, { now: NOW, history: accepted }), {
      referenceId: 'r',
      only: ['gift-wrap-after-socks']
    }).ruleId,
    'gift-wrap-after-socks'
  )
  const full = { accepted: ['wool-socks-with-boots', 'hand-warmers-winter-sale', 'waterproofing-with-jacket'] }
  t.equal(
    decide(rs, buildFacts(input, { now: NOW, history: full }), { referenceId: 'r', only: ['gift-wrap-after-socks'] })
      .ruleId,
    null
  )
})

t.test('a chain back to an earlier rule stops: history excludes it', async (t) => {
  const { ruleset } = loadOk(files([rule('a', { next: { onDecline: 'b' } }), rule('b', { next: { onDecline: 'a' } })]))
  const f = buildFacts(checkout(), { history: { shown: ['a', 'b'], declined: ['a', 'b'] } })
  t.equal(decide(ruleset, f, { referenceId: 'r', only: ['a'] }).ruleId, null)
})
