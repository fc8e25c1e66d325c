import t from 'tap'
import { eq } from 'drizzle-orm'
import { shopifySessions, shopifyShops } from '../../server/shopify/schema.js'
import { shopifyWorld, SHOPIFY_TEST_KEY, SHOPIFY_TEST_SECRET } from '../support/shopify-app.js'
import { BROWSER, installThroughOAuth } from '../support/shopify-signing.js'

const SHOP = 'demo-snow.myshopify.com'

t.test('OAuth install', async (t) => {
  const world = await shopifyWorld()
  t.teardown(() => world.close())
  const db = world.app.database.db

  t.test(
    "begin redirects to the shop's grant screen with our key, scopes, callback and a signed state cookie",
    async (t) => {
      const res = await world.app.inject({ method: 'GET', url: `/auth/shopify?shop=${SHOP}`, headers: BROWSER })
      t.equal(res.statusCode, 302)
      const url = new URL(String(res.headers.location))
      t.equal(url.origin, `https://${SHOP}`)
      t.equal(url.pathname, '/admin/oauth/authorize')
      t.equal(url.searchParams.get('client_id'), SHOPIFY_TEST_KEY)
      t.equal(
        url.searchParams.get('scope'),
        'read_products,read_customers,write_orders,write_order_edits,write_draft_orders'
      )
      t.equal(url.searchParams.get('redirect_uri'), 'https://encore.example.com/auth/shopify/callback')
      t.match(String(res.headers['set-cookie']), /shopify_app_state=/)
    }
  )

  t.test('begin refuses a shop that is not a myshopify.com domain', async (t) => {
    for (const shop of ['', 'evil.example.com', 'demo-snow.myshopify.com.evil.com']) {
      const res = await world.app.inject({
        method: 'GET',
        url: `/auth/shopify?shop=${encodeURIComponent(shop)}`,
        headers: BROWSER
      })
      t.equal(res.statusCode, 400, shop)
      t.equal(res.json().error.code, 'SHOPIFY_OAUTH_SHOP')
    }
  })

  t.test('the callback stores the offline token and marks the shop installed', async (t) => {
    const { callback } = await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP)
    t.equal(callback.statusCode, 302, callback.body)
    t.equal(callback.headers.location, `https://${SHOP}/admin/apps/${SHOPIFY_TEST_KEY}`)
    const session = db
      .select()
      .from(shopifySessions)
      .where(eq(shopifySessions.id, `offline_${SHOP}`))
      .get()
    t.ok(session?.accessToken?.startsWith('shpat_'))
    t.equal(session?.isOnline, false)
    t.equal(session?.scope, 'read_products,read_customers,write_orders,write_order_edits,write_draft_orders')
    const shop = db.select().from(shopifyShops).where(eq(shopifyShops.domain, SHOP)).get()
    t.equal(shop?.uninstalledAt, null)
    t.equal(shop?.scopes, 'read_products,read_customers,write_orders,write_order_edits,write_draft_orders')
    t.equal(world.app.shopify.isShopActive(SHOP), true)
  })

  t.test('a reinstall with changed scopes replaces the token and the scopes', async (t) => {
    const before = db.select().from(shopifySessions).where(eq(shopifySessions.shop, SHOP)).all()
    const { callback } = await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP, {
      grantScope: 'read_products'
    })
    t.equal(callback.statusCode, 302)
    const after = db.select().from(shopifySessions).where(eq(shopifySessions.shop, SHOP)).all()
    t.equal(after.length, 1)
    t.not(after[0]?.accessToken, before[0]?.accessToken)
    t.equal(after[0]?.scope, 'read_products')
    t.equal(db.select().from(shopifyShops).where(eq(shopifyShops.domain, SHOP)).get()?.scopes, 'read_products')
  })

  t.test('a callback with a forged HMAC is refused and stores nothing', async (t) => {
    const other = 'other-shop.myshopify.com'
    const { callback } = await installThroughOAuth(world.app, world.fake, 'not-the-app-secret-at-all', other)
    t.equal(callback.statusCode, 400)
    t.equal(callback.json().error.code, 'SHOPIFY_OAUTH_CALLBACK')
    t.equal(db.select().from(shopifySessions).where(eq(shopifySessions.shop, other)).all().length, 0)
  })

  t.test('a callback without the state cookie is refused', async (t) => {
    const res = await world.app.inject({
      method: 'GET',
      url: `/auth/shopify/callback?shop=${SHOP}&code=x&state=y&timestamp=1&hmac=00`,
      headers: BROWSER
    })
    t.equal(res.statusCode, 400)
    t.equal(res.json().error.code, 'SHOPIFY_OAUTH_CALLBACK')
  })

  t.test(
    'a callback whose code Shopify does not know fails the token exchange with 502 and stores nothing',
    async (t) => {
      const other = 'third-shop.myshopify.com'
      const { callback } = await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, other, {
        code: 'a-code-shopify-never-issued'
      })
      t.equal(callback.statusCode, 502)
      t.equal(callback.json().error.code, 'SHOPIFY_OAUTH_EXCHANGE')
      t.equal(db.select().from(shopifySessions).where(eq(shopifySessions.shop, other)).all().length, 0)
      t.equal(db.select().from(shopifyShops).where(eq(shopifyShops.domain, other)).all().length, 0)
    }
  )

  t.test('a callback while Shopify is down answers 502', async (t) => {
    world.fake.mode = 'down'
    t.teardown(() => {
      world.fake.mode = 'ok'
    })
    const { callback } = await installThroughOAuth(
      world.app,
      world.fake,
      SHOPIFY_TEST_SECRET,
      'fourth-shop.myshopify.com'
    )
    t.equal(callback.statusCode, 502)
    t.equal(callback.json().error.code, 'SHOPIFY_OAUTH_EXCHANGE')
  })
})
