import t from 'tap'
import { eq } from 'drizzle-orm'
import { acceptances, checkoutFacts, checkouts, decisions, events } from '../../server/db/schema.js'
import {
  shopifyDataRequests,
  shopifySessions,
  shopifyShops,
  shopifyWebhookDeliveries
} from '../../server/shopify/schema.js'
import { shopifyWorld, SHOPIFY_TEST_SECRET } from '../support/shopify-app.js'
import { installThroughOAuth, webhookRequest } from '../support/shopify-signing.js'
import type { Db } from '../../server/db/open-database.js'
import { seedCheckout } from '../support/seed-storage.js'

const SHOP = 'demo-snow.myshopify.com'
const OTHER = 'other-shop.myshopify.com'

function count(
  db: Db,
  table: typeof checkouts | typeof decisions | typeof acceptances | typeof events,
  shop: string
): number {
  return db.select().from(table).where(eq(table.shopDomain, shop)).all().length
}

t.test('webhooks', async (t) => {
  const world = await shopifyWorld()
  t.teardown(() => world.close())
  const { app } = world
  const { db } = app.database
  await installThroughOAuth(app, world.fake, SHOPIFY_TEST_SECRET, SHOP)
  await seedCheckout(app.storage, { shop: SHOP, customerId: '207119551', referenceId: 'r-1', accept: true })
  await seedCheckout(app.storage, { shop: SHOP, customerId: '207119551', referenceId: 'r-2', accept: true })
  await seedCheckout(app.storage, { shop: SHOP, customerId: '555', referenceId: 'r-3', accept: true })
  await seedCheckout(app.storage, { shop: OTHER, customerId: '207119551', referenceId: 'r-4', accept: true })

  t.test('a webhook without HMAC, or with a wrong one, gets 401 and changes nothing', async (t) => {
    const payload = { shop_id: 1, shop_domain: SHOP }
    for (const hmac of [null, 'AAAA', Buffer.from('x'.repeat(32)).toString('base64')]) {
      const res = await app.inject(webhookRequest(SHOPIFY_TEST_SECRET, 'shop/redact', SHOP, payload, { hmac }))
      t.equal(res.statusCode, 401, String(hmac))
      t.equal(res.json().error.code, 'SHOPIFY_WEBHOOK_HMAC')
    }
    const signedByOther = await app.inject(
      webhookRequest('some-other-apps-secret-0123456789', 'shop/redact', SHOP, payload)
    )
    t.equal(signedByOther.statusCode, 401)
    t.equal(count(db, decisions, SHOP), 3)
    t.equal(db.select().from(shopifyWebhookDeliveries).all().length, 0)
  })

  t.test('a body changed after signing gets 401', async (t) => {
    const req = webhookRequest(SHOPIFY_TEST_SECRET, 'customers/redact', SHOP, {
      shop_domain: SHOP,
      customer: { id: 555 }
    })
    req.payload = JSON.stringify({ shop_domain: SHOP, customer: { id: 207119551 } })
    const res = await app.inject(req)
    t.equal(res.statusCode, 401)
    t.equal(count(db, decisions, SHOP), 3)
  })

  t.test('the HMAC is checked on the exact bytes, whatever the content type and with non-ASCII text', async (t) => {
    const req = webhookRequest(SHOPIFY_TEST_SECRET, 'customers/redact', SHOP, {
      shop_domain: SHOP,
      customer: { id: 42, email: 'zoë@exämple.com' },
      orders_to_redact: []
    })
    req.headers = { ...req.headers, 'content-type': 'text/plain' }
    const res = await app.inject(req)
    t.equal(res.statusCode, 200, res.body)
  })

  t.test('a topic header that does not match the URL is refused with 400', async (t) => {
    const res = await app.inject(
      webhookRequest(
        SHOPIFY_TEST_SECRET,
        'shop/redact',
        SHOP,
        { shop_domain: SHOP },
        { url: '/webhooks/customers/redact' }
      )
    )
    t.equal(res.statusCode, 400)
    t.equal(res.json().error.code, 'SHOPIFY_WEBHOOK_INVALID')
  })

  t.test('a body naming another shop than the header is refused with 400', async (t) => {
    const res = await app.inject(webhookRequest(SHOPIFY_TEST_SECRET, 'shop/redact', SHOP, { shop_domain: OTHER }))
    t.equal(res.statusCode, 400)
    t.equal(count(db, decisions, OTHER), 1)
  })

  t.test("customers/data_request stores and logs a report of that customer's rows", async (t) => {
    const res = await app.inject(
      webhookRequest(SHOPIFY_TEST_SECRET, 'customers/data_request', SHOP, {
        shop_id: 1,
        shop_domain: SHOP,
        orders_requested: [299938],
        customer: { id: 207119551, email: 'a@example.com', phone: null },
        data_request: { id: 9999 }
      })
    )
    t.equal(res.statusCode, 200)
    t.same(res.json(), { status: 'processed' })
    const rows = db.select().from(shopifyDataRequests).all()
    t.equal(rows.length, 1)
    const report = JSON.parse(rows[0]!.report)
    t.equal(report.customerId, '207119551')
    t.equal(report.requestId, '9999')
    t.same(report.counts, { decisions: 2, acceptances: 2, events: 2 })
    t.same(report.checkouts.map((c: { referenceId: string }) => c.referenceId).sort(), ['r-1', 'r-2'])
    t.ok(report.categories.length > 0)
    const line = world.logs.find((l) => l.topic === 'CUSTOMERS_DATA_REQUEST')
    t.equal(
      (line?.report as { customerId?: string } | undefined)?.customerId,
      '207119551',
      'the report is in the log for the merchant'
    )
  })

  t.test("customers/redact removes that customer's rows in that shop only", async (t) => {
    const res = await app.inject(
      webhookRequest(SHOPIFY_TEST_SECRET, 'customers/redact', SHOP, {
        shop_id: 1,
        shop_domain: SHOP,
        customer: { id: 207119551, email: 'a@example.com', phone: null },
        orders_to_redact: [299938]
      })
    )
    t.equal(res.statusCode, 200)
    for (const table of [checkouts, decisions, acceptances, events]) {
      const left = db.select().from(table).where(eq(table.shopDomain, SHOP)).all()
      t.same(
        left.map((r) => r.customerId),
        ['555']
      )
    }
    t.equal(count(db, decisions, OTHER), 1, 'the same customer id in another shop is another customer')
    t.same(
      db
        .select()
        .from(checkoutFacts)
        .all()
        .map((r) => r.referenceId)
        .sort(),
      ['r-3', 'r-4'],
      "the customer's checkout facts are gone, others stay"
    )
    t.equal(
      db.select().from(shopifyDataRequests).where(eq(shopifyDataRequests.customerId, '207119551')).all().length,
      0
    )
  })

  t.test('a repeated delivery (same X-Shopify-Webhook-Id) is processed once', async (t) => {
    const req = webhookRequest(
      SHOPIFY_TEST_SECRET,
      'customers/data_request',
      SHOP,
      {
        shop_domain: SHOP,
        customer: { id: 555 },
        data_request: { id: 1 }
      },
      { webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' }
    )
    const first = await app.inject(req)
    const second = await app.inject(req)
    t.same(first.json(), { status: 'processed' })
    t.same(second.json(), { status: 'duplicate' })
    t.equal(db.select().from(shopifyDataRequests).where(eq(shopifyDataRequests.customerId, '555')).all().length, 1)
  })

  t.test('app/scopes_update records the scopes now granted', async (t) => {
    const res = await app.inject(
      webhookRequest(SHOPIFY_TEST_SECRET, 'app/scopes_update', SHOP, {
        id: 1,
        previous: ['read_products', 'read_customers'],
        current: ['read_products'],
        updated_at: new Date().toISOString()
      })
    )
    t.equal(res.statusCode, 200)
    t.equal(db.select().from(shopifySessions).where(eq(shopifySessions.shop, SHOP)).get()?.scope, 'read_products')
    t.equal(db.select().from(shopifyShops).where(eq(shopifyShops.domain, SHOP)).get()?.scopes, 'read_products')
  })

  t.test('app/uninstalled removes the sessions and deactivates the shop', async (t) => {
    t.equal(app.shopify.isShopActive(SHOP), true)
    const res = await app.inject(
      webhookRequest(SHOPIFY_TEST_SECRET, 'app/uninstalled', SHOP, {
        id: 1,
        name: 'Demo',
        myshopify_domain: SHOP,
        domain: 'demo.example'
      })
    )
    t.equal(res.statusCode, 200)
    t.equal(db.select().from(shopifySessions).where(eq(shopifySessions.shop, SHOP)).all().length, 0)
    t.equal(app.shopify.isShopActive(SHOP), false)
    t.not(db.select().from(shopifyShops).where(eq(shopifyShops.domain, SHOP)).get()?.uninstalledAt, null)
    t.equal(
      await app.shopify.catalogFacts(SHOP, {}, { productCatalog: true, customerCatalog: true }, Date.now() + 500),
      undefined
    )
  })

  t.test('shop/redact removes every row of the shop and keeps it inactive', async (t) => {
    const res = await app.inject(
      webhookRequest(
        SHOPIFY_TEST_SECRET,
        'shop/redact',
        SHOP,
        { shop_id: 1, shop_domain: SHOP },
        { webhookId: 'redact-1' }
      )
    )
    t.equal(res.statusCode, 200)
    for (const table of [checkouts, decisions, acceptances, events]) t.equal(count(db, table, SHOP), 0)
    t.same(
      db
        .select()
        .from(checkoutFacts)
        .all()
        .map((r) => r.referenceId),
      ['r-4'],
      "only the other shop's checkout facts stay"
    )
    t.equal(db.select().from(shopifyDataRequests).where(eq(shopifyDataRequests.shop, SHOP)).all().length, 0)
    t.same(
      db
        .select()
        .from(shopifyWebhookDeliveries)
        .where(eq(shopifyWebhookDeliveries.shop, SHOP))
        .all()
        .map((r) => r.webhookId),
      ['redact-1']
    )
    const tomb = db.select().from(shopifyShops).where(eq(shopifyShops.domain, SHOP)).get()
    t.equal(tomb?.scopes, null)
    t.not(tomb?.redactedAt, null)
    t.equal(app.shopify.isShopActive(SHOP), false)
    t.equal(count(db, decisions, OTHER), 1, 'other shops keep their rows')
  })

  t.test('reinstalling after an uninstall makes the shop active again', async (t) => {
    const { callback } = await installThroughOAuth(app, world.fake, SHOPIFY_TEST_SECRET, SHOP)
    t.equal(callback.statusCode, 302)
    t.equal(app.shopify.isShopActive(SHOP), true)
  })

  t.test('a compliance webhook without a customer id is refused with 400 and not recorded', async (t) => {
    const req = webhookRequest(
      SHOPIFY_TEST_SECRET,
      'customers/redact',
      SHOP,
      { shop_domain: SHOP, customer: {} },
      { webhookId: 'no-customer' }
    )
    const res = await app.inject(req)
    t.equal(res.statusCode, 400)
    t.equal(
      db.select().from(shopifyWebhookDeliveries).where(eq(shopifyWebhookDeliveries.webhookId, 'no-customer')).all()
        .length,
      0
    )
  })

  t.test('a shop never seen is active (installed before this database, or no OAuth in development)', async (t) => {
    t.equal(app.shopify.isShopActive('never-seen.myshopify.com'), true)
  })
})

t.test('with SHOPIFY_REQUIRE_INSTALL a shop that never installed gets no offers', async (t) => {
  const world = await shopifyWorld({ shopify: { requireInstall: true } })
  t.teardown(() => world.close())
  t.equal(world.app.shopify.isShopActive('never-seen.myshopify.com'), false)
  await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP)
  t.equal(world.app.shopify.isShopActive(SHOP), true)
})
