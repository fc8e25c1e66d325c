// POST /api/offer through inject(): decisions, reuse of an open offer, chains, holdouts and the Shopify seam.
import t from 'tap'
import {
  buildWorld,
  matchAllRules,
  checkout,
  tokenFor,
  post,
  referenceIdOf,
  HAT,
  BOOTS,
  SOCKS_VARIANT,
  SOCKS_VARIANT_2
} from '../support/server-world.js'
import { defaultShopifyIntegration, type ShopifyIntegration } from '../../server/plugins/shopify-default.js'

t.test('a matching checkout gets the offer, stored before the answer', async (t) => {
  const w = await buildWorld(t)
  const input = checkout()
  const res = await post(w.app, '/api/offer', tokenFor(input))
  t.equal(res.status, 200)
  t.equal(res.body.render, true)
  const offer = res.body.offer
  t.match(offer, {
    ruleId: 'socks',
    arm: null,
    variantId: SOCKS_VARIANT,
    variants: [2001, 2002],
    quantity: { default: 1, min: 1, max: 3 }
  })
  t.same(offer.discount, { type: 'percentage', value: 20, title: '20% off' })
  t.same(offer.changes, [
    {
      type: 'add_variant',
      variantId: SOCKS_VARIANT,
      quantity: 1,
      discount: { value: 20, valueType: 'percentage', title: '20% off' }
    }
  ])
  t.equal(offer.content.headline, 'Warm socks')
  t.ok(Date.parse(offer.expiresAt) > Date.now() + 590_000, 'expiresAt follows expiresInSeconds')
  const ref = referenceIdOf(input)
  const rows = await w.app.storage.decisionsFor(ref)
  t.equal(rows.length, 1)
  t.equal(rows[0]?.id, offer.id)
  t.equal(rows[0]?.shopDomain, 'test-shop.myshopify.com')
  t.equal(rows[0]?.customerId, '207119551')
  t.equal(rows[0]?.rulesetHash, w.app.rules.current().hash)
})

t.test('an empty POST body is the same as {}', async (t) => {
  const w = await buildWorld(t)
  const res = await w.app.inject({
    method: 'POST',
    url: '/api/offer',
    headers: { authorization: `Bearer ${tokenFor(checkout())}` }
  })
  t.equal(res.statusCode, 200)
  t.equal(res.json().render, true)
})

t.test('asking twice for the same checkout returns the same stored offer', async (t) => {
  const w = await buildWorld(t)
  const token = tokenFor(checkout())
  const a = await post(w.app, '/api/offer', token)
  const b = await post(w.app, '/api/offer', token)
  t.equal(a.body.offer.id, b.body.offer.id)
  t.same(a.body, b.body)
})

t.test('no matching rule, a holdout arm and an ineligible checkout render nothing', async (t) => {
  const w = await buildWorld(t)
  t.same((await post(w.app, '/api/offer', tokenFor(checkout({ productIds: [9999] })))).body, { render: false })
  const hatInput = checkout({ productIds: [HAT] })
  t.same((await post(w.app, '/api/offer', tokenFor(hatInput))).body, { render: false })
  const ref = referenceIdOf(hatInput)
  const [row] = await w.app.storage.decisionsFor(ref)
  t.match(
    row,
    { ruleId: 'hat-test', arm: 'holdout', holdout: true, skipped: 'holdout', offer: null },
    'the holdout is recorded'
  )

  // Rules that require payment.eligible (as every sample rule does): a checkout without a shipping address is not.
  const guarded = await buildWorld(t, { rules: matchAllRules(1) })
  const ineligible = checkout({ country: null })
  t.same((await post(guarded.app, '/api/offer', tokenFor(ineligible))).body, { render: false })
  t.match(await guarded.app.storage.decisionsFor(referenceIdOf(ineligible)), [{ ruleId: null, offer: null }])
  t.equal(
    (await post(guarded.app, '/api/offer', tokenFor(checkout()))).body.render,
    true,
    'the same rules offer to an eligible checkout'
  )
})

t.test('content is translated for the buyer locale', async (t) => {
  const w = await buildWorld(t)
  const res = await post(w.app, '/api/offer', tokenFor(checkout({ locale: 'fr' })))
  t.equal(res.body.offer.content.headline, 'Chaussettes chaudes')
})

t.test(
  "variantLabels: the rule's labels of allow-listed variants, translated, also when the stored offer is reused",
  async (t) => {
    const w = await buildWorld(t, {
      rules: [
        {
          id: 'labelled',
          conditions: { all: [{ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [BOOTS] }] },
          offer: {
            variantId: SOCKS_VARIANT,
            variants: [SOCKS_VARIANT, SOCKS_VARIANT_2],
            variantLabels: { [SOCKS_VARIANT]: 'Grey', [SOCKS_VARIANT_2]: 'Charcoal', 9999: 'Navy' },
            translations: { fr: { variantLabels: { [SOCKS_VARIANT_2]: 'Anthracite' } } }
          }
        }
      ]
    })
    const token = tokenFor(checkout())
    const first = await post(w.app, '/api/offer', token)
    t.same(
      first.body.offer.variantLabels,
      { [SOCKS_VARIANT]: 'Grey', [SOCKS_VARIANT_2]: 'Charcoal' },
      'a label outside the allow-list is not sent'
    )
    const again = await post(w.app, '/api/offer', token)
    t.equal(again.body.offer.id, first.body.offer.id)
    t.same(again.body.offer.variantLabels, first.body.offer.variantLabels, 'the stored offer keeps its labels')
    const french = await post(w.app, '/api/offer', tokenFor(checkout({ locale: 'fr-CA' })))
    t.same(french.body.offer.variantLabels, { [SOCKS_VARIANT]: 'Grey', [SOCKS_VARIANT_2]: 'Anthracite' })
  }
)

t.test(
  'a rule without labels answers without variantLabels, as do offers stored before the field existed',
  async (t) => {
    const w = await buildWorld(t)
    const token = tokenFor(checkout())
    const offer = (await post(w.app, '/api/offer', token)).body.offer
    t.equal(offer.ruleId, 'socks')
    t.notOk('variantLabels' in offer, 'omitted, not null')
    t.notOk(
      'variantLabels' in (await post(w.app, '/api/offer', token)).body.offer,
      'likewise when the stored offer is reused'
    )
  }
)

t.test('after an accepted offer only its onAccept rule is a candidate', async (t) => {
  const w = await buildWorld(t)
  const token = tokenFor(checkout())
  const first = (await post(w.app, '/api/offer', token)).body.offer
  const next = await post(w.app, '/api/offer', token, { after: { offerId: first.id, outcome: 'accepted' } })
  t.equal(next.body.offer.ruleId, 'gift-wrap')
  t.same(next.body.offer.changes, [{ type: 'add_variant', variantId: 2100, quantity: 1 }])
  const again = await post(w.app, '/api/offer', token, { after: { offerId: first.id, outcome: 'accepted' } })
  t.equal(again.body.offer.id, next.body.offer.id, 'the same chain step gets the same offer')
  const plain = await post(w.app, '/api/offer', token)
  t.equal(plain.body.offer.id, next.body.offer.id, 'ShouldRender again returns the open chained offer')
})

t.test('after a declined offer only its onDecline rule is a candidate', async (t) => {
  const w = await buildWorld(t)
  const token = tokenFor(checkout())
  const first = (await post(w.app, '/api/offer', token)).body.offer
  const next = await post(w.app, '/api/offer', token, { after: { offerId: first.id, outcome: 'declined' } })
  t.equal(next.body.offer.ruleId, 'single-socks')
  t.same(next.body.offer.discount, { type: 'fixed_amount', value: 5, title: '5 off' })
  const end = await post(w.app, '/api/offer', token, { after: { offerId: next.body.offer.id, outcome: 'declined' } })
  t.same(end.body, { render: false }, 'a rule without next ends the chain')
})

t.test('after names an offer this checkout never got: 404', async (t) => {
  const w = await buildWorld(t)
  const other = (await post(w.app, '/api/offer', tokenFor(checkout()))).body.offer
  const res = await post(w.app, '/api/offer', tokenFor(checkout()), {
    after: { offerId: other.id, outcome: 'accepted' }
  })
  t.equal(res.status, 404)
  t.equal(res.body.error.code, 'OFFER_NOT_FOUND')
})

t.test('an inactive shop gets no offer', async (t) => {
  const shopify: ShopifyIntegration = {
    ...defaultShopifyIntegration,
    isShopActive: () => false,
    catalogFacts: async () => undefined,
    variantInfo: async () => null
  }
  const w = await buildWorld(t, { shopify })
  t.same((await post(w.app, '/api/offer', tokenFor(checkout()))).body, { render: false })
})

t.test('an unavailable variant is skipped and recorded as such', async (t) => {
  const shopify: ShopifyIntegration = {
    ...defaultShopifyIntegration,
    isShopActive: () => true,
    catalogFacts: async () => undefined,
    variantInfo: async () => ({
      available: false,
      productTitle: 'Socks',
      variantTitle: null,
      image: null,
      imageAlt: null,
      price: 10,
      compareAtPrice: null
    })
  }
  const w = await buildWorld(t, { shopify })
  const input = checkout()
  t.same((await post(w.app, '/api/offer', tokenFor(input))).body, { render: false })
  const [row] = await w.app.storage.decisionsFor(referenceIdOf(input))
  t.equal(row?.skipped, 'unavailable')
})

t.test('content the rule leaves out comes from the variant, and a slow Shopify falls back to defaults', async (t) => {
  const shopify: ShopifyIntegration = {
    ...defaultShopifyIntegration,
    isShopActive: () => true,
    catalogFacts: async () => undefined,
    variantInfo: async (_shop, variantId) =>
      variantId === 2100
        ? {
            available: true,
            productTitle: 'Gift wrap',
            variantTitle: null,
            image: 'https://cdn.example/wrap.png',
            imageAlt: 'Wrapped box',
            price: 5,
            compareAtPrice: null
          }
        : new Promise(() => {}) // never answers
  }
  const w = await buildWorld(t, { shopify, config: { shopifyBudgetMs: 50 } })
  const token = tokenFor(checkout())
  const first = (await post(w.app, '/api/offer', token)).body.offer
  t.equal(first.content.headline, 'Warm socks', 'a hung look-up does not block the offer')
  const wrap = (await post(w.app, '/api/offer', token, { after: { offerId: first.id, outcome: 'accepted' } })).body
    .offer
  t.equal(wrap.content.headline, 'gift-wrap headline')
  t.equal(wrap.content.image, 'https://cdn.example/wrap.png')
  t.equal(wrap.content.imageAlt, 'Wrapped box')
})

t.test('catalog facts are asked only when a rule needs them, and feed the decision', async (t) => {
  let asked = 0
  const shopify: ShopifyIntegration = {
    ...defaultShopifyIntegration,
    isShopActive: () => true,
    catalogFacts: async () => {
      asked++
      return { customer: { tags: ['vip'], numberOfOrders: 5 } }
    },
    variantInfo: async () => null
  }
  const plain = await buildWorld(t, { shopify })
  await post(plain.app, '/api/offer', tokenFor(checkout()))
  t.equal(asked, 0, 'no rule uses the catalog')

  const vip = await buildWorld(t, {
    shopify,
    rules: [
      {
        id: 'vip-only',
        conditions: { all: [{ fact: 'customer', path: '$.tags', operator: 'contains', value: 'vip' }] },
        offer: { variantId: 7000 }
      }
    ]
  })
  const res = await post(vip.app, '/api/offer', tokenFor(checkout({ productIds: [BOOTS] })))
  t.equal(asked, 1)
  t.equal(res.body.offer.ruleId, 'vip-only')
})

t.test('an integration that throws never turns into a 500', async (t) => {
  const boom = () => {
    throw new Error('boom')
  }
  const throwing: ShopifyIntegration = {
    ...defaultShopifyIntegration,
    isShopActive: () => true,
    catalogFacts: boom,
    variantInfo: boom
  }
  const w = await buildWorld(t, { shopify: throwing })
  const res = await post(w.app, '/api/offer', tokenFor(checkout()))
  t.equal(res.status, 200)
  t.equal(res.body.offer.content.headline, 'Warm socks', 'the rule content alone')

  const inactive = await buildWorld(t, { shopify: { ...throwing, isShopActive: boom } })
  t.same((await post(inactive.app, '/api/offer', tokenFor(checkout()))).body, { render: false }, 'fails closed')
})
