// npm run db:copy: an existing SQLite database copied into PostgreSQL reads back the same through Storage and the
// analytics report, ids and the analytics consumer continue after the copied rows, and a target that already has data
// is refused.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/open-database.js'
import { openPostgres } from '../../server/db/open-postgres.js'
import { SqliteStorage } from '../../server/db/sqlite-storage.js'
import { PostgresStorage } from '../../server/db/postgres-storage.js'
import {
  shopifyDataRequests,
  shopifySessions,
  shopifyShops,
  shopifyWebhookDeliveries
} from '../../server/shopify/schema.js'
import { PostgresShopifyStore } from '../../server/shopify/postgres-store.js'
import type { DeliveryEffect } from '../../server/shopify/store.js'
import { seedCheckout } from '../support/seed-storage.js'
import { postgresUnavailable } from '../../scripts/lib/postgres-cluster.js'
import { sharedCluster } from '../support/databases.js'
import { StatsReader } from '../../server/analytics/report.js'
import { AnalyticsConsumer } from '../../server/analytics/consumer.js'
import { PostgresConsumer } from '../../server/analytics/postgres-consumer.js'
import { postgresReport } from '../../server/analytics/postgres-report.js'
import type { Range } from '../../server/analytics/time-range.js'
import { recordingIo } from '../../scripts/lib/cli.js'
import { main as dbCopy } from '../../scripts/db-copy.js'

const skip = postgresUnavailable()

t.test('a SQLite database copied into PostgreSQL reads back the same', skip ? { skip } : {}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-copy-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'encore.db')
  const handle = openDatabase(path)
  const sqlite = new SqliteStorage(handle)
  const refs = Array.from({ length: 30 }, (_, i) => `ref-${i}`)
  const seed = async (from: number, to: number) => {
    for (let i = from; i < to; i++)
      await seedCheckout(sqlite, {
        shop: 's.myshopify.com',
        customerId: i % 3 ? String(i) : null,
        referenceId: refs[i]!,
        accept: i % 2 === 0
      })
    sqlite.flush()
  }
  // Some rows read by the SQLite consumer already, some not yet: the copy reads the rest first.
  await seed(0, 20)
  new AnalyticsConsumer(handle.sqlite).catchUp()
  await seed(20, 30)
  await sqlite.saveRuleset('hash-1', { 'offers/a.json': '{}' }, 1)
  handle.db
    .insert(shopifySessions)
    .values({ id: 'offline_s.myshopify.com', shop: 's.myshopify.com', state: 'x', isOnline: false, updatedAt: 1 })
    .run()
  handle.db
    .insert(shopifyShops)
    .values({
      domain: 's.myshopify.com',
      scopes: 'read_products',
      installedAt: 1,
      uninstalledAt: null,
      redactedAt: null,
      updatedAt: 1
    })
    .run()
  handle.db
    .insert(shopifyWebhookDeliveries)
    .values({ webhookId: 'wh-1', topic: 'CUSTOMERS_DATA_REQUEST', shop: 's.myshopify.com', receivedAt: Date.now() })
    .run()
  handle.db
    .insert(shopifyDataRequests)
    .values({
      webhookId: 'wh-1',
      shop: 's.myshopify.com',
      customerId: '1',
      requestId: '9',
      report: '{"counts":{}}',
      createdAt: 5
    })
    .run()
  sqlite.flush()

  const url = (await sharedCluster()).createDatabase(`copy${process.pid}`)
  // npm run db:copy, in process: its main with the arguments the command line gives it.
  const run = async () => {
    const io = recordingIo()
    const status = await dbCopy(['--from', path, '--to', url], io)
    return { status, stdout: io.stdout, stderr: io.stderr }
  }
  const res = await run()
  t.equal(res.status, 0, res.stderr)
  t.match(res.stdout, /decisions\s+30/)
  t.match(res.stdout, /acceptances\s+15/)

  const pg = new PostgresStorage((await openPostgres({ url, poolMax: 2 })).pool)
  t.teardown(() => pg.close())
  for (const ref of refs) {
    t.same(await pg.decisionsFor(ref), await sqlite.decisionsFor(ref), `${ref}: decisions`)
    t.same(await pg.acceptancesFor(ref), await sqlite.acceptancesFor(ref), `${ref}: acceptances`)
    t.same(await pg.eventsFor(ref), await sqlite.eventsFor(ref), `${ref}: events`)
    t.same(await pg.explainableDecisions(ref), await sqlite.explainableDecisions(ref), `${ref}: facts`)
  }
  t.same(await pg.rulesetFiles('hash-1'), { 'offers/a.json': '{}' })

  // The analytics come along: the same report, and the consumer goes on after the copied rows without counting them
  // again.
  const range: Range = { from: 0, to: Date.now() + 60_000, bucket: 'day' }
  const expected = new StatsReader(handle.sqlite).report(range, null, range.to)
  t.match(expected.rows, [{ ruleId: 'wool-socks', checkouts: 30, accepts: 15, revenue: 360 }])
  t.same(await postgresReport(pg.pool, range, null, range.to), expected, 'the same report after the copy')
  const consumer = new PostgresConsumer(pg.pool)
  t.equal(await consumer.catchUp(true), 0, 'nothing copied is read again')
  await seedCheckout(pg, { shop: 's.myshopify.com', customerId: '7', referenceId: 'ref-after', accept: true })
  t.equal(await consumer.catchUp(true), 3, 'the new decision, acceptance and event')
  t.match((await postgresReport(pg.pool, range, null, range.to)).rows, [{ checkouts: 31, accepts: 16, revenue: 372 }])
  const shops = await pg.pool.query('SELECT domain, installed_at FROM shopify_shops')
  t.same(shops.rows, [{ domain: 's.myshopify.com', installed_at: 1 }])
  const sessions = await pg.pool.query('SELECT id, is_online FROM shopify_sessions')
  t.same(sessions.rows, [{ id: 'offline_s.myshopify.com', is_online: false }], 'booleans become booleans')
  t.match(res.stdout, /shopify_webhook_deliveries\s+1/)
  t.match(res.stdout, /shopify_data_requests\s+1/)

  // The Shopify store on PostgreSQL reads the copied rows: the session, the shop, a delivery already processed, and
  // the report (whose identity continues after the copied id).
  const shopify = new PostgresShopifyStore(pg.pool)
  t.equal((await shopify.loadSession('offline_s.myshopify.com'))?.shop, 's.myshopify.com')
  t.equal((await shopify.shop('s.myshopify.com'))?.scopes, 'read_products')
  const redelivered = { webhookId: 'wh-1', topic: 'CUSTOMERS_DATA_REQUEST', shop: 's.myshopify.com', receivedAt: 9 }
  const effect: DeliveryEffect = { kind: 'data-request', customerId: '1', requestId: '9', ordersRequested: [] }
  t.equal(await shopify.processDelivery(redelivered, effect), null, 'a copied delivery id stays a duplicate')
  await shopify.processDelivery({ ...redelivered, webhookId: 'wh-2' }, effect)
  const reports = await shopify.dataRequests({ shop: 's.myshopify.com', limit: 10 })
  t.same(
    reports.map((r) => [r.webhookId, r.id]),
    [
      ['wh-2', 2],
      ['wh-1', 1]
    ]
  )

  // New rows continue after the copied ids.
  const maxId = Math.max(...(await sqlite.acceptancesFor('ref-0')).map((r) => r.id), 15)
  await pg.acceptOnce(
    {
      offerId: 'new-offer',
      referenceId: 'ref-new',
      shopDomain: 's.myshopify.com',
      customerId: null,
      ruleId: 'r',
      arm: null,
      variantId: 1,
      quantity: 1,
      changes: '[]',
      jti: 'j',
      token: 't',
      createdAt: 1
    },
    3
  )
  t.ok(((await pg.acceptance('new-offer'))?.id ?? 0) > maxId, 'the identity continues after the copied ids')

  const again = await run()
  t.equal(again.status, 1, 'a second copy into a database with data is refused')
  t.match(again.stderr, /already holds decisions: copy into an empty one/)
  await sqlite.close()
})
