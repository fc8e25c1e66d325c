// Compliance webhooks with the offer service on PostgreSQL: customers/redact and shop/redact delete the rows on the
// shared database, and a database that cannot be reached is a 503 Shopify retries, with nothing recorded as done.
import t from 'tap'
import { shopifyWorld, SHOPIFY_TEST_SECRET } from '../support/shopify-app.js'
import { webhookRequest } from '../support/shopify-signing.js'
import { seedCheckout } from '../support/seed-storage.js'
import { postgresUnavailable, startPostgres } from '../../scripts/lib/postgres-cluster.js'
import { shopifyWebhookDeliveries } from '../../server/shopify/schema.js'

const SHOP = 'demo-snow.myshopify.com'
const OTHER = 'other-shop.myshopify.com'
const skip = postgresUnavailable()

t.test('redaction reaches the rows on PostgreSQL', skip ? { skip } : {}, async (t) => {
  const cluster = await startPostgres()
  t.teardown(() => cluster.destroy())
  const world = await shopifyWorld({ databaseUrl: cluster.createDatabase('redact') })
  t.teardown(() => world.close())
  const { app } = world
  t.equal(app.databaseKind, 'postgres')
  await seedCheckout(app.storage, { shop: SHOP, customerId: '207119551', referenceId: 'r-1', accept: true })
  await seedCheckout(app.storage, { shop: SHOP, customerId: '555', referenceId: 'r-3', accept: true })
  await seedCheckout(app.storage, { shop: OTHER, customerId: '207119551', referenceId: 'r-4', accept: true })
  await seedCheckout(app.storage, { shop: OTHER, customerId: '1', referenceId: 'r-5' })

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
  t.equal(app.database.db.select().from(shopifyWebhookDeliveries).all().length, 0, 'the delivery is not recorded')
  cluster.start()

  t.equal((await app.inject(redact)).statusCode, 200)
  t.same(await app.storage.decisionsFor('r-1'), [])
  t.same(await app.storage.acceptancesFor('r-1'), [])
  t.same(await app.storage.eventsFor('r-1'), [])
  t.same(await app.storage.explainableDecisions('r-1'), [])
  t.equal((await app.storage.decisionsFor('r-3')).length, 1, 'another customer stays')
  t.equal((await app.storage.decisionsFor('r-4')).length, 1, 'the same id in another shop stays')

  const shopRedact = webhookRequest(SHOPIFY_TEST_SECRET, 'shop/redact', OTHER, { shop_id: 2, shop_domain: OTHER })
  t.equal((await app.inject(shopRedact)).statusCode, 200)
  t.same(await app.storage.decisionsFor('r-4'), [])
  t.same(await app.storage.decisionsFor('r-5'), [])
  t.same(await app.storage.acceptancesFor('r-4'), [])
  t.equal((await app.storage.decisionsFor('r-3')).length, 1, 'the other shop stays')
})
