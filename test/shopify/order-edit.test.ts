import t from 'tap'
import type { LineToAdd } from '../../server/plugins/shopify-default.js'
import { editMark } from '../../server/shopify/order-edit.js'
import { orderWorld, paidOrder, ORDER_GID, SHOP, SOCKS, BOOTS } from '../support/shopify-orders.js'
import { join } from 'node:path'
import Fastify from 'fastify'
import type { Test } from 'tap'
import { eq } from 'drizzle-orm'
import database from '../../server/plugins/database.js'
import shopifyPlugin from '../../server/shopify/plugin.js'
import { shopifySessions } from '../../server/shopify/schema.js'
import { testConfig } from '../support/test-config.js'
import { SHOPIFY_TEST_KEY, SHOPIFY_TEST_SECRET, type ShopifyWorld } from '../support/shopify-app.js'

const soon = () => Date.now() + 3000

/** A second app on the same SQLite file and fake: the same token, none of the first one's memory (a restart). */
async function secondApp(t: Test, world: ShopifyWorld) {
  const second = Fastify()
  t.teardown(() => second.close())
  await second.register(database, { databasePath: join(world.dir, 'encore.db'), retentionDays: 90 })
  await second.register(shopifyPlugin, {
    config: testConfig({ apiKey: SHOPIFY_TEST_KEY, apiSecret: SHOPIFY_TEST_SECRET }),
    shopify: { adminApiOrigin: world.fake.origin, appUrl: new URL('https://encore.example.com') }
  })
  await second.ready()
  return second
}

function line(overrides: Partial<LineToAdd> = {}): LineToAdd {
  return {
    orderId: ORDER_GID,
    variantId: SOCKS,
    quantity: 2,
    discount: { type: 'percentage', value: 20, title: '20% off socks' },
    idempotencyKey: 'offer-1:accept',
    customerId: 207119551,
    ...overrides
  }
}

t.test('accepting adds one committed edit with the discounted line, and invoices the balance', async (t) => {
  const world = await orderWorld(t)
  const res = await world.app.shopify.addToOrder(SHOP, line(), soon())
  // 2 × 8.10 = 16.20, less 20 % = 12.96 outstanding (the boots were paid).
  t.same(res, { ok: true, amountDue: { amount: '12.96', currencyCode: 'USD' }, invoiceSent: true })
  const edits = world.fake.committedEdits(ORDER_GID)
  t.equal(edits.length, 1)
  t.match(edits[0], {
    notifyCustomer: false,
    staffNote: new RegExp(editMark('offer-1:accept')),
    lines: [{ variantId: SOCKS, quantity: 2, unitPrice: '8.10', discount: { percent: 20 } }],
    totalOutstanding: '12.96'
  })
  t.match(edits[0]?.lines[0]?.discount?.description, /^20% off socks \(encore:[0-9a-f]{12}\)$/)
  t.equal(world.fake.invoicesSent(ORDER_GID), 1)
  t.same(
    world.fake.graphqlRequests().map((r) => r.operationName),
    [
      'EncoreOrder',
      'EncoreOrderEditBegin',
      'EncoreOrderEditAddVariant',
      'EncoreOrderEditAddDiscount',
      'EncoreOrderEditCommit',
      'EncoreOrderInvoiceSend'
    ]
  )
  const added = world.fake.graphqlRequests()[2]
  t.match(added?.variables, { variantId: `gid://shopify/ProductVariant/${SOCKS}`, quantity: 2, allowDuplicates: true })
  // The order now shows the line: a look-up sees it.
  const after = await world.app.shopify.lookUpOrder(SHOP, ORDER_GID, soon())
  t.ok(after.ok && after.order.lineItems.some((l) => l.variantId === SOCKS && l.total === '12.96'))
})

t.test('a fixed-amount discount is per unit, in the order currency', async (t) => {
  const world = await orderWorld(t)
  const res = await world.app.shopify.addToOrder(
    SHOP,
    line({ discount: { type: 'fixed_amount', value: 1.5, title: '1.50 off' }, idempotencyKey: 'k-fixed' }),
    soon()
  )
  // 2 × (8.10 − 1.50) = 13.20
  t.same(res, { ok: true, amountDue: { amount: '13.20', currencyCode: 'USD' }, invoiceSent: true })
  t.match(world.fake.graphqlRequests()[3]?.variables, {
    discount: { fixedValue: { amount: '1.50', currencyCode: 'USD' } }
  })
})

t.test('no discount: the line at full price, no discount mutation', async (t) => {
  const world = await orderWorld(t)
  const res = await world.app.shopify.addToOrder(SHOP, line({ discount: null, idempotencyKey: 'k-plain' }), soon())
  t.same(res, { ok: true, amountDue: { amount: '16.20', currencyCode: 'USD' }, invoiceSent: true })
  t.notOk(world.fake.graphqlRequests().some((r) => r.operationName === 'EncoreOrderEditAddDiscount'))
})

t.test('the same key again: the same answer, no second edit, no second invoice', async (t) => {
  const world = await orderWorld(t)
  const first = await world.app.shopify.addToOrder(SHOP, line(), soon())
  const calls = world.fake.graphqlRequests().length
  const again = await world.app.shopify.addToOrder(SHOP, line(), soon())
  t.same(again, first)
  t.equal(world.fake.graphqlRequests().length, calls, 'answered from memory, no call')
  t.equal(world.fake.committedEdits(ORDER_GID).length, 1)
  t.equal(world.fake.invoicesSent(ORDER_GID), 1)
  // A different key is a different acceptance: a second line.
  const other = await world.app.shopify.addToOrder(
    SHOP,
    line({ idempotencyKey: 'offer-2:accept', quantity: 1 }),
    soon()
  )
  t.ok(other.ok)
  t.equal(world.fake.committedEdits(ORDER_GID).length, 2)
})

t.test('a double tap (the same key twice at once) makes one edit', async (t) => {
  const world = await orderWorld(t)
  const [a, b] = await Promise.all([
    world.app.shopify.addToOrder(SHOP, line(), soon()),
    world.app.shopify.addToOrder(SHOP, line(), soon())
  ])
  t.same(a, b)
  t.equal(world.fake.committedEdits(ORDER_GID).length, 1)
})

t.test('the first call times out after Shopify committed: the retry finds the mark and edits nothing', async (t) => {
  const world = await orderWorld(t, { admin: { outageBackoffMs: 1 } })
  world.fake.slowFields.set('orderEditCommit', 10_000)
  const first = await world.app.shopify.addToOrder(SHOP, line(), Date.now() + 800)
  t.match(first, { ok: false, reason: 'timeout' })
  t.equal(world.fake.committedEdits(ORDER_GID).length, 1, 'Shopify did commit')
  world.fake.slowFields.clear()
  await new Promise((r) => setTimeout(r, 5))
  const retry = await world.app.shopify.addToOrder(SHOP, line(), soon())
  t.same(retry, { ok: true, amountDue: { amount: '12.96', currencyCode: 'USD' }, invoiceSent: true })
  t.equal(world.fake.committedEdits(ORDER_GID).length, 1, 'no second edit')
  t.notOk(
    world.fake.graphqlRequests().filter((r) => r.operationName === 'EncoreOrderEditBegin').length > 1,
    'no second edit begun'
  )
})

t.test('the same after a restart (a fresh process with no memory): the mark on the order suffices', async (t) => {
  const world = await orderWorld(t, { admin: { outageBackoffMs: 1 } })
  world.fake.slowFields.set('orderEditCommit', 10_000)
  await world.app.shopify.addToOrder(SHOP, line({ idempotencyKey: 'restart-key' }), Date.now() + 800)
  world.fake.slowFields.clear()
  const second = await secondApp(t, world)
  const retry = await second.shopify.addToOrder(SHOP, line({ idempotencyKey: 'restart-key' }), soon())
  t.match(retry, { ok: true, amountDue: { amount: '12.96' } })
  t.equal(world.fake.committedEdits(ORDER_GID).length, 1)
})

t.test('an order Shopify will not edit: not_editable, nothing begun', async (t) => {
  const world = await orderWorld(t)
  world.fake.updateOrder(450789469, { cancelledAt: new Date().toISOString() })
  const res = await world.app.shopify.addToOrder(SHOP, line(), soon())
  t.same(res, { ok: false, reason: 'not_editable', message: "Canceled orders can't be edited" })
  world.fake.addOrder(paidOrder({ id: 8001, closed: true }))
  t.match(await world.app.shopify.addToOrder(SHOP, line({ orderId: 'gid://shopify/Order/8001' }), soon()), {
    ok: false,
    reason: 'not_editable'
  })
  t.notOk(world.fake.graphqlRequests().some((r) => r.operationName === 'EncoreOrderEditBegin'))
  t.equal(world.fake.committedEdits(ORDER_GID).length, 0)
})

t.test("Shopify's user errors come back as rejected, with its message, and nothing is committed", async (t) => {
  const world = await orderWorld(t)
  t.same(await world.app.shopify.addToOrder(SHOP, line({ variantId: 123, idempotencyKey: 'a' }), soon()), {
    ok: false,
    reason: 'rejected',
    message: 'Variant does not exist.'
  })
  t.same(await world.app.shopify.addToOrder(SHOP, line({ variantId: 808950811, idempotencyKey: 'b' }), soon()), {
    ok: false,
    reason: 'rejected',
    message: 'Variant is not available for sale.'
  })
  t.same(
    await world.app.shopify.addToOrder(
      SHOP,
      line({ discount: { type: 'percentage', value: 150, title: 'too much' }, idempotencyKey: 'c' }),
      soon()
    ),
    { ok: false, reason: 'rejected', message: 'Percent value must be between 0 and 100.' }
  )
  t.same(
    await world.app.shopify.addToOrder(
      SHOP,
      line({ discount: { type: 'fixed_amount', value: 50, title: 'more than the price' }, idempotencyKey: 'd' }),
      soon()
    ),
    { ok: false, reason: 'rejected', message: 'Discount cannot exceed the price of the line item.' }
  )
  t.equal(world.fake.committedEdits(ORDER_GID).length, 0)
})

t.test('the offered variant already on the order is added as its own discounted line', async (t) => {
  const world = await orderWorld(t)
  const res = await world.app.shopify.addToOrder(SHOP, line({ variantId: BOOTS, quantity: 1 }), soon())
  // 119.00 less 20 % = 95.20
  t.same(res, { ok: true, amountDue: { amount: '95.20', currencyCode: 'USD' }, invoiceSent: true })
})

t.test('an unknown order is not_found; bad input is rejected without a call', async (t) => {
  const world = await orderWorld(t)
  t.match(await world.app.shopify.addToOrder(SHOP, line({ orderId: 'gid://shopify/Order/1' }), soon()), {
    ok: false,
    reason: 'not_found'
  })
  const calls = world.fake.graphqlRequests().length
  t.match(await world.app.shopify.addToOrder(SHOP, line({ quantity: 0 }), soon()), { ok: false, reason: 'rejected' })
  t.match(await world.app.shopify.addToOrder(SHOP, line({ idempotencyKey: '' }), soon()), {
    ok: false,
    reason: 'rejected'
  })
  t.equal(world.fake.graphqlRequests().length, calls)
})

t.test('scopes: without write_order_edits scope_missing and no call; without write_orders no invoice', async (t) => {
  const noEdits = await orderWorld(t, { grantScope: 'read_products,read_customers,read_orders' })
  t.match(await noEdits.app.shopify.addToOrder(SHOP, line(), soon()), { ok: false, reason: 'scope_missing' })
  t.equal(noEdits.fake.graphqlRequests().length, 0)

  const noInvoice = await orderWorld(t, { grantScope: 'read_products,read_customers,read_orders,write_order_edits' })
  t.same(await noInvoice.app.shopify.addToOrder(SHOP, line(), soon()), {
    ok: true,
    amountDue: { amount: '12.96', currencyCode: 'USD' },
    invoiceSent: false
  })
  t.equal(noInvoice.fake.invoicesSent(ORDER_GID), 0)
})

t.test('a token Shopify says lacks the scope (ACCESS_DENIED) is scope_missing', async (t) => {
  const world = await orderWorld(t)
  // The session says the scope was granted; Shopify's answer says otherwise (revoked since).
  world.fake.revokeTokens(SHOP)
  const token = world.fake.issueToken(SHOP, 'read_products,read_customers,read_orders')
  world.app.database.db.update(shopifySessions).set({ accessToken: token }).where(eq(shopifySessions.shop, SHOP)).run()
  t.match(await world.app.shopify.addToOrder(SHOP, line(), soon()), { ok: false, reason: 'scope_missing' })
})

t.test('throttled: answered as such, nothing committed', async (t) => {
  const world = await orderWorld(t)
  world.fake.mode = 'throttled'
  t.match(await world.app.shopify.addToOrder(SHOP, line(), soon()), { ok: false, reason: 'throttled' })
  t.equal(world.fake.committedEdits(ORDER_GID).length, 0)
})

t.test('the fallback: a draft-order checkout link with the discount, one per key', async (t) => {
  const world = await orderWorld(t)
  const res = await world.app.shopify.singleUseCheckout(SHOP, line(), soon())
  t.ok(res.ok, JSON.stringify(res))
  if (!res.ok) return
  t.match(res.url, /^https:\/\/demo-snow\.myshopify\.com\/\d+\/invoices\/[0-9a-f]+$/)
  const [draft] = world.fake.store.orders.draftOrders
  t.match(draft, {
    customerId: 207119551,
    total: '12.96',
    lines: [{ variantId: SOCKS, quantity: 2, discount: { valueType: 'PERCENTAGE', value: 20, title: '20% off socks' } }]
  })
  t.same(await world.app.shopify.singleUseCheckout(SHOP, line(), soon()), res, 'the same key: the same link')
  t.equal(world.fake.store.orders.draftOrders.length, 1)
  // Another process (no memory) finds the draft by its tag.
  const second = await secondApp(t, world)
  t.same(await second.shopify.singleUseCheckout(SHOP, line(), soon()), res)
  t.equal(world.fake.store.orders.draftOrders.length, 1)
  t.match(await world.app.shopify.singleUseCheckout(SHOP, line({ variantId: 123, idempotencyKey: 'x' }), soon()), {
    ok: false,
    reason: 'rejected'
  })
})

t.test('the fallback without write_draft_orders: scope_missing, no call', async (t) => {
  const world = await orderWorld(t, { grantScope: 'read_products,read_customers,write_orders,write_order_edits' })
  t.match(await world.app.shopify.singleUseCheckout(SHOP, line(), soon()), { ok: false, reason: 'scope_missing' })
  t.equal(world.fake.graphqlRequests().length, 0)
})
