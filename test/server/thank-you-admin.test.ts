// The Thank-you routes on the whole app with the real Shopify integration against the fake Admin API (orders, order
// edits, draft orders): a wallet order gets its offer, accepting commits one discounted edit, a forged number nothing.
import t from 'tap'
import { testConfig } from '../support/test-config.js'
import { startFakeAdminApi } from '../support/shopify-fake-admin.js'
import { buildWorld, post, API_KEY, SECRET } from '../support/server-world.js'
import { installThroughOAuth } from '../support/shopify-signing.js'
import { paidOrder as fakePaidOrder, BOOTS, SOCKS } from '../support/shopify-orders.js'
import { sessionToken } from '../support/thank-you-orders.js'

const SHOP = 'test-shop.myshopify.com'

const rules = [
  {
    id: 'socks',
    priority: 1,
    conditions: { all: [{ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [632910392] }] },
    offer: {
      variantId: SOCKS,
      quantity: { default: 1, min: 1, max: 3 },
      discount: { type: 'percentage', value: 20, title: '20% off socks' },
      content: { headline: 'Warm socks' }
    }
  }
]

t.test('a wallet order: offer, one committed edit, identical repeats; a forged number edits nothing', async (t) => {
  const fake = await startFakeAdminApi({ apiKey: API_KEY, apiSecret: SECRET })
  t.teardown(() => fake.close())
  const { app } = await buildWorld(t, {
    rules,
    config: { shopifyBudgetMs: 2000, shopify: { ...testConfig().shopify, adminApiOrigin: fake.origin } }
  })
  fake.addProduct({
    id: 632910392,
    title: 'Trail boots',
    variants: [{ id: BOOTS, title: '42 / Brown', price: '119.00' }]
  })
  fake.addProduct({
    id: 632910400,
    title: 'Merino socks',
    variants: [{ id: SOCKS, title: 'Default Title', price: '8.10' }]
  })
  const order = fakePaidOrder({ shop: SHOP })
  fake.addOrder(order)
  await installThroughOAuth(app, fake, SECRET, SHOP)
  const orderId = `gid://shopify/Order/${order.id}`

  const forged = await post(app, '/api/thank-you/offer', sessionToken(), { orderId, confirmationNumber: 'FORGED1' })
  t.same([forged.status, forged.body.error.code], [403, 'ORDER_NOT_YOURS'])

  const res = await post(app, '/api/thank-you/offer', sessionToken(), {
    orderId,
    confirmationNumber: order.confirmationNumber
  })
  t.equal(res.status, 200)
  t.match(res.body.offer, {
    ruleId: 'socks',
    settle: 'order_edit',
    orderName: '#1001',
    prices: { [SOCKS]: { amount: '6.48', originalAmount: '8.10', currencyCode: 'USD' } }
  })
  const accept = { offerId: res.body.offer.id, quantity: 2 }
  const a = await post(app, '/api/thank-you/accept', sessionToken(), accept)
  t.same(a.body, { status: 'added', amountDue: { amount: '12.96', currencyCode: 'USD' }, invoiceSent: true })
  const b = await post(app, '/api/thank-you/accept', sessionToken(), accept)
  t.same(b.body, a.body)
  const edits = fake.committedEdits(orderId)
  t.equal(edits.length, 1, 'one committed edit')
  t.match(edits[0], { lines: [{ variantId: SOCKS, quantity: 2, unitPrice: '8.10', discount: { percent: 20 } }] })
})
