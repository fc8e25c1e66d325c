// GET /admin/stats through the real routes, on SQLite and on PostgreSQL: checkouts counted once, intervals and lift
// equal to hand-computed values.
import t from 'tap'
import { buildWorld, standardRules, HAT, BOOTS, ADMIN_TOKEN } from '../support/server-world.js'
import { post } from '../support/server-world.js'
import { adminGet, drive, refInArm } from './world.js'
import { eachDatabase } from '../support/databases.js'

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

eachDatabase(
  t,
  'one experiment worked out by hand: counts, Wilson, mean interval, Welch lift and the verdict',
  async (t, db) => {
    const w = await buildWorld(t, { rules, config: db.config })
    const shown = (i: number) => refInArm('hat', false, `shown-${process.pid}-${i}`)
    const held = (i: number) => refInArm('hat', true, `held-${process.pid}-${i}`)
    // 20-off: 10.00 and 20.00 applied, one viewed and declined, one never viewed. Revenues 10, 20, 0, 0.
    const c1 = await drive(w.app, {
      productIds: [HAT],
      referenceId: shown(1),
      view: true,
      accept: true,
      amount: '10.00'
    })
    t.ok(c1.rendered)
    await drive(w.app, { productIds: [HAT], referenceId: shown(2), view: true, accept: true, amount: '20.00' })
    await drive(w.app, { productIds: [HAT], referenceId: shown(3), view: true, decline: true })
    await drive(w.app, { productIds: [HAT], referenceId: shown(4) })
    // Repeats change nothing: the same checkout asks again, views twice and reports `applied` twice.
    await post(w.app, '/api/offer', c1.token)
    await post(w.app, '/api/events', c1.token, { offerId: c1.offerId, type: 'viewed' })
    await post(w.app, '/api/events', c1.token, { offerId: c1.offerId, type: 'applied', amount: '99.00' })
    // none (the holdout): three checkouts, each asking twice; nothing shown, revenue 0.
    for (let i = 1; i <= 3; i++) {
      const h = await drive(w.app, { productIds: [HAT], referenceId: held(i) })
      t.notOk(h.rendered, 'holdout shows nothing')
      await post(w.app, '/api/offer', h.token)
    }

    const { status, body } = await adminGet(w.app, '/admin/stats')
    t.equal(status, 200)
    t.equal(body.shop, null)
    t.equal(new Date(body.to).getTime() - new Date(body.from).getTime(), 30 * 86_400_000, 'default: the last 30 days')
    const arm = body.rows.find((r: any) => r.arm === '20-off')
    const hold = body.rows.find((r: any) => r.arm === 'none')
    t.match(arm, {
      ruleId: 'hat-test',
      holdout: false,
      currency: 'USD',
      checkouts: 4,
      offers: 4,
      views: 3,
      accepts: 2,
      declines: 1,
      applied: 2,
      confirmed: 0,
      revenue: 30,
      revenueConfirmed: 0
    })
    // Wilson for 2 of 3: p = 0.666667, denominator 1 + 3.8416/3 = 2.280533,
    // centre = (0.666667 + 3.8416/6) / 2.280533 = 0.573082,
    // half = (1.96 / 2.280533) · √(0.666667·0.333333/3 + 3.8416/36) = 0.859449 · √0.180786 = 0.365427
    t.same(arm.acceptRate, { value: 0.6667, low: 0.2077, high: 0.9385 })
    // Revenues 10, 20, 0, 0: mean 7.5, s² = (500 − 900/4)/3 = 91.6667, 1.96 · √91.6667 / 2 = 9.382786
    t.same(arm.revenuePerCheckout, { value: 7.5, low: -1.8828, high: 16.8828 })
    // Holdout: 0, 0, 0: mean 0, s = 0. Lift: 7.5 ± 1.96·√(91.6667/4 + 0/3) = 7.5 ± 9.382786, contains 0.
    t.same(arm.lift, { vsArm: 'none', value: 7.5, low: -1.8828, high: 16.8828, significant: false })
    // Needed per arm: 1.96² · (91.6667 + 0) / 7.5² = 6.26 → 7; (7 − 4) + (7 − 3) = 7 more.
    t.equal(arm.verdict, 'not enough data yet: about 7 more checkouts needed')
    t.match(hold, { holdout: true, checkouts: 3, offers: 0, views: 0, accepts: 0, revenue: 0, lift: null })
    t.equal(hold.acceptRate, null, 'no views, no rate')
    t.same(hold.revenuePerCheckout, { value: 0, low: 0, high: 0 })
    const points = body.series.filter((s: any) => s.ruleId === 'hat-test')
    t.equal(
      points.reduce((n: number, s: any) => n + s.checkouts, 0),
      7,
      'the series adds up to the rows'
    )
    t.equal(
      points.reduce((n: number, s: any) => n + s.revenue, 0),
      30
    )
  }
)

eachDatabase(t, 'a significant lift reads as a plain sentence', async (t, db) => {
  const w = await buildWorld(t, { rules, config: db.config })
  // 20-off: 10, 20, 30. Holdout: nothing in 4 checkouts. diff 20, se = √(100/3) = 5.773503,
  // 1.96·se = 11.316065: 8.683935 to 31.316065
  for (const [i, amount] of ['10.00', '20.00', '30.00'].entries()) {
    await drive(w.app, {
      productIds: [HAT],
      referenceId: refInArm('hat', false, `s${i}`),
      view: true,
      accept: true,
      amount
    })
  }
  for (let i = 0; i < 4; i++) await drive(w.app, { productIds: [HAT], referenceId: refInArm('hat', true, `h${i}`) })
  const { body } = await adminGet(w.app, '/admin/stats')
  const arm = body.rows.find((r: any) => r.arm === '20-off')
  t.same(arm.lift, { vsArm: 'none', value: 20, low: 8.6839, high: 31.3161, significant: true })
  t.equal(arm.verdict, '20-off earns 20.00 more per checkout than showing nothing, 95 % interval 8.68 to 31.32')
})

eachDatabase(t, 'one currency per row: a shop selling in EUR and USD gets two rows, never a sum', async (t, db) => {
  const w = await buildWorld(t, { config: db.config })
  await drive(w.app, { productIds: [BOOTS], view: true, accept: true, amount: '12.50' })
  await drive(w.app, { productIds: [BOOTS], currency: 'EUR', view: true, accept: true, amount: '7.00' })
  const { body } = await adminGet(w.app, '/admin/stats')
  const socks = body.rows.filter((r: any) => r.ruleId === 'socks')
  t.same(
    socks.map((r: any) => [r.currency, r.checkouts, r.revenue]),
    [
      ['EUR', 1, 7],
      ['USD', 1, 12.5]
    ]
  )
})

eachDatabase(
  t,
  'an acceptance whose viewed event was lost counts as a view: the accept rate never passes 1',
  async (t, db) => {
    const w = await buildWorld(t, { config: db.config })
    await drive(w.app, { productIds: [BOOTS], view: false, accept: true, amount: '12.50' })
    await drive(w.app, { productIds: [BOOTS], view: true, decline: true })
    for (const bucket of ['day', 'hour']) {
      const { status, body } = await adminGet(w.app, `/admin/stats?bucket=${bucket}`)
      t.equal(status, 200, bucket)
      const socks = body.rows.find((r: any) => r.ruleId === 'socks')
      t.same([socks.views, socks.accepts], [2, 1], bucket)
      t.equal(socks.acceptRate.value, 0.5, bucket)
      t.ok(socks.acceptRate.low >= 0 && socks.acceptRate.high <= 1, bucket)
    }
  }
)

eachDatabase(t, 'invalid queries are 400 INVALID_QUERY, never 500', async (t, db) => {
  const w = await buildWorld(t, { config: db.config })
  for (const q of [
    'to=99999999999999999999',
    'to=8640000000000001',
    'from=-8640000000000001',
    'from=yesterday-ish',
    'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z',
    'bucket=week',
    'bucket=hour&from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z',
    'shop=not a shop',
    'color=red',
    'from=1.5'
  ]) {
    const { status, body } = await adminGet(w.app, `/admin/stats?${q}`)
    t.equal(status, 400, q)
    t.equal(body.error.code, 'INVALID_QUERY', q)
  }
  const edge = await adminGet(w.app, '/admin/stats?from=-8640000000000000&to=8640000000000000')
  t.equal(edge.status, 200, 'the extremes of Date are fine')
  const unknown = await adminGet(w.app, '/admin/stats?shop=nobody-here.myshopify.com', ADMIN_TOKEN)
  t.equal(unknown.status, 404)
  t.equal(unknown.body.error.code, 'SHOP_UNKNOWN')
})

eachDatabase(t, 'the window is [from, to): a checkout at `to` is left out, one at `from` is in', async (t, db) => {
  const w = await buildWorld(t, { config: db.config })
  const { ref } = await drive(w.app, { productIds: [BOOTS] })
  const at = (await adminGet(w.app, '/admin/stats')).body.rows[0]
  t.equal(at.checkouts, 1)
  const created = { c: (await w.app.storage.decisionsFor(ref))[0]!.createdAt }
  const inside = await adminGet(w.app, `/admin/stats?from=${created.c}&to=${created.c + 1}`)
  t.equal(inside.body.rows[0]?.checkouts, 1)
  const before = await adminGet(w.app, `/admin/stats?from=${created.c - 1000}&to=${created.c}`)
  t.same(before.body.rows, [])
})
