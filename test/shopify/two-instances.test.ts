// Two instances of the Shopify integration on one database (SQLite file shared on one machine, or PostgreSQL): OAuth
// begun on one finishes on the other, the install is seen by both, a webhook delivered to both is processed once, and
// the data-request report lists the offer service's rows.
import t from 'tap'
import { eachDatabase } from '../support/databases.js'
import { shopifyWorld, SHOPIFY_TEST_SECRET, type ShopifyWorld } from '../support/shopify-app.js'
import { BROWSER, signedAppUrlQuery, signedCallbackQuery, webhookRequest } from '../support/shopify-signing.js'
import { seedCheckout } from '../support/seed-storage.js'

const SHOP = 'demo-snow.myshopify.com'
const REFRESH_MS = 50

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25))
  if (!check()) throw new Error(`never happened: ${what}`)
}

const count = async (w: ShopifyWorld, table: string) =>
  Number((await w.sql(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n)

eachDatabase(t, 'two instances on one database share installs and process a webhook once', async (t, db) => {
  const start = () =>
    shopifyWorld({ database: db.config, shopify: { requireInstall: true }, shopsRefreshMs: REFRESH_MS })
  const a = await start()
  t.teardown(() => a.close())
  // Created last: the process-wide Admin API origin (shopify-api.ts) points at this one's fake.
  const b = await start()
  t.teardown(() => b.close())
  t.equal(a.app.shopify.isShopActive(SHOP), false, 'not installed yet')

  // OAuth begun on A (its state cookie) and finished on B: the state is a cookie signed with the shared secret.
  const begin = await a.app.inject({ method: 'GET', url: `/auth/shopify?shop=${SHOP}`, headers: BROWSER })
  const authorize = new URL(String(begin.headers.location))
  const query = signedCallbackQuery(SHOPIFY_TEST_SECRET, {
    code: b.fake.authorize(SHOP, authorize.searchParams.get('scope') ?? ''),
    host: 'ZGVtbw',
    shop: SHOP,
    state: authorize.searchParams.get('state') ?? '',
    timestamp: String(Math.floor(Date.now() / 1000))
  })
  const cookie = [begin.headers['set-cookie']]
    .flat()
    .map((c) => String(c).split(';')[0])
    .join('; ')
  const callback = await b.app.inject({
    method: 'GET',
    url: `/auth/shopify/callback?${query}`,
    headers: { ...BROWSER, cookie }
  })
  t.equal(callback.statusCode, 302, callback.body)
  t.equal(b.app.shopify.isShopActive(SHOP), true, 'the instance that finished OAuth knows at once')

  // A reads the session and the shop from the database when Shopify opens the app: no second OAuth.
  const opened = await a.app.inject({
    method: 'GET',
    url: `/?${signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP)}`,
    headers: BROWSER
  })
  t.equal(opened.statusCode, 302)
  t.match(String(opened.headers.location), /^\/dashboard\?/, 'installed on B, seen as installed on A')
  t.equal(await count(a, "shopify_sessions WHERE shop = 'demo-snow.myshopify.com'"), 1)

  // An uninstall delivered to both instances at once: processed once; both stop serving the shop.
  const uninstall = webhookRequest(SHOPIFY_TEST_SECRET, 'app/uninstalled', SHOP, { myshopify_domain: SHOP })
  const replies = await Promise.all([a.app.inject(uninstall), b.app.inject(uninstall)])
  t.same(
    replies.map((r) => r.statusCode),
    [200, 200]
  )
  t.same(replies.map((r) => r.json().status).sort(), ['duplicate', 'processed'])
  await until('A and B see the uninstall', () => !a.app.shopify.isShopActive(SHOP) && !b.app.shopify.isShopActive(SHOP))
  t.equal(await count(b, 'shopify_sessions'), 0, 'the sessions went with it')

  // A data request delivered to both (and again to each): one report, built from the offer service's rows.
  await seedCheckout(a.app.storage, { shop: SHOP, customerId: '207119551', referenceId: 'r-1', accept: true })
  await seedCheckout(b.app.storage, { shop: SHOP, customerId: '555', referenceId: 'r-2' })
  const request = webhookRequest(SHOPIFY_TEST_SECRET, 'customers/data_request', SHOP, {
    shop_id: 1,
    shop_domain: SHOP,
    orders_requested: [],
    customer: { id: 207119551 },
    data_request: { id: 9 }
  })
  const answers = await Promise.all([a, b, a, b].map((w) => w.app.inject(request)))
  t.same(answers.map((r) => r.json().status).sort(), ['duplicate', 'duplicate', 'duplicate', 'processed'])
  const rows = await a.sql('SELECT report FROM shopify_data_requests')
  t.equal(rows.length, 1, 'one report stored')
  const report = JSON.parse(String(rows[0]?.report))
  t.same(report.counts, { decisions: 1, acceptances: 1, events: 1 }, "the customer's rows, not the other's")
  const logged = [...a.logs, ...b.logs].filter(
    (l) => l.msg === 'customers/data_request: report of what Encore holds about this customer'
  )
  t.equal(logged.length, 1, 'logged once, by the instance that processed it')
  t.same((logged[0]?.report as { counts: unknown }).counts, report.counts)
  t.equal(await count(b, 'shopify_webhook_deliveries'), 2)

  // Reinstalled through B: A serves the shop again within the refresh interval.
  const again = await b.app.inject({ method: 'GET', url: `/auth/shopify?shop=${SHOP}`, headers: BROWSER })
  t.equal(again.statusCode, 302)
  const auth2 = new URL(String(again.headers.location))
  const query2 = signedCallbackQuery(SHOPIFY_TEST_SECRET, {
    code: b.fake.authorize(SHOP, auth2.searchParams.get('scope') ?? ''),
    host: 'ZGVtbw',
    shop: SHOP,
    state: auth2.searchParams.get('state') ?? '',
    timestamp: String(Math.floor(Date.now() / 1000))
  })
  const cookie2 = [again.headers['set-cookie']]
    .flat()
    .map((c) => String(c).split(';')[0])
    .join('; ')
  const done = await b.app.inject({
    method: 'GET',
    url: `/auth/shopify/callback?${query2}`,
    headers: { ...BROWSER, cookie: cookie2 }
  })
  t.equal(done.statusCode, 302, done.body)
  await until('A sees the reinstall', () => a.app.shopify.isShopActive(SHOP))
  t.pass('the reinstall on B reached A through the refresh')
})
