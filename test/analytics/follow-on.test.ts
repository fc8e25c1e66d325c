// The follow-on question through the real routes: the buyer's next 30 days, exposed against holdout, worked by hand.
import t, { type Test } from 'tap'
import { buildWorld, standardRules, HAT, type Teardown } from '../support/server-world.js'
import { eachDatabase, type TestDatabase } from '../support/databases.js'
import { adminGet, drive, orderWebhook, refInArm, sessionToken } from './world.js'
import { FOLLOW_ON_MS, followOnFigures, followOnKey, type FollowOnAgg } from '../../server/analytics/follow-on.js'
import { FOLLOW_ON_FILLED } from '../../server/analytics/follow-on-upkeep.js'
import Database from 'better-sqlite3'
import pg from 'pg'

const SHOP = 'test-shop.myshopify.com'
const OTHER = 'other-shop.myshopify.com'
const DAY = 86_400_000
type Tap = Test

const hatRule = {
  id: 'hat-test',
  priority: 10,
  conditions: { all: [{ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [HAT] }] },
  offer: { variantId: 2300, content: { headline: 'A hat' } },
  experiment: {
    name: 'hat',
    arms: [
      { id: 'none', weight: 50, holdout: true },
      { id: '20-off', weight: 50 }
    ]
  }
}
const rules = [...standardRules().filter((r) => r.id !== 'hat-test'), hatRule]

/** Drives a checkout as if it happened at `at` (the service reads Date.now for every stamp). */
async function at<T>(t: Teardown, when: number, fn: () => Promise<T>): Promise<T> {
  const real = Date.now
  t.teardown(() => {
    Date.now = real
  })
  Date.now = () => when
  try {
    return await fn()
  } finally {
    Date.now = real
  }
}

let nextOrder = 9000
const order = (o: { ref?: string; customer: number | null; created: number; total: string; currency?: string }) => ({
  id: nextOrder++,
  ...(o.ref ? { checkout_token: o.ref } : {}),
  currency: o.currency ?? 'USD',
  created_at: new Date(o.created).toISOString(),
  ...(o.customer === null ? {} : { customer: { id: o.customer } }),
  total_price: o.total,
  line_items: [],
  refunds: []
})

async function world(t: Tap, db: TestDatabase) {
  const w = await buildWorld(t, { rules, config: db.config })
  const now = Date.now()
  const old = now - 40 * DAY
  const exposed = (i: number, shop = SHOP) => refInArm('hat', false, `fo-x-${shop}-${process.pid}-${i}`)
  const held = (i: number, shop = SHOP) => refInArm('hat', true, `fo-h-${shop}-${process.pid}-${i}`)
  const checkout = (shop: string, ref: string, customerId: number | null, when: number) =>
    at(t, when, () => drive(w.app, { shop, productIds: [HAT], referenceId: ref, customerId }))
  const send = async (shop: string, payload: unknown) => {
    const res = await w.app.inject(orderWebhook('orders/create', shop, payload))
    t.equal(res.statusCode, 200, 'order webhook accepted')
  }
  // Exposed arm (20-off) of SHOP.
  const a1 = await checkout(SHOP, exposed(1), 1001, old)
  t.ok(a1.rendered, 'the exposed arm shows the offer')
  await checkout(SHOP, exposed(2), 1002, old)
  await checkout(SHOP, exposed(3), 1003, old)
  await checkout(SHOP, exposed(4), null, old) // a guest
  await checkout(SHOP, exposed(5), 1005, now - 10 * DAY) // recent: its 30 days are not over
  // Holdout arm (none) of SHOP.
  const h1 = await checkout(SHOP, held(1), 2001, old)
  t.notOk(h1.rendered, 'the holdout shows nothing')
  await checkout(SHOP, held(2), 2002, old)
  await checkout(SHOP, held(3), null, old) // a guest
  await checkout(SHOP, held(4), 2004, now - 10 * DAY) // recent

  // 1001: its own checkout's order (excluded), one at +5 days (30.00), one at +31 days (outside the window).
  await send(SHOP, order({ ref: a1.ref, customer: 1001, created: old + 60_000, total: '50.00' }))
  await send(SHOP, order({ customer: 1001, created: old + 5 * DAY, total: '30.00' }))
  await send(SHOP, order({ customer: 1001, created: old + 31 * DAY, total: '99.00' }))
  // 1002: nothing. 1003: two later orders, 20.00 and 40.00; and one in EUR, another currency, not added in.
  await send(SHOP, order({ customer: 1003, created: old + 10 * DAY, total: '20.00' }))
  await send(SHOP, order({ customer: 1003, created: old + 20 * DAY, total: '40.00' }))
  await send(SHOP, order({ customer: 1003, created: old + 21 * DAY, total: '7.00', currency: 'EUR' }))
  // 1005 (recent) orders too, but is left out. 2001 (holdout): one at +3 days (10.00). 2002: nothing.
  await send(SHOP, order({ customer: 1005, created: now - 5 * DAY, total: '500.00' }))
  await send(SHOP, order({ customer: 2001, created: old + 3 * DAY, total: '10.00' }))
  // Another shop with the same customer ids: its checkouts and orders belong to it alone.
  await checkout(OTHER, held(1, OTHER), 1001, old)
  await checkout(OTHER, exposed(1, OTHER), 2002, old)
  await send(OTHER, order({ customer: 1001, created: old + 2 * DAY, total: '777.00' }))
  await send(OTHER, order({ customer: 2002, created: old + 2 * DAY, total: '333.00' }))
  const range = `from=${new Date(now - 60 * DAY).toISOString()}&to=${new Date(now + 1000).toISOString()}`
  return { w, range }
}

eachDatabase(t, 'follow-on worked out by hand: guests and recent checkouts left out and counted', async (t, db) => {
  const { w, range } = await world(t, db)
  const { status, body } = await adminGet(w.app, `/admin/stats?shop=${SHOP}&${range}`)
  t.equal(status, 200)
  const arm = body.rows.find((r: any) => r.ruleId === 'hat-test' && r.arm === '20-off')
  const hold = body.rows.find((r: any) => r.ruleId === 'hat-test' && r.arm === 'none')
  t.match(arm, { checkouts: 5 }, 'the main figures still count every checkout')
  // Exposed: measured 1001 (30), 1002 (0), 1003 (20 + 40 = 60): n = 3, 3 orders → 1 per checkout.
  // Mean 90 / 3 = 30; s² = (30² + 0² + 60² − 90²/3) / 2 = (4500 − 2700) / 2 = 900; 1.96 · √(900/3) = 33.948195.
  t.same(arm.followOn, {
    checkouts: 3,
    excludedGuests: 1,
    excludedRecent: 1,
    ordersPerCheckout: 1,
    revenuePerCheckout: { value: 30, low: -3.9482, high: 63.9482 },
    // Holdout: 2001 (10), 2002 (0): mean 5, s² = (100 − 100/2) / 1 = 50.
    // Lift 30 − 5 = 25 ± 1.96 · √(900/3 + 50/2) = 25 ± 1.96 · 18.027756 = 25 ± 35.334402: contains 0.
    lift: { vsArm: 'none', value: 25, low: -10.3344, high: 60.3344, significant: false }
  })
  // Holdout: 1 order over 2 checkouts = 0.5; 5 ± 1.96 · √(50/2) = 5 ± 9.8.
  t.same(hold.followOn, {
    checkouts: 2,
    excludedGuests: 1,
    excludedRecent: 1,
    ordersPerCheckout: 0.5,
    revenuePerCheckout: { value: 5, low: -4.8, high: 14.8 },
    lift: null
  })
  const socks = body.rows.filter((r: any) => r.ruleId !== 'hat-test')
  t.ok(
    socks.every((r: any) => r.followOn === null),
    'rules without a holdout have no follow-on'
  )

  // A range of recent checkouts only: nothing measured yet, each arm's recent checkout counted as left out.
  const recentOnly = `from=${new Date(Date.now() - 20 * DAY).toISOString()}`
  const recent = (await adminGet(w.app, `/admin/stats?shop=${SHOP}&${recentOnly}`)).body
  t.match(recent.rows.find((r: any) => r.arm === '20-off').followOn, {
    checkouts: 0,
    excludedRecent: 1,
    ordersPerCheckout: null,
    revenuePerCheckout: null,
    lift: null
  })
  t.match(recent.rows.find((r: any) => r.arm === 'none').followOn, { checkouts: 0, excludedRecent: 1 })
})

eachDatabase(t, "a shop's session token never sees another shop's follow-on", async (t, db) => {
  const { w, range } = await world(t, db)
  const mine = await adminGet(w.app, `/admin/stats?${range}`, sessionToken(SHOP))
  t.equal(mine.status, 200)
  t.equal(mine.body.shop, SHOP)
  const arm = mine.body.rows.find((r: any) => r.arm === '20-off')
  t.match(arm.followOn, { checkouts: 3, revenuePerCheckout: { value: 30 } }, "OTHER's 777.00 of 1001 not counted")
  // As amounts only: a timestamp in the answer may hold those digits (`.777Z`, an epoch time).
  t.notMatch(mine.raw, /(?<![\d.])(?:777|333)(?:\.0+)?(?!\d)/, "nothing of the other shop's orders")
  const theirs = await adminGet(w.app, `/admin/stats?${range}`, sessionToken(OTHER))
  t.equal(theirs.status, 200)
  // OTHER: holdout 1001 → 777; exposed 2002 → 333. Each arm one checkout, no guests, none recent.
  t.match(theirs.body.rows.find((r: any) => r.arm === 'none').followOn, {
    checkouts: 1,
    excludedGuests: 0,
    revenuePerCheckout: { value: 777 }
  })
  t.match(theirs.body.rows.find((r: any) => r.arm === '20-off').followOn, {
    checkouts: 1,
    revenuePerCheckout: { value: 333 },
    lift: { vsArm: 'none', value: -444 }
  })
  t.notMatch(theirs.raw, /"value":30\b|"value":5\b/, "nothing of SHOP's follow-on")
  // The operator, all shops together, adds both up: exposed 30, 0, 60, 333 → n = 4.
  const all = await adminGet(w.app, `/admin/stats?${range}`)
  t.match(all.body.rows.find((r: any) => r.arm === '20-off').followOn, { checkouts: 4, excludedGuests: 1 })
})

eachDatabase(t, 'random traffic: the pre-aggregated follow-on equals a direct computation', async (t, db) => {
  let w = await buildWorld(t, { rules, config: db.config })
  let seed = 11
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x80000000
  }
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!
  const now = Date.now()
  const customers = [301, 302, 303, 304, 305, null]
  type Checkout = { ref: string; customer: number | null; at: number; holdout: boolean; currency: string }
  type Order = {
    id: number
    ref: string | null
    customer: number | null
    created: number
    total: number
    currency: string
  }
  const checkouts: Checkout[] = []
  const orders = new Map<number, Order>()
  const send = async (topic: string, o: Order) => {
    const payload = {
      ...order({
        ...(o.ref ? { ref: o.ref } : {}),
        customer: o.customer,
        created: o.created,
        total: o.total.toFixed(2),
        currency: o.currency
      }),
      id: o.id
    }
    t.equal((await w.app.inject(orderWebhook(topic, SHOP, payload))).statusCode, 200, `${topic} accepted`)
    // As stored: the first creation time, the customer once known, the latest total and currency.
    const prev = orders.get(o.id)
    orders.set(o.id, {
      ...o,
      created: prev?.created ?? o.created,
      customer: o.customer ?? prev?.customer ?? null,
      ref: o.ref ?? prev?.ref ?? null
    })
  }
  const randomOrder = (): Order => ({
    id: nextOrder++,
    ref: null,
    customer: pick(customers.slice(0, 5)),
    // Whole days and quarter days, so that orders fall exactly on window boundaries too.
    created: now - Math.floor(rnd() * 60 * 4) * (DAY / 4),
    total: 1 + Math.floor(rnd() * 90),
    currency: rnd() < 0.85 ? 'USD' : 'EUR'
  })
  const check = async (label: string) => {
    await w.app.analytics.catchUp()
    for (let k = 0; k < 8; k++) {
      const from = now - Math.floor(rnd() * 60 * 24) * 3_600_000 - Math.floor(rnd() * 60) * 60_000
      const to = Math.min(now + 1000, from + Math.floor(rnd() * 60 * 24 + 1) * 3_600_000)
      const asOf = now + Math.floor((rnd() - 0.5) * 30 * 24) * 3_600_000
      const report = await w.app.analytics.report({ from, to, bucket: 'day' }, SHOP, asOf)
      const aggs = new Map<string, FollowOnAgg>()
      for (const c of checkouts.filter((c) => c.at >= from && c.at < to)) {
        const arm = c.holdout ? 'none' : '20-off'
        const key = `${arm} ${c.currency}`
        const a = aggs.get(key) ?? {
          ...{ ruleId: 'hat-test', arm, currency: c.currency, holdout: c.holdout ? 1 : 0 },
          ...{ checkouts: 0, guests: 0, recent: 0, orders: 0, revenue: 0, revenueSq: 0 }
        }
        aggs.set(key, a)
        if (c.customer === null) a.guests++
        else if (c.at > asOf - FOLLOW_ON_MS) a.recent++
        else {
          const later = [...orders.values()].filter(
            (o) =>
              o.customer === c.customer &&
              o.currency === c.currency &&
              o.created >= c.at &&
              o.created < c.at + FOLLOW_ON_MS &&
              o.ref !== c.ref
          )
          const sum = later.reduce((s, o) => s + o.total, 0)
          a.checkouts++
          a.orders += later.length
          a.revenue += sum
          a.revenueSq += sum * sum
        }
      }
      const expected = followOnFigures([...aggs.values()])
      const anyHoldout = [...aggs.values()].some((a) => a.holdout === 1)
      for (const row of report.rows.filter((r) => r.ruleId === 'hat-test'))
        t.same(
          row.followOn,
          anyHoldout ? expected.get(followOnKey(row)) : null,
          `${label} ${new Date(from).toISOString()}..${new Date(to).toISOString()} as of ${new Date(asOf).toISOString()}: ${row.arm} ${row.currency}`
        )
    }
  }
  // Orders that arrive before the checkouts they follow (the consumer reads the checkout after them).
  for (let i = 0; i < 8; i++) await send('orders/create', randomOrder())
  for (let i = 0; i < 30; i++) {
    const holdout = rnd() < 0.5
    const c: Checkout = {
      ref: refInArm('hat', holdout, `fo-r-${process.pid}-${i}`),
      customer: pick(customers),
      at: now - Math.floor(rnd() * 58 * 8) * (DAY / 8) - Math.floor(rnd() * 3) * 60_000,
      holdout,
      currency: rnd() < 0.85 ? 'USD' : 'EUR'
    }
    checkouts.push(c)
    await at(t, c.at, () =>
      drive(w.app, {
        shop: SHOP,
        productIds: [HAT],
        referenceId: c.ref,
        customerId: c.customer,
        currency: c.currency
      })
    )
  }
  await check('orders before their checkouts')
  // Orders after them: later orders, a checkout's own order, then changed totals and a customer known only later.
  for (let i = 0; i < 14; i++) await send('orders/create', randomOrder())
  const own = checkouts.find((c) => c.customer !== null)!
  await send('orders/create', { ...randomOrder(), ref: own.ref, customer: own.customer, created: own.at + 60_000 })
  const guestFirst = { ...randomOrder(), customer: null }
  await send('orders/create', guestFirst)
  await send('orders/updated', { ...guestFirst, customer: 302 })
  for (const o of [...orders.values()].slice(0, 6)) await send('orders/updated', { ...o, total: o.total + 5 })

  await check('after the orders')
  // customers/redact: their checkouts become guests, their orders anonymous.
  const redact = orderWebhook('customers/redact', SHOP, {
    shop_id: 1,
    shop_domain: SHOP,
    customer: { id: 303 },
    orders_to_redact: []
  })
  t.equal((await w.app.inject(redact)).statusCode, 200, 'customers/redact accepted')
  for (const c of checkouts) if (c.customer === 303) c.customer = null
  for (const o of orders.values()) if (o.customer === 303) o.customer = null
  await check('after a redaction')

  // A database from before the follow-on columns (they read 0): the first catch-up after a restart fills them.
  await w.close()
  const before = [
    'UPDATE analytics_checkout_rules SET follow_orders = 0, follow_revenue = 0',
    ...['analytics_hourly', 'analytics_daily'].map(
      (x) => `UPDATE ${x} SET follow_customers = 0, follow_orders = 0, follow_revenue = 0, follow_revenue_sq = 0`
    ),
    `DELETE FROM analytics_watermarks WHERE source = '${FOLLOW_ON_FILLED}'`
  ]
  if (db.kind === 'sqlite') {
    const file = new Database(db.config.databasePath)
    for (const q of before) file.prepare(q).run()
    file.close()
  } else {
    const client = new pg.Client({ connectionString: db.config.databaseUrl! })
    await client.connect()
    for (const q of before) await client.query(q)
    await client.end()
  }
  w = await buildWorld(t, { rules, config: db.config })
  await check('filled after an upgrade')
})
