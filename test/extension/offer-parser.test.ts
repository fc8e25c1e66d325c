// The extension's hand validator and the wire contract's schema agree: it accepts every offer the real service emits
// and rejects every offer the schema rejects (apart from a few documented leniencies).
import t from 'tap'
import { Value } from 'typebox/value'
import { Offer, OfferResponse } from '../../contract/wire.js'
import { parseOffer } from '../../extension/src/offer.js'
import { sampleOffer } from '../support/extension-fake-api.js'
import {
  buildWorld,
  checkout,
  post,
  standardRules,
  tokenFor,
  BOOTS,
  SOCKS_VARIANT,
  SOCKS_VARIANT_2
} from '../support/server-world.js'

t.test('every offer the service emits passes the schema and the parser, unchanged', async (t) => {
  const rules = standardRules().map((r) =>
    r.id === 'socks'
      ? {
          ...r,
          offer: {
            ...(r.offer as object),
            variantLabels: { [SOCKS_VARIANT]: 'Grey', [SOCKS_VARIANT_2]: 'Charcoal' },
            content: { headline: 'Warm socks', body: 'Add socks', image: 'https://cdn.example/socks.png' }
          }
        }
      : r
  )
  const w = await buildWorld(t, { rules })
  const emitted: unknown[] = []
  for (const [locale, outcome] of [
    ['en', 'accepted'],
    ['fr', 'declined']
  ] as const) {
    const token = tokenFor(checkout({ productIds: [BOOTS], locale }))
    const first = await post(w.app, '/api/offer', token)
    const next = await post(w.app, '/api/offer', token, { after: { offerId: first.body.offer.id, outcome } })
    for (const answer of [first, next]) {
      t.equal(answer.status, 200)
      t.ok(Value.Check(OfferResponse, answer.body), 'the answer matches the schema')
      emitted.push(answer.body.offer)
    }
  }
  // The variety the contract allows: labels or none, a discount of each kind or none, a countdown or none, an image.
  const offers = emitted as Offer[]
  t.ok(offers.some((o) => o.variantLabels !== undefined) && offers.some((o) => o.variantLabels === undefined))
  t.ok(offers.some((o) => o.discount === null) && offers.some((o) => o.discount?.type === 'fixed_amount'))
  t.ok(offers.some((o) => o.expiresAt === null) && offers.some((o) => o.expiresAt !== null))
  t.ok(offers.some((o) => o.content.image !== null))
  for (const offer of offers) t.same(parseOffer(offer), offer, `${offer.ruleId} (${offer.content.headline})`)
})

/** Every path to a value in `v`, objects and arrays included. */
function paths(v: unknown, prefix: string[] = []): string[][] {
  if (typeof v !== 'object' || v === null) return [prefix]
  const inner = Object.entries(v).flatMap(([k, child]) => paths(child, [...prefix, k]))
  return prefix.length === 0 ? inner : [prefix, ...inner]
}

/** A copy of `v` with the value at `path` replaced (or deleted, for `undefined`). */
function mutate(v: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(v) as Record<string, unknown>
  let parent: Record<string, unknown> = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>
  const last = path[path.length - 1] as string
  if (value === undefined) delete parent[last]
  else parent[last] = value
  return copy
}

/**
 * Where the parser is knowingly kinder than the schema: a missing image, imageAlt, discount or countdown reads as
 * none, and a label that is not a string is dropped (the picker falls back to "Option n").
 */
const LENIENT = new Set(['content.image', 'content.imageAlt', 'discount', 'expiresAt'])
const lenient = (path: string[], value: unknown) =>
  (LENIENT.has(path.join('.')) && value === undefined) || (path[0] === 'variantLabels' && path.length === 2)

t.test('whatever the schema rejects, the parser rejects too', async (t) => {
  const base = sampleOffer({ variantLabels: { '808950810': 'Grey' }, expiresAt: new Date().toISOString() })
  t.ok(Value.Check(Offer, base), 'the fake offer matches the schema')
  t.same(parseOffer(base), base)
  const replacements: unknown[] = [undefined, null, 'text', 7, 1.5, -1, true, [], {}]
  let rejectedBySchema = 0
  for (const path of paths(base)) {
    for (const value of replacements) {
      const bad = mutate(base, path, value)
      if (Value.Check(Offer, bad) || lenient(path, value)) continue
      rejectedBySchema++
      t.equal(parseOffer(bad), null, `${path.join('.')} = ${JSON.stringify(value)}`)
    }
  }
  t.ok(rejectedBySchema > 100, `${rejectedBySchema} malformed offers tried`)
  for (const notAnOffer of [null, undefined, 'offer', 42, [], { id: 7, headline: 'not an offer' }])
    t.equal(parseOffer(notAnOffer), null, JSON.stringify(notAnOffer))
})

t.test('the parser also refuses offers the schema allows but no service would send', async (t) => {
  const base = sampleOffer()
  const inconsistent: [string, unknown][] = [
    ['default above max', { ...base, quantity: { default: 4, min: 1, max: 3 } }],
    ['min above max', { ...base, quantity: { default: 2, min: 3, max: 2 } }],
    ['min of zero', { ...base, quantity: { default: 0, min: 0, max: 2 } }],
    ['variantId outside variants', { ...base, variantId: 1 }],
    ['an empty id', { ...base, id: '' }],
    ['an expiresAt that is not a time', { ...base, expiresAt: 'soon' }],
    ['a change of quantity 0', { ...base, changes: [{ type: 'add_variant', variantId: 808950810, quantity: 0 }] }]
  ]
  for (const [name, offer] of inconsistent) {
    t.ok(Value.Check(Offer, offer), `${name}: the schema allows it`)
    t.equal(parseOffer(offer), null, `${name}: the parser refuses it`)
  }
})
