import t from 'tap'
import { shopifyWorld, SHOPIFY_TEST_KEY, SHOPIFY_TEST_SECRET } from '../support/shopify-app.js'
import {
  BROWSER,
  installThroughOAuth,
  signedAppUrlQuery,
  signedCallbackQuery,
  webhookRequest
} from '../support/shopify-signing.js'

const SHOP = 'demo-snow.myshopify.com'

t.test('GET / (application_url), as Shopify opens it', async (t) => {
  const world = await shopifyWorld()
  t.teardown(() => world.close())
  const open = (query: string) => world.app.inject({ method: 'GET', url: `/?${query}`, headers: BROWSER })

  t.test('a shop without a session is sent to its grant screen (OAuth begins)', async (t) => {
    const res = await open(signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP))
    t.equal(res.statusCode, 302, res.body)
    const url = new URL(String(res.headers.location))
    t.equal(`${url.origin}${url.pathname}`, `https://${SHOP}/admin/oauth/authorize`)
    t.equal(url.searchParams.get('client_id'), SHOPIFY_TEST_KEY)
    t.equal(url.searchParams.get('redirect_uri'), 'https://encore.example.com/auth/shopify/callback')
    t.match(String(res.headers['set-cookie']), /shopify_app_state=/)
  })

  t.test('the OAuth it begins completes: the callback accepts its state cookie and stores the token', async (t) => {
    const begin = await open(signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP))
    const authorize = new URL(String(begin.headers.location))
    const code = world.fake.authorize(SHOP, authorize.searchParams.get('scope') ?? '')
    const query = signedCallbackQuery(SHOPIFY_TEST_SECRET, {
      code,
      host: 'ZGVtbw',
      shop: SHOP,
      state: authorize.searchParams.get('state') ?? '',
      timestamp: String(Math.floor(Date.now() / 1000))
    })
    const cookie = [begin.headers['set-cookie']]
      .flat()
      .map((c) => String(c).split(';')[0])
      .join('; ')
    const callback = await world.app.inject({
      method: 'GET',
      url: `/auth/shopify/callback?${query}`,
      headers: { ...BROWSER, cookie }
    })
    t.equal(callback.statusCode, 302, callback.body)
    t.equal(callback.headers.location, `https://${SHOP}/admin/apps/${SHOPIFY_TEST_KEY}`)
    t.equal(world.app.shopify.isShopActive(SHOP), true)
  })

  t.test(
    'an installed shop opened by the admin goes to the embedded dashboard, with the query Shopify sent',
    async (t) => {
      const query = signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP, { extra: { locale: 'fr' } })
      const res = await open(query)
      t.equal(res.statusCode, 302, res.body)
      t.equal(res.headers['cache-control'], 'no-store')
      const location = new URL(String(res.headers.location), 'https://encore.example.com')
      t.equal(location.pathname, '/dashboard')
      const sent = new URLSearchParams(query)
      t.ok(sent.get('host'), 'Shopify sends host')
      t.same(
        Object.fromEntries(location.searchParams),
        Object.fromEntries(sent),
        'host, shop and the rest kept as sent'
      )
      t.equal(location.searchParams.get('locale'), 'fr')
      t.notMatch(String(res.headers['set-cookie'] ?? ''), /shopify_app_state=/, 'no OAuth begun')
    }
  )

  t.test('a shop whose token lacks a configured scope is sent through OAuth again', async (t) => {
    // Installed before the Thank-you page: no order editing, no draft orders, no invoices.
    await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP, {
      grantScope: 'read_products,read_customers,read_orders'
    })
    const res = await open(signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP))
    t.equal(res.statusCode, 302)
    t.equal(
      new URL(String(res.headers.location)).searchParams.get('scope'),
      'read_products,read_customers,write_orders,write_order_edits,write_draft_orders'
    )
    await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP)
    const again = await open(signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP))
    t.equal(again.statusCode, 302)
    t.match(String(again.headers.location), /^\/dashboard\?/, 'reinstalled: on to the dashboard')
  })

  t.test('after app/uninstalled the shop is sent through OAuth again', async (t) => {
    const res = await world.app.inject(
      webhookRequest(SHOPIFY_TEST_SECRET, 'app/uninstalled', SHOP, { id: 1, myshopify_domain: SHOP })
    )
    t.equal(res.statusCode, 200)
    const again = await open(signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP))
    t.equal(again.statusCode, 302)
    t.match(String(again.headers.location), `https://${SHOP}/admin/oauth/authorize?`)
  })

  t.test("without Shopify's HMAC, with a wrong or stale one, 400 and no redirect", async (t) => {
    const signed = signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP)
    const cases = {
      unsigned: `shop=${SHOP}`,
      'other secret': signedAppUrlQuery('some-other-apps-secret-0123456789', SHOP),
      tampered: signed.replace(`shop=${SHOP}`, 'shop=other-shop.myshopify.com'),
      stale: signedAppUrlQuery(SHOPIFY_TEST_SECRET, SHOP, { timestamp: Math.floor(Date.now() / 1000) - 600 })
    }
    for (const [name, query] of Object.entries(cases)) {
      const res = await open(query)
      t.equal(res.statusCode, 400, name)
      t.equal(res.json().error.code, 'SHOPIFY_APP_URL_HMAC', name)
      t.equal(res.headers.location, undefined, name)
    }
  })

  t.test('a missing or invalid shop is 400 SHOPIFY_OAUTH_SHOP', async (t) => {
    for (const query of ['host=YWRtaW4', signedAppUrlQuery(SHOPIFY_TEST_SECRET, 'evil.example.com')]) {
      const res = await open(query)
      t.equal(res.statusCode, 400, query)
      t.equal(res.json().error.code, 'SHOPIFY_OAUTH_SHOP')
    }
  })

  t.test('the bare root, as a person opens it in a browser, says what runs here', async (t) => {
    const res = await world.app.inject({ method: 'GET', url: '/' })
    t.equal(res.statusCode, 200)
    t.match(res.json(), {
      status: 'running',
      message: /POST \/api\/offer/,
      docs: ['docs/api.md', 'docs/shopify.md', 'docs/rules.md']
    })
  })
})
