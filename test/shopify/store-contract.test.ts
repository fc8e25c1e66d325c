// Every ShopifyStore behaviour the integration relies on, against SQLite and PostgreSQL alike: the session storage
// contract, shops written by one store read by another on the same database, a delivery processed once however many
// stores receive it at once, data-request reports built from the offer service's rows, redaction, and pruning.
import t from 'tap'
import pg from 'pg'
import { Session } from '@shopify/shopify-api'
import { eachDatabase, type TestDatabase } from '../support/databases.js'
import { seedCheckout } from '../support/seed-storage.js'
import { ShopRegistry } from '../../server/shopify/shops.js'
import type { Test } from 'tap'
import type { DeliveryEffect } from '../../server/shopify/store.js'

const SHOP = 'a.myshopify.com'

async function open(t: Test, db: TestDatabase) {
  const handle = await db.openShopifyStore()
  t.teardown(() => handle.close())
  return handle
}

const delivery = (webhookId: string, topic = 'APP_UNINSTALLED', receivedAt = Date.now()) => ({
  webhookId,
  topic,
  shop: SHOP,
  receivedAt
})

eachDatabase(t, 'sessions: the SessionStorage contract', async (t, db) => {
  const { store } = await open(t, db)
  const offline = new Session({
    id: `offline_${SHOP}`,
    shop: SHOP,
    state: 's1',
    isOnline: false,
    scope: 'read_products',
    accessToken: 'shpat_1'
  })
  const online = new Session({
    id: `${SHOP}_42`,
    shop: SHOP,
    state: 's2',
    isOnline: true,
    scope: 'read_products',
    accessToken: 'shpua_2',
    refreshToken: 'r',
    refreshTokenExpires: new Date('2031-01-01T00:00:00Z'),
    expires: new Date('2030-01-01T00:00:00Z'),
    onlineAccessInfo: {
      expires_in: 86400,
      associated_user_scope: 'read_products',
      associated_user: { id: 42 }
    } as never
  })
  t.equal(await store.storeSession(offline), true)
  await store.storeSession(online)

  t.ok((await store.loadSession(offline.id))?.equals(offline), 'an offline session comes back equal')
  const loaded = await store.loadSession(online.id)
  t.ok(loaded?.equals(online), 'an online session comes back equal')
  t.equal(loaded?.expires?.toISOString(), '2030-01-01T00:00:00.000Z')
  t.equal(loaded?.refreshTokenExpires?.toISOString(), '2031-01-01T00:00:00.000Z')
  t.same(loaded?.onlineAccessInfo, online.onlineAccessInfo)
  t.equal(loaded?.isOnline, true)
  t.equal((await store.loadSession(offline.id))?.isOnline, false)
  t.equal(await store.loadSession('missing'), undefined)
  t.same((await store.findSessionsByShop(SHOP)).map((s) => s.id).sort(), [online.id, offline.id].sort())
  t.same(await store.findSessionsByShop('b.myshopify.com'), [])

  await store.storeSession(
    new Session({ ...offline.toObject(), accessToken: 'shpat_new', scope: 'read_products,read_customers' })
  )
  const replaced = await store.loadSession(offline.id)
  t.equal(replaced?.accessToken, 'shpat_new', 'storing the same id replaces the token')
  t.equal(replaced?.scope, 'read_products,read_customers')

  t.equal(await store.deleteSessions([online.id, 'missing']), true)
  t.equal((await store.findSessionsByShop(SHOP)).length, 1)
  t.equal(await store.deleteSessions([]), true)
  t.equal(await store.deleteSession(offline.id), true)
  t.equal(await store.loadSession(offline.id), undefined)
  t.equal(await store.deleteSession(offline.id), true, 'deleting what is gone is not an error')
})

eachDatabase(t, 'shops: installed on one instance, seen by another on the same database', async (t, db) => {
  const a = await open(t, db)
  const b = await open(t, db)
  const here = new ShopRegistry(a.store)
  const there = new ShopRegistry(b.store, true)
  await here.refresh()
  await there.refresh()
  t.equal(there.isActive(SHOP), false, 'requireInstall: an unknown shop is refused')

  await here.markInstalled(SHOP, 'read_products', 1000)
  t.equal(here.isActive(SHOP), true, 'the installing instance knows at once')
  t.equal(there.isActive(SHOP), false, 'memory is per instance until it refreshes')
  t.same(await there.fresh(SHOP), {
    domain: SHOP,
    scopes: 'read_products',
    installedAt: 1000,
    uninstalledAt: null,
    redactedAt: null
  })
  t.equal(there.isActive(SHOP), true, 'a fresh read updates memory')

  t.ok(await a.store.processDelivery(delivery('u1', 'APP_UNINSTALLED', 5000), { kind: 'uninstalled' }))
  await there.refresh()
  t.equal(there.isActive(SHOP), false, 'an uninstall on another instance shows after a refresh')
  t.same(await b.store.shop(SHOP), {
    domain: SHOP,
    scopes: 'read_products',
    installedAt: 1000,
    uninstalledAt: 5000,
    redactedAt: null
  })
  await a.store.processDelivery(delivery('u2', 'APP_UNINSTALLED', 9000), { kind: 'uninstalled' })
  t.equal((await b.store.shop(SHOP))?.uninstalledAt, 5000, 'uninstalling twice keeps the first date')
  const rescoped = await a.store.processDelivery(delivery('s1', 'APP_SCOPES_UPDATE'), {
    kind: 'scopes',
    scopes: 'write_orders'
  })
  t.same(rescoped, {}, 'an uninstalled shop keeps its scopes')

  await there.markInstalled(SHOP, 'read_products', 10_000)
  t.equal((await a.store.shop(SHOP))?.uninstalledAt, null, 'reinstalling clears the uninstall')
  const update = await a.store.processDelivery(delivery('s2', 'APP_SCOPES_UPDATE', 11_000), {
    kind: 'scopes',
    scopes: 'read_products,read_customers'
  })
  t.equal(update?.shop?.scopes, 'read_products,read_customers')
  t.equal(update?.shop?.installedAt, 10_000, 'a scopes update keeps the install date')

  const redacted = await a.store.processDelivery(delivery('r1', 'SHOP_REDACT', 12_000), { kind: 'redact-shop' })
  t.same(redacted?.shop, {
    domain: SHOP,
    scopes: null,
    installedAt: 10_000,
    uninstalledAt: 12_000,
    redactedAt: 12_000
  })
  const restarted = new ShopRegistry(b.store)
  await restarted.refresh()
  t.equal(restarted.isActive(SHOP), false, 'a redacted shop stays inactive across restarts')
  t.same(
    (await b.store.shops()).map((s) => s.domain),
    [SHOP]
  )
})

eachDatabase(t, 'a delivery sent to several instances at once is processed once', async (t, db) => {
  const stores = [await open(t, db), await open(t, db), await open(t, db)]
  const { storage } = stores[0]!
  await seedCheckout(storage, { shop: SHOP, customerId: '207119551', referenceId: 'r-1', accept: true })
  for (let round = 0; round < 5; round++) {
    const d = delivery(`dr-${round}`, 'CUSTOMERS_DATA_REQUEST')
    const effect: DeliveryEffect = {
      kind: 'data-request',
      customerId: '207119551',
      requestId: String(round),
      ordersRequested: []
    }
    const results = await Promise.all(
      stores.flatMap(({ store }) => [store.processDelivery(d, effect), store.processDelivery(d, effect)])
    )
    const processed = results.filter((r) => r !== null)
    t.equal(processed.length, 1, `round ${round}: one of six processes it, the others find it done`)
  }
  const reports = await stores[1]!.store.dataRequests({ shop: SHOP, limit: 100 })
  t.equal(reports.length, 5, 'one report per delivery')
  t.same(
    reports.map((r) => r.requestId),
    ['4', '3', '2', '1', '0'],
    'newest first'
  )
})

eachDatabase(t, "a data-request report lists the customer's rows from the offer service's tables", async (t, db) => {
  const { store, storage } = await open(t, db)
  await seedCheckout(storage, { shop: SHOP, customerId: '207119551', referenceId: 'r-1', accept: true, createdAt: 1 })
  await seedCheckout(storage, {
    shop: SHOP,
    customerId: 'gid://shopify/Customer/207119551',
    referenceId: 'r-2',
    createdAt: 2
  })
  await seedCheckout(storage, { shop: SHOP, customerId: '555', referenceId: 'r-3' })
  await seedCheckout(storage, { shop: 'b.myshopify.com', customerId: '207119551', referenceId: 'r-4' })
  const result = await store.processDelivery(delivery('dr', 'CUSTOMERS_DATA_REQUEST', 5000), {
    kind: 'data-request',
    customerId: '207119551',
    requestId: '77',
    ordersRequested: [1, 2]
  })
  const report = result?.report
  t.same(report?.counts, { decisions: 2, acceptances: 1, events: 2 }, 'both forms of the customer id, this shop only')
  t.same(
    report?.checkouts.map((c) => c.referenceId),
    ['r-1', 'r-2']
  )
  t.equal(report?.checkouts[0]?.acceptances[0]?.quantity, 1)
  t.equal(report?.generatedAt, new Date(5000).toISOString())
  t.ok(report?.categories.length, 'the categories of data held')
  const [stored] = await store.dataRequests({ shop: null, limit: 10 })
  t.same(JSON.parse(stored?.report ?? '{}'), report, 'the report is stored as returned')
  t.equal(stored?.webhookId, 'dr')
  t.equal(stored?.createdAt, 5000)
  t.same(await store.dataRequests({ shop: 'b.myshopify.com', limit: 10 }), [])
})

eachDatabase(t, 'redaction removes the rows of a customer, then of a shop', async (t, db) => {
  const { store, storage } = await open(t, db)
  await seedCheckout(storage, { shop: SHOP, customerId: '207119551', referenceId: 'r-1', accept: true })
  await seedCheckout(storage, { shop: SHOP, customerId: '555', referenceId: 'r-2' })
  await store.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: 's', isOnline: false }))
  await store.processDelivery(delivery('dr', 'CUSTOMERS_DATA_REQUEST'), {
    kind: 'data-request',
    customerId: '207119551',
    requestId: null,
    ordersRequested: []
  })
  const customer = await store.processDelivery(delivery('cr', 'CUSTOMERS_REDACT'), {
    kind: 'redact-customer',
    customerId: '207119551'
  })
  t.match(customer?.removed, {
    decisions: 1,
    checkouts: 1,
    checkoutFacts: 1,
    acceptances: 1,
    events: 1,
    dataRequests: 1
  })
  t.same(await storage.decisionsFor('r-1'), [])
  t.equal((await storage.decisionsFor('r-2')).length, 1, 'another customer stays')
  const again = await store.processDelivery(delivery('cr', 'CUSTOMERS_REDACT'), {
    kind: 'redact-customer',
    customerId: '207119551'
  })
  t.equal(again, null, 'a redelivery is a duplicate')

  const shop = await store.processDelivery(delivery('sr', 'SHOP_REDACT'), { kind: 'redact-shop' })
  t.match(shop?.removed, { decisions: 1, sessions: 1, webhookDeliveries: 2 })
  t.same(await storage.decisionsFor('r-2'), [])
  t.same(await store.findSessionsByShop(SHOP), [])
  t.equal(
    await store.processDelivery(delivery('sr', 'SHOP_REDACT'), { kind: 'redact-shop' }),
    null,
    "the shop/redact delivery's own id stays recorded"
  )
})

eachDatabase(t, 'delivery ids older than the retention are pruned', async (t, db) => {
  const { store } = await open(t, db)
  await store.processDelivery(delivery('old', 'APP_SCOPES_UPDATE', 1000), { kind: 'scopes', scopes: null })
  await store.processDelivery(delivery('new', 'APP_SCOPES_UPDATE'), { kind: 'scopes', scopes: null })
  t.equal(await store.pruneDeliveries(Date.now() - 60_000), 1)
  t.ok(await store.processDelivery(delivery('old', 'APP_SCOPES_UPDATE'), { kind: 'scopes', scopes: null }))
  t.equal(await store.processDelivery(delivery('new', 'APP_SCOPES_UPDATE'), { kind: 'scopes', scopes: null }), null)
})

eachDatabase(t, 'a connection dropped mid-transaction is a DATABASE_UNAVAILABLE, not a crash', async (t, db) => {
  if (db.kind === 'sqlite') {
    t.pass('an in-process database cannot drop the connection')
    return
  }
  const { store } = await open(t, db)
  const url = db.config.databaseUrl as string
  const other = new pg.Client({ connectionString: url })
  await other.connect()
  t.teardown(() => other.end())
  // Another transaction holds the delivery id: processDelivery waits on it, inside its own transaction.
  await other.query('BEGIN')
  await other.query(
    "INSERT INTO shopify_webhook_deliveries (webhook_id, topic, shop, received_at) VALUES ('held', 'X', 'a', 1)"
  )
  // Its outcome is taken at once: the rejection may come before the assertion below looks at it.
  const outcome = store.processDelivery(delivery('held', 'APP_UNINSTALLED'), { kind: 'uninstalled' }).then(
    () => null,
    (err: unknown) => err
  )
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  t.teardown(() => admin.end())
  for (let i = 0; i < 200; i++) {
    const { rowCount } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()"
    )
    if (rowCount) break
    await new Promise((r) => setTimeout(r, 25))
  }
  t.match(await outcome, { code: 'DATABASE_UNAVAILABLE' }, 'the caller gets the error; the process lives on')
  await other.query('ROLLBACK')
  t.ok(await store.processDelivery(delivery('held', 'APP_UNINSTALLED'), { kind: 'uninstalled' }), 'and retries fine')
})
