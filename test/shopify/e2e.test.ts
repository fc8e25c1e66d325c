import t from 'tap'
import { testConfig } from '../support/test-config.js'
import { startFakeAdminApi } from '../support/shopify-fake-admin.js'
import {
  BOOTS,
  buildWorld,
  checkout,
  post,
  tokenFor,
  API_KEY,
  SECRET,
  type InputData
} from '../support/server-world.js'
import { installThroughOAuth, webhookRequest } from '../support/shopify-signing.js'

const SHOP = 'test-shop.myshopify.com'
const GAITERS = 808950850
const SOCKS = 2001

const rules = [
  {
    id: 'gaiters-for-hikers',
    priority: 50,
    conditions: {
      all: [
        { fact: 'cart', path: '$.productTags', operator: 'containsAny', value: ['hiking'] },
        { fact: 'customer', path: '$.numberOfOrders', operator: 'greaterThanInclusive', value: 3 }
      ]
    },
    offer: { variantId: GAITERS, content: { body: 'For your new boots' } }
  },
  {
    id: 'socks',
    priority: 1,
    conditions: { all: [{ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [BOOTS] }] },
    offer: { variantId: SOCKS, content: { headline: 'Warm socks' } }
  }
]

t.test('the whole app with the real Shopify plugin', async (t) => {
  const fake = await startFakeAdminApi({ apiKey: API_KEY, apiSecret: SECRET })
  t.teardown(() => fake.close())
  const world = await buildWorld(t, {
    rules,
    // A generous budget: this test is about the catalog facts, not the deadline (catalog.test.ts covers that), and a
    // loaded CI machine can take more than the default 300 ms to answer the fake.
    config: { shopifyBudgetMs: 2000, shopify: { ...testConfig().shopify, adminApiOrigin: fake.origin } }
  })
  const { app } = world
  fake.addProduct({
    id: BOOTS,
    title: 'Trail boots',
    tags: ['hiking'],
    vendor: 'Alpine Co',
    productType: 'Boots',
    variants: [{ id: 10010, title: '42', price: '119.00' }]
  })
  fake.addProduct({
    id: 632910440,
    title: 'Snow gaiters',
    image: { url: 'https://cdn.shopify.com/s/files/gaiters.png', altText: 'Blue gaiters' },
    variants: [{ id: GAITERS, title: 'Default Title', price: '30.00', compareAtPrice: '40.00' }]
  })
  fake.addCustomer({ id: 207119551, tags: [], numberOfOrders: 4 })

  const offerFor = (input: InputData) => post(app, '/api/offer', tokenFor(input))

  t.test('before install, no catalog: the rule files alone decide', async (t) => {
    const res = await offerFor(checkout({ shop: SHOP }))
    t.equal(res.status, 200)
    t.equal(res.body.offer?.ruleId, 'socks')
    t.equal(fake.graphqlRequests().length, 0)
  })

  t.test('after install, catalog facts make the hikers rule win and the variant fills the content', async (t) => {
    const { callback } = await installThroughOAuth(app, fake, SECRET, SHOP)
    t.equal(callback.statusCode, 302)
    const res = await offerFor(checkout({ shop: SHOP }))
    t.equal(res.status, 200)
    t.equal(res.body.render, true)
    t.equal(res.body.offer.ruleId, 'gaiters-for-hikers')
    t.equal(res.body.offer.content.headline, 'Snow gaiters')
    t.equal(res.body.offer.content.image, 'https://cdn.shopify.com/s/files/gaiters.png')
    t.equal(res.body.offer.content.imageAlt, 'Blue gaiters')
  })

  t.test('an Admin API outage, slowness or throttling never fails a checkout nor holds it', async (t) => {
    for (const mode of ['slow', 'down', 'reset', 'throttled', 'http429', 'graphql-error'] as const) {
      const shop = `${mode}-shop.myshopify.com`
      fake.mode = 'ok'
      await installThroughOAuth(app, fake, SECRET, shop)
      fake.mode = mode
      fake.delayMs = 10_000
      const before = fake.graphqlRequests().length
      const start = Date.now()
      const res = await offerFor(checkout({ shop }))
      t.equal(res.status, 200, mode)
      t.equal(res.body.offer?.ruleId, 'socks', `${mode}: decided from the rule files`)
      t.ok(fake.graphqlRequests().length > before, `${mode}: the Admin API was really asked`)
      t.ok(Date.now() - start < 5_000, `${mode}: answered without waiting for the Admin API`)
    }
    fake.mode = 'ok'
  })

  t.test('a slow Admin API for an installed shop: the checkout is answered from the rule files', async (t) => {
    const other = 'slow-shop.myshopify.com'
    await installThroughOAuth(app, fake, SECRET, other)
    fake.mode = 'slow'
    fake.delayMs = 10_000
    t.teardown(() => {
      fake.mode = 'ok'
    })
    const start = Date.now()
    const res = await offerFor(checkout({ shop: other }))
    t.equal(res.status, 200)
    t.equal(res.body.offer?.ruleId, 'socks')
    t.ok(Date.now() - start < 5_000)
  })

  t.test('webhooks through the whole app: wrong HMAC 401, customers/redact removes the checkout rows', async (t) => {
    const input = checkout({ shop: SHOP, referenceId: 'r-redact-me' })
    await offerFor(input)
    t.ok((await app.storage.decisionsFor('r-redact-me')).length > 0)
    const payload = { shop_id: 1, shop_domain: SHOP, customer: { id: 207119551 }, orders_to_redact: [] }
    const forged = await app.inject(
      webhookRequest('a-secret-that-is-not-ours-0123456789', 'customers/redact', SHOP, payload)
    )
    t.equal(forged.statusCode, 401)
    t.ok((await app.storage.decisionsFor('r-redact-me')).length > 0)
    const ok = await app.inject(webhookRequest(SECRET, 'customers/redact', SHOP, payload))
    t.equal(ok.statusCode, 200)
    t.equal((await app.storage.decisionsFor('r-redact-me')).length, 0)
  })

  t.test('the raw-body parsers stay inside the webhook routes', async (t) => {
    const hook = webhookRequest(SECRET, 'customers/redact', SHOP, { shop_domain: SHOP, customer: { id: 1 } })
    hook.headers = { ...hook.headers, 'content-type': 'text/plain' }
    t.equal((await app.inject(hook)).statusCode, 200, 'a webhook is verified whatever its content type')
    const offer = await app.inject({
      method: 'POST',
      url: '/api/offer',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${tokenFor(checkout({ shop: SHOP }))}` },
      payload: '{}'
    })
    t.equal(offer.statusCode, 415, 'checkout routes still refuse text/plain')
  })

  t.test("after app/uninstalled the shop's checkouts get no offers", async (t) => {
    const res = await app.inject(webhookRequest(SECRET, 'app/uninstalled', SHOP, { id: 1, myshopify_domain: SHOP }))
    t.equal(res.statusCode, 200)
    const offer = await offerFor(checkout({ shop: SHOP }))
    t.equal(offer.status, 200)
    t.same(offer.body, { render: false })
  })

  t.test('shop/redact removes every decision of the shop', async (t) => {
    const input = checkout({ shop: 'slow-shop.myshopify.com', referenceId: 'r-shop-redact' })
    await offerFor(input)
    t.ok((await app.storage.decisionsFor('r-shop-redact')).length > 0)
    const res = await app.inject(
      webhookRequest(SECRET, 'shop/redact', 'slow-shop.myshopify.com', {
        shop_id: 2,
        shop_domain: 'slow-shop.myshopify.com'
      })
    )
    t.equal(res.statusCode, 200)
    t.equal((await app.storage.decisionsFor('r-shop-redact')).length, 0)
  })
})
