// GET /admin/data-requests on both databases: the customers/data_request reports, newest first, by shop, and gone
// with their customer or shop.
import t from 'tap'
import { seedCheckout as seed } from '../support/seed-storage.js'
import type { FastifyInstance } from 'fastify'
import { ADMIN_TOKEN, buildWorld, SECRET } from '../support/server-world.js'
import { webhookRequest } from '../support/shopify-signing.js'
import { eachDatabase } from '../support/databases.js'

const SHOP = 'demo-snow.myshopify.com'
const OTHER = 'other-shop.myshopify.com'
const CUSTOMER = 207119551

/** One checkout of the offer service for a customer: a decision and an event, through the offer service's storage. */
const seedCheckout = (app: FastifyInstance, shop: string, customerId: string, referenceId: string) =>
  seed(app.storage, { shop, customerId, referenceId, answer: 'accepted' })

const dataRequest = (shop: string, customerId: number, requestId: number, orders: number[] = []) =>
  webhookRequest(SECRET, 'customers/data_request', shop, {
    shop_id: 1,
    shop_domain: shop,
    orders_requested: orders,
    customer: { id: customerId, email: 'a@example.com', phone: null },
    data_request: { id: requestId }
  })

async function list(app: FastifyInstance, query = '', token: string | null = ADMIN_TOKEN) {
  const res = await app.inject({
    method: 'GET',
    url: `/admin/data-requests${query}`,
    headers: token === null ? {} : { authorization: `Bearer ${token}` }
  })
  return { status: res.statusCode, body: res.json() }
}

eachDatabase(
  t,
  'GET /admin/data-requests lists the data-request reports received, behind the admin token',
  async (t, db) => {
    const world = await buildWorld(t, { config: db.config })
    const { app } = world
    await seedCheckout(app, SHOP, String(CUSTOMER), 'r-1')
    await seedCheckout(app, SHOP, '555', 'r-2')
    await seedCheckout(app, OTHER, String(CUSTOMER), 'r-3')

    t.test('a signed data request is listed with its shop, customer, orders, time and report', async (t) => {
      const before = Date.now()
      const res = await app.inject(dataRequest(SHOP, CUSTOMER, 9999, [299938, 280263]))
      t.same(res.json(), { status: 'processed' })
      const { status, body } = await list(app)
      t.equal(status, 200)
      t.equal(body.dataRequests.length, 1)
      const item = body.dataRequests[0]
      t.equal(item.shop, SHOP)
      t.equal(item.customerId, String(CUSTOMER))
      t.equal(item.requestId, '9999')
      t.same(item.ordersRequested, [299938, 280263])
      t.ok(
        Date.parse(item.receivedAt) >= before - 1000 &&
          item.receivedAt === new Date(Date.parse(item.receivedAt)).toISOString(),
        'receivedAt is an ISO time'
      )
      t.equal(typeof item.webhookId, 'string')
      t.same(item.report.counts, { decisions: 1, acceptances: 0, events: 1 })
      t.same(
        item.report.checkouts.map((c: { referenceId: string }) => c.referenceId),
        ['r-1'],
        'only this customer of this shop'
      )
      t.match(item.report.checkouts[0], {
        decisions: [{ ruleId: 'wool-socks', offered: true, answer: 'accepted' }],
        events: [{ type: 'applied', amount: '12.00' }]
      })
      t.ok(item.report.categories.length > 0)
    })

    t.test('without the admin token, or with a wrong one, 401 and nothing listed', async (t) => {
      for (const token of [null, 'not-the-admin-token-0123456789']) {
        const { status, body } = await list(app, '', token)
        t.equal(status, 401, String(token))
        t.equal(body.error.code, 'ADMIN_UNAUTHORIZED')
        t.notOk('dataRequests' in body)
      }
    })

    t.test('newest first, filtered by shop, limited', async (t) => {
      await app.inject(dataRequest(SHOP, 555, 10000))
      await app.inject(dataRequest(OTHER, CUSTOMER, 10001))
      const all = (await list(app)).body.dataRequests
      t.same(
        all.map((d: { requestId: string }) => d.requestId),
        ['10001', '10000', '9999']
      )
      const ofShop = (await list(app, `?shop=${SHOP}`)).body.dataRequests
      t.same(
        ofShop.map((d: { requestId: string }) => d.requestId),
        ['10000', '9999']
      )
      t.ok(ofShop.every((d: { shop: string }) => d.shop === SHOP))
      t.same(
        (await list(app, `?shop=${SHOP}&limit=1`)).body.dataRequests.map((d: { requestId: string }) => d.requestId),
        ['10000']
      )
      t.same((await list(app, '?shop=never-seen.myshopify.com')).body, { dataRequests: [] })
    })

    t.test('a bad limit, shop or unknown parameter is 400 INVALID_QUERY', async (t) => {
      for (const query of [
        '?limit=0',
        '?limit=501',
        '?limit=ten',
        '?limit=1.5',
        '?shop=evil.example.com',
        '?shop_domain=demo-snow.myshopify.com'
      ]) {
        const { status, body } = await list(app, query)
        t.equal(status, 400, query)
        t.equal(body.error.code, 'INVALID_QUERY', query)
      }
      t.equal((await list(app, '?limit=500')).status, 200)
    })

    t.test("customers/redact removes that customer's reports in that shop only", async (t) => {
      const res = await app.inject(
        webhookRequest(SECRET, 'customers/redact', SHOP, {
          shop_id: 1,
          shop_domain: SHOP,
          customer: { id: CUSTOMER, email: 'a@example.com', phone: null },
          orders_to_redact: [299938]
        })
      )
      t.same(res.json(), { status: 'processed' })
      const left = (await list(app)).body.dataRequests
      t.same(
        left.map((d: { shop: string; customerId: string }) => `${d.shop} ${d.customerId}`),
        [`${OTHER} ${CUSTOMER}`, `${SHOP} 555`]
      )
    })

    t.test('shop/redact removes every report of the shop', async (t) => {
      const res = await app.inject(webhookRequest(SECRET, 'shop/redact', SHOP, { shop_id: 1, shop_domain: SHOP }))
      t.same(res.json(), { status: 'processed' })
      t.same((await list(app, `?shop=${SHOP}`)).body, { dataRequests: [] })
      t.same(
        (await list(app)).body.dataRequests.map((d: { shop: string }) => d.shop),
        [OTHER],
        'other shops keep theirs'
      )
    })
  }
)

t.test('without ADMIN_TOKEN the route answers 503 like every admin route', async (t) => {
  const world = await buildWorld(t, { config: { adminToken: null } })
  const { status, body } = await list(world.app)
  t.equal(status, 503)
  t.equal(body.error.code, 'ADMIN_DISABLED')
})
