import t from 'tap'
import { orderWorld, paidOrder, ORDER_GID, ORDER_ID, SHOP, BOOTS } from '../support/shopify-orders.js'

const soon = () => Date.now() + 2000

t.test('lookUpOrder maps the Admin API order to PaidOrder', async (t) => {
  const world = await orderWorld(t)
  const res = await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, soon())
  t.ok(res.ok, JSON.stringify(res))
  if (!res.ok) return
  t.same(res.order, {
    id: ORDER_GID,
    legacyId: String(ORDER_ID),
    name: '#1001',
    confirmationNumber: 'XPAV284CT',
    createdAt: paidOrderCreatedAt(res.order.createdAt),
    customerId: 207119551,
    cancelled: false,
    editable: true,
    currency: 'USD',
    presentmentCurrency: 'USD',
    subtotal: '119.00',
    total: '119.00',
    shippingCountry: 'US',
    locale: 'en',
    lineItems: [
      {
        productId: 632910392,
        variantId: BOOTS,
        productTitle: 'Trail boots',
        variantTitle: '42 / Brown',
        quantity: 1,
        total: '119.00'
      }
    ],
    aliases: []
  })
  const sent = world.fake.graphqlRequests()
  t.equal(sent.length, 1, 'one request')
  t.equal(sent[0]?.operationName, 'EncoreOrder')
  t.same(sent[0]?.variables, { id: ORDER_GID })
})

/** createdAt is the fake's (a few minutes ago): checked to be an ISO time, then compared as such. */
function paidOrderCreatedAt(value: string): string {
  return Number.isNaN(Date.parse(value)) ? 'not an ISO time' : value
}

t.test('a guest, a multi-currency order, no shipping address', async (t) => {
  const world = await orderWorld(t)
  world.fake.addOrder(
    paidOrder({
      id: 5001,
      customerId: null,
      presentmentCurrency: 'EUR',
      shippingCountry: null,
      locale: 'fr-CA',
      confirmationNumber: null
    })
  )
  const res = await world.app.shopify.lookUpOrder(SHOP, 'gid://shopify/Order/5001', soon())
  t.ok(res.ok)
  if (!res.ok) return
  t.equal(res.order.customerId, null)
  t.equal(res.order.presentmentCurrency, 'EUR')
  t.equal(res.order.currency, 'USD')
  t.equal(res.order.shippingCountry, null)
  t.equal(res.order.locale, 'fr-CA')
  t.equal(res.order.confirmationNumber, null)
})

t.test('not editable: cancelled, archived, or Shopify says so', async (t) => {
  const world = await orderWorld(t)
  world.fake.addOrder(paidOrder({ id: 6001, cancelledAt: new Date().toISOString() }))
  world.fake.addOrder(paidOrder({ id: 6002, closed: true }))
  world.fake.addOrder(paidOrder({ id: 6003, notEditableReasons: ["Orders created by apps can't be edited"] }))
  for (const id of [6001, 6002, 6003]) {
    const res = await world.app.shopify.lookUpOrder(SHOP, `gid://shopify/Order/${id}`, soon())
    t.ok(res.ok && !res.order.editable, `order ${id} is not editable`)
  }
  const cancelled = await world.app.shopify.lookUpOrder(SHOP, 'gid://shopify/Order/6001', soon())
  t.ok(cancelled.ok && cancelled.order.cancelled)
})

t.test('an order of another shop, an unknown id and a malformed id are not_found', async (t) => {
  const world = await orderWorld(t)
  world.fake.addOrder(paidOrder({ id: 7001, shop: 'other-shop.myshopify.com' }))
  t.same(await world.app.shopify.lookUpOrder(SHOP, 'gid://shopify/Order/7001', soon()), {
    ok: false,
    reason: 'not_found'
  })
  t.same(await world.app.shopify.lookUpOrder(SHOP, 'gid://shopify/Order/999', soon()), {
    ok: false,
    reason: 'not_found'
  })
  const before = world.fake.graphqlRequests().length
  t.same(await world.app.shopify.lookUpOrder(SHOP, 'gid://shopify/Product/1', soon()), {
    ok: false,
    reason: 'not_found'
  })
  t.same(await world.app.shopify.lookUpOrder(SHOP, '450789469', soon()), { ok: false, reason: 'not_found' })
  t.equal(world.fake.graphqlRequests().length, before, 'a malformed id is not sent to Shopify')
})

t.test('a shop without a token: no_session, no call', async (t) => {
  const world = await orderWorld(t)
  t.same(await world.app.shopify.lookUpOrder('never-installed.myshopify.com', ORDER_GID, soon()), {
    ok: false,
    reason: 'no_session'
  })
  t.equal(world.fake.graphqlRequests().length, 0)
})

t.test('a shop that granted neither read_orders nor write_orders: scope_missing', async (t) => {
  const world = await orderWorld(t, { grantScope: 'read_products,read_customers' })
  t.same(await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, soon()), { ok: false, reason: 'scope_missing' })
  // ACCESS_DENIED is no outage: the catalog's calls for the shop go on.
  const variant = await world.app.shopify.variantInfo(SHOP, 808950810, soon())
  t.equal(variant?.productTitle, 'Merino socks')
})

t.test('a shop that can read orders but not edit them: the order is found, not editable', async (t) => {
  const world = await orderWorld(t, { grantScope: 'read_products,read_customers,read_orders' })
  const res = await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, soon())
  t.ok(res.ok && res.order.editable === false, JSON.stringify(res))
})

t.test('throttled: answered as such by the deadline, and the shop is paused until the bucket refills', async (t) => {
  const world = await orderWorld(t)
  world.fake.mode = 'throttled'
  t.same(await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, soon()), { ok: false, reason: 'throttled' })
  world.fake.mode = 'ok'
  const paused = await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, soon())
  t.same(paused, { ok: false, reason: 'unavailable' }, 'no call while the bucket refills')
  t.equal(world.fake.graphqlRequests().length, 1)
})

t.test('a slow Admin API: timeout, answered before the deadline', async (t) => {
  const world = await orderWorld(t)
  world.fake.mode = 'slow'
  world.fake.delayMs = 10_000
  const start = Date.now()
  const res = await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, start + 300)
  t.same(res, { ok: false, reason: 'timeout' })
  t.ok(Date.now() - start < 5_000, 'never waits for the slow answer')
})

t.test('an outage (503) is unavailable; a GraphQL error is error', async (t) => {
  const world = await orderWorld(t, { admin: { outageBackoffMs: 1 } })
  world.fake.mode = 'down'
  t.same(await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, soon()), { ok: false, reason: 'unavailable' })
  await new Promise((r) => setTimeout(r, 5))
  world.fake.mode = 'graphql-error'
  t.same(await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, soon()), { ok: false, reason: 'error' })
})
