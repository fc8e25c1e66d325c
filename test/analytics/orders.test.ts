// Order webhooks confirm revenue: the added line matched to the acceptance, net of refunds, each counted once (on
// SQLite and on PostgreSQL).
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildWorld, BOOTS, SOCKS_VARIANT } from '../support/server-world.js'
import { adminGet, drive, orderWebhook } from './world.js'
import { eachDatabase } from '../support/databases.js'
import { postgresUnavailable, startPostgres } from '../../scripts/lib/postgres-cluster.js'
import { PostgresStorage } from '../../server/db/postgres-storage.js'

/** The reasons stored in analytics_skipped, oldest first, on whichever database the app runs. */
async function skippedReasons(app: FastifyInstance): Promise<string[]> {
  const sql = 'SELECT reason FROM analytics_skipped ORDER BY id'
  if (app.storage instanceof PostgresStorage) return (await app.storage.pool.query(sql)).rows.map((r) => r.reason)
  return app.database.sqlite
    .prepare<[], { reason: string }>(sql)
    .all()
    .map((r) => r.reason)
}

const SHOP = 'test-shop.myshopify.com'
const OTHER = 'other-shop.myshopify.com'

const money = (amount: string, currency = 'USD') => ({ shop_money: { amount, currency_code: currency } })
const bootsLine = { id: 1, variant_id: BOOTS * 10, quantity: 1, price: '100.00', price_set: money('100.00') }
/** The line a changeset adds: 15.00 less a 3.00 discount = 12.00. */
const socksLine = (currency = 'USD') => ({
  id: 2,
  variant_id: SOCKS_VARIANT,
  quantity: 1,
  price: '15.00',
  price_set: money('15.00', currency),
  discount_allocations: [{ amount: '3.00', amount_set: money('3.00', currency) }]
})
const order = (ref: string, lines: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 5001,
  checkout_token: ref,
  currency: 'USD',
  created_at: new Date().toISOString(),
  customer: { id: 207119551 },
  total_price: '112.00',
  line_items: lines,
  refunds: [],
  ...extra
})
const refund = (orderId: number, lineId: number, refundLineId: number, amount: string, currency = 'USD') => ({
  id: 700 + refundLineId,
  order_id: orderId,
  refund_line_items: [
    { id: refundLineId, line_item_id: lineId, quantity: 1, subtotal: amount, subtotal_set: money(amount, currency) }
  ]
})

eachDatabase(
  t,
  'confirmed revenue replaces the reported one, net of refunds, whatever the deliveries',
  async (t, db) => {
    const w = await buildWorld(t, { config: db.config })
    const c1 = await drive(w.app, { productIds: [BOOTS], view: true, accept: true, amount: '12.50' })
    const c2 = await drive(w.app, { productIds: [BOOTS], view: true, accept: true, amount: '9.00' })
    const send = async (topic: string, payload: unknown, id?: string, shop = SHOP) => {
      const res = await w.app.inject(orderWebhook(topic, shop, payload, id))
      return { status: res.statusCode, body: res.json() }
    }
    const socks = async () => (await adminGet(w.app, '/admin/stats')).body.rows.find((r: any) => r.ruleId === 'socks')

    // orders/create before the changeset landed: the line is not there yet, recorded as such.
    t.same(await send('orders/create', order(c1.ref, [bootsLine])), { status: 200, body: { status: 'processed' } })
    t.match(await socks(), { revenue: 21.5, revenueConfirmed: 0 })
    // orders/updated lists the added line: 15.00 − 3.00 = 12.00 replaces the reported 12.50.
    t.equal((await send('orders/updated', order(c1.ref, [bootsLine, socksLine()]), 'wh-upd-1')).status, 200)
    t.match(await socks(), { checkouts: 2, accepts: 2, applied: 2, confirmed: 1, revenue: 21, revenueConfirmed: 12 })
    // The same delivery again, and a new delivery of the same order: nothing counts twice.
    t.same((await send('orders/updated', order(c1.ref, [bootsLine, socksLine()]), 'wh-upd-1')).body, {
      status: 'duplicate'
    })
    await send('orders/updated', order(c1.ref, [bootsLine, socksLine()]), 'wh-upd-2')
    t.match(await socks(), { revenue: 21, revenueConfirmed: 12 })
    // A refund of 4.00 on the added line, delivered under two ids: 12 − 4 = 8, once.
    await send('refunds/create', refund(5001, 2, 90, '4.00'))
    await send('refunds/create', refund(5001, 2, 90, '4.00'))
    t.match(await socks(), { revenue: 17, revenueConfirmed: 8 })
    // The same refund also listed inside a later orders/updated: still once.
    await send('orders/updated', order(c1.ref, [bootsLine, socksLine()], { refunds: [refund(5001, 2, 90, '4.00')] }))
    t.match(await socks(), { revenue: 17, revenueConfirmed: 8 })
    // The revenue per checkout follows: revenues 8 and 9, mean 8.5, s² = 0.5, 1.96·√(0.5/2) = 0.98.
    t.same((await socks()).revenuePerCheckout, { value: 8.5, low: 7.52, high: 9.48 })

    // Skipped with a reason, never a 500: a refund of a line we never added, of an unknown order, another currency.
    t.equal((await send('refunds/create', refund(5001, 1, 91, '100.00'))).status, 200)
    t.equal((await send('refunds/create', refund(9999, 1, 92, '5.00'))).status, 200)
    const eur = order(c2.ref, [bootsLine, socksLine('EUR')], { id: 5002, currency: 'EUR' })
    t.equal((await send('orders/updated', eur)).status, 200)
    t.match(await socks(), { revenue: 17, revenueConfirmed: 8 }, 'the EUR line confirms nothing')
    const reasons = await skippedReasons(w.app)
    t.same(reasons, ['accepted_line_missing', 'refund_line_unknown', 'refund_order_unknown', 'currency_mismatch'])

    // Another shop's order naming our checkout's token matches nothing of ours.
    await send('orders/updated', order(c2.ref, [socksLine()], { id: 6001 }), undefined, OTHER)
    t.match(await socks(), { revenue: 17, revenueConfirmed: 8 })

    // The order id finds the checkout's decisions.
    const look = await adminGet(w.app, '/admin/decisions/5001')
    t.equal(look.body.referenceId, c1.ref)
    t.equal(look.body.orderId, '5001')
    t.equal(look.body.decisions[0].ruleId, 'socks')
  }
)

eachDatabase(t, 'malformed order webhooks are 400 and bad signatures 401, never 500', async (t, db) => {
  const w = await buildWorld(t, { config: db.config })
  for (const [topic, payload] of [
    ['orders/updated', { line_items: [] }],
    ['orders/create', [1, 2]],
    ['refunds/create', { refund_line_items: [] }],
    ['orders/updated', { id: 'not-a-number' }]
  ] as const) {
    const res = await w.app.inject(orderWebhook(topic, SHOP, payload))
    t.equal(res.statusCode, 400, `${topic} ${JSON.stringify(payload)}`)
  }
  const req = orderWebhook('orders/updated', SHOP, { id: 1 })
  const res = await w.app.inject({ ...req, headers: { ...req.headers, 'x-shopify-hmac-sha256': 'AAAA' } })
  t.equal(res.statusCode, 401)
  // Garbage inside a well-formed order is recorded, not fatal.
  const odd = await w.app.inject(
    orderWebhook('orders/updated', SHOP, { id: 5, line_items: [null, 3, { id: 'x', price: 'abc' }], refunds: 'no' })
  )
  t.equal(odd.statusCode, 200)
})

t.test(
  'PostgreSQL: an order webhook waits for transactions older than it, or answers 503 and records nothing',
  { skip: postgresUnavailable() ?? false },
  async (t) => {
    // A cluster of its own: the transaction it holds open for seconds would hold back every database's horizon in
    // the run's shared cluster (transaction ids are the cluster's), and other files' order webhooks with it.
    const cluster = await startPostgres()
    t.teardown(() => cluster.destroy())
    const w = await buildWorld(t, {
      config: { databasePath: t.testdir() + '/unused.db', databaseUrl: cluster.createDatabase('behind') }
    })
    const pool = (w.app.storage as PostgresStorage).pool
    // A transaction with an id, begun before the checkout: the consumer's horizon stays below it while it runs, as
    // any write still running elsewhere on the server (another database of the cluster included) would hold it.
    const slow = await pool.connect()
    t.teardown(() => slow.release())
    const hold = async () => {
      await slow.query('BEGIN')
      await slow.query('SELECT pg_current_xact_id()')
    }
    await hold()
    const c1 = await drive(w.app, { productIds: [BOOTS], view: true, accept: true, amount: '12.50' })
    const linked = async (orderId: string) =>
      (await pool.query('SELECT reference_id AS ref FROM analytics_orders WHERE order_id = $1', [orderId])).rows[0]?.ref
    // It ends while the webhook waits: the checkout and its acceptance are read first, the order linked to them.
    const pending = w.app.inject(orderWebhook('orders/create', SHOP, order(c1.ref, [bootsLine, socksLine()])))
    await new Promise((r) => setTimeout(r, 200))
    await slow.query('COMMIT')
    const res = await pending
    t.same(res.json(), { status: 'processed' })
    t.equal(await linked('5001'), c1.ref, "the order is its checkout's, not a later order of the customer")
    t.match(
      (await adminGet(w.app, '/admin/stats')).body.rows.find((r: any) => r.ruleId === 'socks'),
      {
        revenueConfirmed: 12
      }
    )

    // It outlasts the wait: 503 ANALYTICS_BEHIND, nothing recorded, and Shopify's redelivery is processed.
    await hold()
    const c2 = await drive(w.app, { productIds: [BOOTS], view: true, accept: true, amount: '12.50' })
    const later = order(c2.ref, [bootsLine, socksLine()], { id: 5002 })
    const behind = await w.app.inject(orderWebhook('orders/create', SHOP, later, 'wh-behind'))
    t.equal(behind.statusCode, 503)
    t.equal(behind.json().error.code, 'ANALYTICS_BEHIND')
    t.equal(await linked('5002'), undefined, 'the order is not stored')
    t.equal((await pool.query("SELECT 1 FROM shopify_webhook_deliveries WHERE webhook_id = 'wh-behind'")).rowCount, 0)
    await slow.query('COMMIT')
    t.same((await w.app.inject(orderWebhook('orders/create', SHOP, later, 'wh-behind'))).json(), {
      status: 'processed'
    })
    t.equal(await linked('5002'), c2.ref)
  }
)
