// /admin/*: bearer auth (503 until ADMIN_TOKEN is set), decisions with recomputed explanations, stats, and reload.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildWorld,
  checkout,
  tokenFor,
  post,
  offered,
  writeRules,
  standardRules,
  ADMIN_TOKEN,
  HAT
} from '../support/server-world.js'

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }

t.test('admin endpoints answer 503 until ADMIN_TOKEN is set, then 401 without it', async (t) => {
  const off = await buildWorld(t, { config: { adminToken: null } })
  const res = await off.app.inject({ method: 'GET', url: '/admin/stats', headers: admin })
  t.equal(res.statusCode, 503)
  t.equal(res.json().error.code, 'ADMIN_DISABLED')

  const on = await buildWorld(t)
  for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: ADMIN_TOKEN }]) {
    const r = await on.app.inject({ method: 'POST', url: '/admin/rules/reload', headers })
    t.equal(r.statusCode, 401)
    t.equal(r.json().error.code, 'ADMIN_UNAUTHORIZED')
  }
})

t.test('decisions come back with explanations recomputed from the stored ruleset, never with the token', async (t) => {
  const w = await buildWorld(t)
  const { token, offer, ref } = await offered(w)
  const signed = (await post(w.app, '/api/sign-changeset', token, { offerId: offer.id })).body.token
  await post(w.app, '/api/offer', token, { after: { offerId: offer.id, outcome: 'accepted' } })
  const firstHash = w.app.rules.current().hash

  // The rules change afterwards: old decisions are still explained with the rules they were decided with.
  writeRules(
    w.rulesDir,
    standardRules().filter((r) => r.id !== 'socks')
  )
  t.equal((await w.app.inject({ method: 'POST', url: '/admin/rules/reload', headers: admin })).statusCode, 200)

  const res = await w.app.inject({ method: 'GET', url: `/admin/decisions/${ref}`, headers: admin })
  t.equal(res.statusCode, 200)
  t.notMatch(res.body, signed, 'the signed token is not exposed')
  const body = res.json()
  t.equal(body.decisions.length, 2)
  const [first, second] = body.decisions
  t.equal(first.rulesetHash, firstHash)
  t.equal(first.ruleId, 'socks')
  t.equal(first.answer, 'accepted')
  t.equal(first.acceptance.quantity, 1)
  t.equal(first.explanation.ruleId, 'socks')
  t.ok(
    first.explanation.rules.some((r: { ruleId: string; status: string }) => r.ruleId === 'socks' && r.status === 'won')
  )
  t.equal(second.ruleId, 'gift-wrap')
  t.same(second.after, { offerId: offer.id, outcome: 'accepted' })
  t.same(second.history.accepted, ['socks'])
  t.equal(second.explanation.ruleId, 'gift-wrap')

  const none = await w.app.inject({ method: 'GET', url: '/admin/decisions/unknown-ref', headers: admin })
  t.same(none.json(), { referenceId: 'unknown-ref', orderId: null, decisions: [] })
})

t.test(
  'stats count checkouts, views, accepts, declines and revenue per rule and arm, with the lift over the holdout',
  async (t) => {
    const w = await buildWorld(t, {
      rules: [
        ...standardRules().filter((r) => r.id !== 'hat-test'),
        {
          id: 'hat-test',
          priority: 10,
          conditions: { all: [{ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [HAT] }] },
          offer: { variantId: 2300 },
          experiment: {
            name: 'hat',
            arms: [
              { id: 'holdout', weight: 50, holdout: true },
              { id: 'show', weight: 50 }
            ]
          }
        }
      ]
    })
    // Socks: two offers, one accepted and applied for 12.50, one declined.
    const a = tokenFor(checkout())
    const offerA = (await post(w.app, '/api/offer', a)).body.offer
    await post(w.app, '/api/events', a, { offerId: offerA.id, type: 'viewed' })
    await post(w.app, '/api/sign-changeset', a, { offerId: offerA.id })
    await post(w.app, '/api/events', a, { offerId: offerA.id, type: 'applied', status: 'processed', amount: '12.50' })
    const b = tokenFor(checkout())
    const offerB = (await post(w.app, '/api/offer', b)).body.offer
    await post(w.app, '/api/events', b, { offerId: offerB.id, type: 'viewed' })
    await post(w.app, '/api/events', b, { offerId: offerB.id, type: 'declined' })
    // Hats: enough checkouts to land in both arms.
    for (let i = 0; i < 20; i++) {
      const token = tokenFor(checkout({ productIds: [HAT] }))
      const r = (await post(w.app, '/api/offer', token)).body
      if (r.render) {
        await post(w.app, '/api/sign-changeset', token, { offerId: r.offer.id })
        await post(w.app, '/api/events', token, { offerId: r.offer.id, type: 'applied', amount: '10.00' })
      }
    }
    // `to` a minute ahead: the default `to` is now, and [from, to) would leave out a checkout stored this millisecond.
    const soon = Date.now() + 60_000
    const res = await w.app.inject({ method: 'GET', url: `/admin/stats?to=${soon}`, headers: admin })
    t.equal(res.statusCode, 200)
    const rows = res.json().rows as Record<string, any>[]
    const socks = rows.find((r) => r.ruleId === 'socks')
    t.match(socks, {
      arm: null,
      currency: 'USD',
      checkouts: 2,
      offers: 2,
      views: 2,
      accepts: 1,
      declines: 1,
      acceptRate: { value: 0.5 },
      revenue: 12.5,
      revenuePerCheckout: { value: 6.25 },
      lift: null
    })
    const hold = rows.find((r) => r.ruleId === 'hat-test' && r.arm === 'holdout')
    const show = rows.find((r) => r.ruleId === 'hat-test' && r.arm === 'show')
    t.ok(hold && show, 'both arms appear')
    t.equal(hold?.checkouts + show?.checkouts, 20)
    t.equal(show?.revenue, 10 * show?.checkouts)
    // Every shown checkout earned exactly 10 and every holdout one 0: no spread, so the interval is the point.
    t.same(show?.lift, { vsArm: 'holdout', value: 10, low: 10, high: 10, significant: true })
    t.equal(hold?.lift, null)

    const future = await w.app.inject({
      method: 'GET',
      url: `/admin/stats?from=${new Date(Date.now() + 60_000).toISOString()}&to=${Date.now() + 120_000}`,
      headers: admin
    })
    t.same(future.json().rows, [], 'the window filters')
    const bad = await w.app.inject({ method: 'GET', url: '/admin/stats?from=yesterday-ish', headers: admin })
    t.equal(bad.statusCode, 400)
    t.equal(bad.json().error.code, 'INVALID_QUERY')
  }
)

t.test('reload answers with what changed, or with the errors while the last good ruleset keeps serving', async (t) => {
  const w = await buildWorld(t)
  const before = w.app.rules.current().hash
  const same = (await w.app.inject({ method: 'POST', url: '/admin/rules/reload', headers: admin })).json()
  t.match(same, { ok: true, unchanged: true, hash: before })

  writeRules(
    w.rulesDir,
    standardRules().filter((r) => r.id !== 'hat-test')
  )
  const changed = (await w.app.inject({ method: 'POST', url: '/admin/rules/reload', headers: admin })).json()
  t.match(changed, { ok: true, unchanged: false, removed: ['hat-test'], added: [], count: 3 })

  writeFileSync(join(w.rulesDir, 'offers', 'broken.json'), '{ "id": "broken", ')
  const res = await w.app.inject({ method: 'POST', url: '/admin/rules/reload', headers: admin })
  t.equal(res.statusCode, 422)
  const body = res.json()
  t.equal(body.error.code, 'RULES_INVALID')
  t.ok(body.errors.some((d: { file: string }) => d.file === 'offers/broken.json'))
  t.match(body.report, /offers\/broken\.json/)
  t.equal(w.app.rules.current().hash, changed.hash, 'still serving the last good ruleset')
  const health = (await w.app.inject({ method: 'GET', url: '/health' })).json()
  t.match(health, { status: 'ok', rules: { hash: changed.hash, count: 3 } })
  t.equal((await post(w.app, '/api/offer', tokenFor(checkout()))).body.render, true, 'offers still work')
})

t.test(
  'explanations come from the checkout facts stored once, from legacy rows, and say when facts were pruned',
  async (t) => {
    const w = await buildWorld(t)
    const { ref } = await offered(w)
    const sqlite = w.app.database.sqlite
    t.same(
      sqlite.prepare('SELECT currency, customer_id AS customerId FROM checkouts WHERE reference_id = ?').get(ref),
      { currency: 'USD', customerId: '207119551' },
      'one checkouts row with the columns reports read'
    )
    // A row stored before the checkouts table: its facts live in the row itself.
    const legacy = checkout({ productIds: [HAT] })
    const legacyRef = (legacy.initialPurchase as { referenceId: string }).referenceId
    sqlite
      .prepare(
        `INSERT INTO decisions (id, reference_id, shop_domain, customer_id, rule_id, arm, holdout, skipped, ruleset_hash,
       facts, created_at) VALUES ('dc_legacy', ?, 'test-shop.myshopify.com', NULL, 'hat-test', 'holdout', 1,
       'holdout', ?, ?, ?)`
      )
      .run(
        legacyRef,
        w.app.rules.current().hash,
        JSON.stringify({
          inputData: legacy,
          history: { shown: [], accepted: [], declined: [] },
          catalog: null,
          only: null
        }),
        Date.now()
      )
    const get = async (r: string) =>
      (await w.app.inject({ method: 'GET', url: `/admin/decisions/${r}`, headers: admin })).json().decisions[0]
    const old = await get(legacyRef)
    t.equal(old.explanation.ruleId, 'hat-test', 'a legacy row is explained from its own facts')
    t.equal(old.explanationError, null)

    // Retention: the facts go, the decision stays, and the report says why there is no explanation.
    await w.app.storage.pruneFacts(Date.now() + 1000, 100)
    const pruned = await get(ref)
    t.equal(pruned.ruleId, 'socks')
    t.equal(pruned.explanation, null)
    t.match(pruned.explanationError, /pruned after the retention period/)
  }
)
