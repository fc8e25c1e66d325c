// The follow-on question through the real routes: the buyer's next 30 days, exposed against holdout, worked by hand.
import t, { type Test } from 'tap'
import { buildWorld, standardRules, HAT, type Teardown } from '../support/server-world.js'
import { eachDatabase, type TestDatabase } from '../support/databases.js'
import { adminGet, drive, orderWebhook, refInArm, sessionToken } from './world.js'

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
