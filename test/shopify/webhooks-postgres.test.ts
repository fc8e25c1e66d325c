// Compliance webhooks on PostgreSQL: customers/redact and shop/redact delete the rows on the shared database, and a
// database that cannot be reached is a 503 Shopify retries, with nothing recorded as done (while the shop registry's
// refresh fails, logs it, and keeps the shops it holds).
import t from 'tap'
import { shopifyWorld, SHOPIFY_TEST_SECRET } from '../support/shopify-app.js'
import { installThroughOAuth, webhookRequest } from '../support/shopify-signing.js'
import { seedCheckout } from '../support/seed-storage.js'
import { postgresUnavailable, startPostgres } from '../../scripts/lib/postgres-cluster.js'
import { PostgresStorage } from '../../server/db/postgres-storage.js'

const SHOP = 'demo-snow.myshopify.com'
const OTHER = 'other-shop.myshopify.com'
const skip = postgresUnavailable()

t.test('redaction reaches the rows on PostgreSQL', skip ? { skip } : {}, async (t) => {
  const cluster = await startPostgres()
  t.teardown(() => cluster.destroy())
  const world = await shopifyWorld({
    databaseUrl: cluster.createDatabase('redact'),
    analytics: true,
    shopify: { requireInstall: true },
    shopsRefreshMs: 50
  })
  t.teardown(() => world.close())
  const { app } = world
  t.equal(app.databaseKind, 'postgres')
  const { callback } = await installThroughOAuth(app, world.fake, SHOPIFY_TEST_SECRET, SHOP)
  t.equal(callback.statusCode, 302, callback.body)
  await seedCheckout(app.storage, { shop: SHOP, customerId: '207119551', referenceId: 'r-1', accept: true })
  await seedCheckout(app.storage, { shop: SHOP, customerId: '555', referenceId: 'r-3', accept: true })
  await seedCheckout(app.storage, { shop: OTHER, customerId: '207119551', referenceId: 'r-4', accept: true })
  await seedCheckout(app.storage, { shop: OTHER, customerId: '1', referenceId: 'r-5' })
  // The analytics tables are on the shared database too: built from these rows, then redacted with them.
  await app.analytics.catchUp()
  const pool = (app.storage as PostgresStorage).pool
  const customers = async () =>
    (
      await pool.query<{ ref: string; customer: string | null }>(
        'SELECT reference_id AS ref, customer_id AS customer FROM analytics_checkout_rules ORDER BY reference_id'
      )
    ).rows.map((r) => `${r.ref}:${r.customer}`)
  const shopRows = async (shop: string) =>
    Number(
      (
        await pool.query(
          `SELECT (SELECT COUNT(*) FROM analytics_checkout_rules WHERE shop = $1)
             + (SELECT COUNT(*) FROM analytics_daily WHERE shop = $1) + (SELECT COUNT(*) FROM analytics_offers WHERE shop = $1) AS n`,
          [shop]
        )
      ).rows[0].n
    )
  t.ok((await shopRows(OTHER)) > 0, 'the other shop has analytics rows')

  const redact = webhookRequest(SHOPIFY_TEST_SECRET, 'customers/redact', SHOP, {
    shop_id: 1,
    shop_domain: SHOP,
    customer: { id: 207119551 },
    orders_to_redact: []
  })
  cluster.stop()
  const down = await app.inject(redact)
  t.equal(down.statusCode, 503, 'Shopify retries while the database is away')
  t.equal(down.json().error.code, 'DATABASE_UNAVAILABLE')
  // The shop registry's refresh fails meanwhile: logged and retried, and checkouts keep the shops held in memory.
  const refreshFailed = () => world.logs.some((l) => l.msg === 'shops refresh failed; retrying')
  for (let i = 0; i < 200 && !refreshFailed(); i++) await new Promise((r) => setTimeout(r, 25))
  t.ok(refreshFailed(), 'a failed refresh is logged')
  t.equal(app.shopify.isShopActive(SHOP), true, 'the shops in memory still answer: installed')
  t.equal(app.shopify.isShopActive(OTHER), false, 'and never installed')
  cluster.start()
  t.same(await world.sql('SELECT webhook_id FROM shopify_webhook_deliveries'), [], 'the delivery is not recorded')

  t.equal((await app.inject(redact)).statusCode, 200)
  t.same(await app.storage.decisionsFor('r-1'), [])
  t.same(await app.storage.acceptancesFor('r-1'), [])
  t.same(await app.storage.eventsFor('r-1'), [])
  t.same(await app.storage.explainableDecisions('r-1'), [])
  t.equal((await app.storage.decisionsFor('r-3')).length, 1, 'another customer stays')
  t.equal((await app.storage.decisionsFor('r-4')).length, 1, 'the same id in another shop stays')
  t.same(
    (await customers()).filter((c) => ['r-1', 'r-3', 'r-4'].includes(c.split(':')[0]!)),
    ['r-1:null', 'r-3:555', 'r-4:207119551'],
    "analytics keep the checkout's counts but forget whose it was"
  )

  const shopRedact = webhookRequest(SHOPIFY_TEST_SECRET, 'shop/redact', OTHER, { shop_id: 2, shop_domain: OTHER })
  t.equal((await app.inject(shopRedact)).statusCode, 200)
  t.same(await app.storage.decisionsFor('r-4'), [])
  t.same(await app.storage.decisionsFor('r-5'), [])
  t.same(await app.storage.acceptancesFor('r-4'), [])
  t.equal((await app.storage.decisionsFor('r-3')).length, 1, 'the other shop stays')
  t.equal(await shopRows(OTHER), 0, "the redacted shop's analytics rows are gone")
  t.ok((await shopRows(SHOP)) > 0, "the other shop's stay")
})
