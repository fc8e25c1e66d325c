// POST /api/thank-you/offer and /api/thank-you/accept through inject(), against an in-memory Admin API: ownership,
// one history across both pages, order edits done once, the checkout fallback, and every bad input a clear 4xx.
import t from 'tap'
import {
  buildWorld,
  checkout,
  matchAllRules,
  post,
  tokenFor,
  SOCKS_VARIANT,
  SOCKS_VARIANT_2,
  type Teardown,
  type World
} from '../support/server-world.js'
import { askFor, fakeOrders, paidOrder, sessionToken, SHOP } from '../support/thank-you-orders.js'
import { parseAcceptAnswer, parseOfferAnswer } from '../../extension/thank-you/src/parse.js'
import { eachDatabase } from '../support/databases.js'
import type { PaidOrder } from '../../server/plugins/shopify-default.js'

const OFFER = '/api/thank-you/offer'
const ACCEPT = '/api/thank-you/accept'

async function world(t: Teardown, opts: { rules?: Record<string, unknown>[]; prices?: Record<number, number> } = {}) {
  const fake = fakeOrders(opts.prices ?? { [SOCKS_VARIANT]: 8.1, [SOCKS_VARIANT_2]: 9 })
  const w = await buildWorld(t, { shopify: fake.integration, ...(opts.rules ? { rules: opts.rules } : {}) })
  return { w, fake }
}

/** Asks the Thank-you page's offer for `order` with a token of its customer. */
const ask = (w: World, order: PaidOrder, token = sessionToken()) => post(w.app, OFFER, token, askFor(order))

/** Everything the service stored for an order that never reached the post-purchase page. */
const storedFor = async (w: World, order: PaidOrder) => ({
  decisions: await w.app.storage.decisionsFor(`order:${order.legacyId}`),
  acceptances: await w.app.storage.acceptancesFor(`order:${order.legacyId}`)
})

t.test('a wallet order gets its first decision on the Thank-you page, in the contract the page parses', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const res = await ask(w, order)
  t.equal(res.status, 200)
  t.match(res.body, {
    render: true,
    offer: {
      ruleId: 'socks',
      settle: 'order_edit',
      orderName: order.name,
      variants: [SOCKS_VARIANT, SOCKS_VARIANT_2],
      prices: {
        [SOCKS_VARIANT]: { amount: '6.48', originalAmount: '8.10', currencyCode: 'USD' },
        [SOCKS_VARIANT_2]: { amount: '7.20', originalAmount: '9.00', currencyCode: 'USD' }
      }
    }
  })
  t.notOk('order' in res.body.offer || 'next' in res.body.offer || 'productId' in res.body.offer, 'nothing private')
  t.same(parseOfferAnswer(res.body), res.body.offer, 'the extension accepts the answer exactly as sent')
  const again = await ask(w, order)
  t.same(again.body, res.body, 'a repeat gets the same stored offer')
  const { decisions } = await storedFor(w, order)
  t.equal(decisions.length, 1, 'one stored decision')
  t.match(decisions[0], { surface: 'thank_you', ruleId: 'socks', shopDomain: SHOP, customerId: '207119551' })
  const explained = await w.app.inject({
    method: 'GET',
    url: `/admin/decisions/order:${order.legacyId}`,
    headers: { authorization: `Bearer ${w.config.adminToken}` }
  })
  t.match(explained.json(), {
    decisions: [{ surface: 'thank_you', explanation: { ruleId: 'socks' }, explanationError: null }]
  })
})

t.test('a card checkout decided on /api/offer: the same rule is not offered again, the chain continues', async (t) => {
  const { w, fake } = await world(t)
  const input = checkout({ shop: SHOP })
  const order = fake.add(paidOrder({ aliases: [input.initialPurchase.referenceId] }))
  const pp = await post(w.app, '/api/offer', tokenFor(input), {})
  t.equal(pp.body.offer.ruleId, 'socks', 'the post-purchase page offered the socks')
  const ty = await ask(w, order)
  t.equal(ty.status, 200)
  t.equal(ty.body.offer.ruleId, 'single-socks', 'unanswered there counts as declined: its onDecline follows')
  const rows = await w.app.storage.decisionsFor(input.initialPurchase.referenceId)
  t.same(
    rows.map((r) => [r.surface, r.ruleId]),
    [
      ['post_purchase', 'socks'],
      ['thank_you', 'single-socks']
    ],
    'one history: the Thank-you decision joins the checkout'
  )
  t.same((await storedFor(w, order)).decisions, [], 'nothing under the order reference')
  // The checkout's token cannot sign the Thank-you offer, nor does the post-purchase page show it.
  const signed = await post(w.app, '/api/sign-changeset', tokenFor(input), { offerId: ty.body.offer.id })
  t.same([signed.status, signed.body.error.code], [404, 'OFFER_NOT_FOUND'])
  const back = await post(w.app, '/api/offer', tokenFor(input), {})
  t.not(back.body.offer?.id, ty.body.offer.id)
})

t.test('an order linked to its checkout by the order webhook (its checkout token) joins that history', async (t) => {
  const { w, fake } = await world(t)
  const input = checkout({ shop: SHOP })
  const order = fake.add(paidOrder())
  t.equal((await post(w.app, '/api/offer', tokenFor(input), {})).body.offer.ruleId, 'socks')
  t.equal((await ask(w, fake.add(paidOrder()))).body.offer.ruleId, 'socks', 'unlinked, another order starts afresh')
  // What server/analytics/orders.ts stores when orders/create names the checkout by its token.
  w.app.database.sqlite
    .prepare(
      `INSERT INTO analytics_orders (shop, order_id, reference_id, customer_id, currency, total, created_at, updated_at)
       VALUES (?, ?, ?, NULL, 'USD', 129, ?, ?)`
    )
    .run(SHOP, order.legacyId, input.initialPurchase.referenceId, Date.now(), Date.now())
  t.equal((await ask(w, order)).body.offer.ruleId, 'single-socks', 'the socks are not offered again')
})

t.test('socks accepted after checkout: the Thank-you page offers what follows an acceptance', async (t) => {
  const { w, fake } = await world(t)
  const input = checkout({ shop: SHOP })
  const order = fake.add(paidOrder({ legacyId: String(Date.now()) }))
  // The order's own id names the checkout: the look-up tries the order's ids before its aliases.
  const inputByOrderId = { ...input, initialPurchase: { ...input.initialPurchase, referenceId: order.legacyId } }
  const token = tokenFor(inputByOrderId)
  const pp = await post(w.app, '/api/offer', token, {})
  t.equal((await post(w.app, '/api/sign-changeset', token, { offerId: pp.body.offer.id })).status, 200)
  const ty = await ask(w, order)
  t.equal(ty.body.offer.ruleId, 'gift-wrap')
})

t.test('ownership: only the caller who can prove the order gets anything, and nothing is stored else', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const cases: [string, PaidOrder, { orderId: string; confirmationNumber: string | null }, string][] = [
    ['wrong confirmation number', order, { ...askFor(order), confirmationNumber: 'WRONG1' }, sessionToken()],
    ['another customer', order, askFor(order), sessionToken({ customerId: 999 })],
    [
      'created over 2 hours ago',
      fake.add(paidOrder({ createdAt: new Date(Date.now() - 2 * 3_600_000 - 60_000).toISOString() })),
      askFor(order),
      sessionToken()
    ],
    ['an order of another shop', order, askFor(order), sessionToken({ shop: 'other-shop.myshopify.com' })],
    ['an unknown order id', order, { ...askFor(order), orderId: 'gid://shopify/Order/9' }, sessionToken()]
  ]
  for (const [name, o, body, token] of cases) {
    const asked = name === 'created over 2 hours ago' ? askFor(o) : body
    const res = await post(w.app, OFFER, token, asked)
    t.equal(res.status, 403, name)
    t.equal(res.body.error.code, 'ORDER_NOT_YOURS', name)
  }
  t.same(await storedFor(w, order), { decisions: [], acceptances: [] }, 'nothing stored')
  t.equal(fake.edits.length, 0, 'nothing edited')
  t.equal((await ask(w, order, sessionToken({ customerId: null }))).body.render, true, 'a guest token may ask')
})

t.test('an order Shopify does not know yet is looked up again within the request', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  fake.appearAfter(order.id, 2)
  const res = await ask(w, order)
  t.equal(res.body.render, true)
  t.equal(fake.calls.lookUp, 3)
})

t.test('the Admin API failing (scope missing, throttled, no session): no offer, no error', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  for (const reason of ['scope_missing', 'throttled', 'no_session', 'unavailable', 'timeout'] as const) {
    fake.lookUpFailure = reason
    const res = await ask(w, order)
    t.same([res.status, res.body], [200, { render: false }], reason)
  }
  t.same((await storedFor(w, order)).decisions, [])
  fake.lookUpFailure = null
  t.equal((await ask(w, order)).body.render, true, 'once Shopify answers, the offer comes')
})

t.test('a cancelled order gets nothing', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder({ cancelled: true }))
  t.same((await ask(w, order)).body, { render: false })
})

t.test('accept: one order edit; an identical repeat gets the identical answer and edits nothing', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const { offer } = (await ask(w, order)).body
  const body = { offerId: offer.id, quantity: 2, variantId: SOCKS_VARIANT_2 }
  const a = await post(w.app, ACCEPT, sessionToken(), body)
  t.equal(a.status, 200)
  t.same(a.body, { status: 'added', amountDue: { amount: '14.40', currencyCode: 'USD' }, invoiceSent: true })
  t.same(parseAcceptAnswer(a.body), a.body, 'the extension accepts the answer')
  const [b, c] = await Promise.all([
    post(w.app, ACCEPT, sessionToken(), body),
    post(w.app, ACCEPT, sessionToken(), body)
  ])
  t.same(b.body, a.body)
  t.same(c.body, a.body)
  t.equal(fake.edits.length, 1, 'one committed edit')
  t.equal(fake.calls.addToOrder, 1, 'repeats never reach Shopify')
  t.match(fake.edits[0], {
    shop: SHOP,
    line: {
      orderId: order.id,
      variantId: SOCKS_VARIANT_2,
      quantity: 2,
      discount: { type: 'percentage', value: 20, title: '20% off' },
      customerId: 207119551
    }
  })
  const [acc] = (await storedFor(w, order)).acceptances
  t.match(acc, { surface: 'thank_you', token: '', variantId: SOCKS_VARIANT_2, quantity: 2 })
  t.equal(fake.edits[0]?.line.idempotencyKey, acc?.jti, 'the acceptance id is the idempotency key')
  const other = await post(w.app, ACCEPT, sessionToken(), { ...body, quantity: 1 })
  t.same([other.status, other.body.error.code], [409, 'OFFER_ALREADY_ACCEPTED'])
  t.equal((await ask(w, order)).body.offer?.ruleId, 'gift-wrap', 'after the acceptance, the chain goes on')
})

t.test('accept defaults to the offer default variant and quantity', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const { offer } = (await ask(w, order)).body
  const a = await post(w.app, ACCEPT, sessionToken(), { offerId: offer.id })
  t.same(a.body.amountDue, { amount: '6.48', currencyCode: 'USD' })
  t.match(fake.edits[0]?.line, { variantId: SOCKS_VARIANT, quantity: 1 })
})

t.test('accept: quantity and variant only within the offer (422), unknown offers 404', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const { offer } = (await ask(w, order)).body
  const cases: [Record<string, unknown>, number, string][] = [
    [{ offerId: offer.id, quantity: 4 }, 422, 'QUANTITY_NOT_ALLOWED'],
    [{ offerId: offer.id, quantity: 0 }, 422, 'QUANTITY_NOT_ALLOWED'],
    [{ offerId: offer.id, quantity: 5000 }, 422, 'QUANTITY_NOT_ALLOWED'],
    [{ offerId: offer.id, variantId: 2100 }, 422, 'VARIANT_NOT_ALLOWED'],
    [{ offerId: 'of_nope' }, 404, 'OFFER_NOT_FOUND']
  ]
  for (const [body, status, code] of cases) {
    const res = await post(w.app, ACCEPT, sessionToken(), body)
    t.same([res.status, res.body.error.code], [status, code], JSON.stringify(body))
  }
  const fromOtherShop = await post(w.app, ACCEPT, sessionToken({ shop: 'other-shop.myshopify.com' }), {
    offerId: offer.id
  })
  t.same([fromOtherShop.status, fromOtherShop.body.error.code], [404, 'OFFER_NOT_FOUND'])
  const otherCustomer = await post(w.app, ACCEPT, sessionToken({ customerId: 5 }), { offerId: offer.id })
  t.same([otherCustomer.status, otherCustomer.body.error.code], [403, 'ORDER_NOT_YOURS'])
  // A post-purchase offer id is not a Thank-you offer, even in the same shop.
  const input = checkout({ shop: SHOP })
  const pp = await post(w.app, '/api/offer', tokenFor(input), {})
  const wrongPage = await post(w.app, ACCEPT, sessionToken(), { offerId: pp.body.offer.id })
  t.same([wrongPage.status, wrongPage.body.error.code], [404, 'OFFER_NOT_FOUND'])
  t.equal(fake.edits.length, 0)
  t.same((await storedFor(w, order)).acceptances, [])
})

t.test('where the order cannot be edited: a single-use checkout', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder({ editable: false }))
  const { offer } = (await ask(w, order)).body
  t.equal(offer.settle, 'checkout')
  const a = await post(w.app, ACCEPT, sessionToken(), { offerId: offer.id })
  t.match(a.body, { status: 'checkout', url: /^https:\/\/test-shop\.myshopify\.com\/checkouts\// })
  t.same(parseAcceptAnswer(a.body), a.body)
  t.equal(fake.calls.addToOrder, 0)
  t.same((await post(w.app, ACCEPT, sessionToken(), { offerId: offer.id })).body, a.body)
  t.equal(fake.checkouts.length, 1)

  const editable = fake.add(paidOrder())
  const second = (await ask(w, editable)).body.offer
  fake.addFailures.push({ ok: false, reason: 'not_editable', message: 'The order cannot be edited' })
  const b = await post(w.app, ACCEPT, sessionToken(), { offerId: second.id })
  t.equal(b.body.status, 'checkout', 'Shopify refusing the edit falls back to a checkout')
  const scopeless = fake.add(paidOrder())
  const third = (await ask(w, scopeless)).body.offer
  fake.addFailures.push({ ok: false, reason: 'scope_missing', message: 'write_order_edits not granted' })
  t.equal(
    (await post(w.app, ACCEPT, sessionToken(), { offerId: third.id })).body.status,
    'checkout',
    'so does a missing scope'
  )
  t.equal(fake.edits.length, 0)
})

t.test('Shopify failing for a moment: 503, and a retry completes the one edit', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const { offer } = (await ask(w, order)).body
  fake.addFailures.push({ ok: false, reason: 'throttled', message: 'Throttled' })
  const first = await post(w.app, ACCEPT, sessionToken(), { offerId: offer.id })
  t.same([first.status, first.body.error.code], [503, 'ORDER_EDIT_UNAVAILABLE'])
  const retry = await post(w.app, ACCEPT, sessionToken(), { offerId: offer.id })
  t.equal(retry.body.status, 'added')
  t.equal(fake.edits.length, 1)
  fake.addFailures.push({ ok: false, reason: 'rejected', message: 'Variant is out of stock' })
  const next = (await ask(w, order)).body.offer
  const rejected = await post(w.app, ACCEPT, sessionToken(), { offerId: next.id })
  t.same([rejected.status, rejected.body.error.code], [422, 'ORDER_EDIT_REJECTED'])
})

t.test('at most 3 accepted offers per checkout across both pages', async (t) => {
  const { w, fake } = await world(t, { rules: matchAllRules(6) })
  const input = checkout({ shop: SHOP })
  const token = tokenFor(input)
  const order = fake.add(paidOrder({ aliases: [input.initialPurchase.referenceId] }))
  for (let i = 0; i < 2; i++) {
    const o = (await post(w.app, '/api/offer', token, {})).body.offer
    t.equal((await post(w.app, '/api/sign-changeset', token, { offerId: o.id })).status, 200)
  }
  const third = (await post(w.app, '/api/offer', token, {})).body.offer
  t.equal(third.ruleId, 'r2')
  // The Thank-you page opens while the post-purchase page's third offer is still unanswered.
  const ty = (await ask(w, order)).body.offer
  t.equal(ty.ruleId, 'r3', 'a rule shown after checkout is not offered again')
  t.equal((await post(w.app, '/api/sign-changeset', token, { offerId: third.id })).status, 200, 'third accepted')
  const fourth = await post(w.app, ACCEPT, sessionToken(), { offerId: ty.id })
  t.same([fourth.status, fourth.body.error.code], [409, 'OFFER_LIMIT_REACHED'])
  t.equal(fake.edits.length, 0)
  t.same((await ask(w, fake.add(paidOrder({ aliases: [input.initialPurchase.referenceId] })))).body, {
    render: false
  })
})

t.test('bad bodies: a clear 400 for each, never a 500', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const bodies: [string, unknown][] = [
    [OFFER, {}],
    [OFFER, { orderId: order.id }],
    [OFFER, { ...askFor(order), extra: 1 }],
    [OFFER, { ...askFor(order), orderId: '123' }],
    [OFFER, { ...askFor(order), orderId: 'gid://shopify/Customer/1' }],
    [OFFER, { ...askFor(order), orderId: `${order.id}x` }],
    [OFFER, { ...askFor(order), confirmationNumber: '' }],
    [OFFER, { ...askFor(order), confirmationNumber: 'x'.repeat(65) }],
    [OFFER, { ...askFor(order), confirmationNumber: 'A B' }],
    [OFFER, '{"orderId":'],
    [OFFER, []],
    [ACCEPT, {}],
    [ACCEPT, { offerId: 'x', quantity: '2' }],
    [ACCEPT, { offerId: 'x', quantity: 1.5 }],
    [ACCEPT, { offerId: 'x', variantId: -1 }],
    [ACCEPT, { offerId: 'x', changes: [] }],
    [ACCEPT, { offerId: 'x'.repeat(101) }]
  ]
  for (const [url, body] of bodies) {
    const res = await post(w.app, url, sessionToken(), body)
    t.equal(res.status, 400, `${url} ${JSON.stringify(body)}`)
    t.match(res.body.error.code, /^INVALID_(BODY|JSON)$/)
  }
  const text = await w.app.inject({
    method: 'POST',
    url: OFFER,
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${sessionToken()}` },
    payload: 'hi'
  })
  t.equal(text.statusCode, 415)
  t.equal(fake.calls.lookUp, 0, 'nothing malformed reaches Shopify')
})

t.test('session tokens: each bad one a 401 with its code; both dest forms work', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const now = Math.floor(Date.now() / 1000)
  const cases: [string, string | null, string][] = [
    ['none', null, 'SESSION_TOKEN_MISSING'],
    ['not a JWT', 'abc', 'SESSION_TOKEN_INVALID'],
    ['another secret', sessionToken({ secret: 'not-the-secret-0123456789abcdef' }), 'SESSION_TOKEN_INVALID'],
    ['another app', sessionToken({ apiKey: 'other-app' }), 'SESSION_TOKEN_INVALID'],
    ['expired', sessionToken({ now: now - 600, ttlSeconds: 300 }), 'SESSION_TOKEN_EXPIRED'],
    ['not valid yet', sessionToken({ now: now + 120 }), 'SESSION_TOKEN_INVALID'],
    ['dest not a shop', sessionToken({ shop: 'evil.example.com' }), 'SESSION_TOKEN_INVALID'],
    ['the post-purchase checkout token', tokenFor(checkout({ shop: SHOP })), 'SESSION_TOKEN_INVALID']
  ]
  for (const [name, token, code] of cases) {
    const res = await post(w.app, OFFER, token, askFor(order))
    t.same([res.status, res.body.error.code], [401, code], name)
    const acc = await post(w.app, ACCEPT, token, { offerId: 'of_x' })
    t.same([acc.status, acc.body.error.code], [401, code], `${name} (accept)`)
  }
  const { createSigner } = await import('fast-jwt')
  const sign = createSigner({ key: w.config.apiSecret, algorithm: 'HS256' })
  const claims = { aud: w.config.apiKey, dest: `https://${SHOP}`, iat: now, nbf: now, exp: now + 300 }
  const forged: [string, string][] = [
    ['sub not a customer', sign({ ...claims, sub: 'gid://shopify/Order/1' })],
    ['no exp', sign({ aud: claims.aud, dest: claims.dest })],
    ['dest with a path', sign({ ...claims, dest: `https://${SHOP}/admin` })]
  ]
  for (const [name, token] of forged) {
    const res = await post(w.app, OFFER, token, askFor(order))
    t.same([res.status, res.body.error.code], [401, 'SESSION_TOKEN_INVALID'], name)
  }
  t.equal(fake.calls.lookUp, 0, 'no bad token reaches Shopify')
  const leeway = sessionToken({ now: now + 5 })
  t.equal((await post(w.app, OFFER, leeway, askFor(order))).status, 200, 'a few seconds of clock skew are allowed')
  t.equal((await ask(w, order, sessionToken({ destForm: 'domain' }))).body.render, true, 'dest as a bare domain')
  t.equal((await ask(w, order, sessionToken({ destForm: 'url' }))).body.render, true, 'dest as https://shop')
})

t.test('CORS: preflights answered for any origin without a token', async (t) => {
  const { w } = await world(t)
  for (const url of [OFFER, ACCEPT]) {
    const res = await w.app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin: 'https://extensions.shopifycdn.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type'
      }
    })
    t.equal(res.statusCode, 204, url)
    t.equal(res.headers['access-control-allow-origin'], '*')
    t.match(String(res.headers['access-control-allow-headers']), /Authorization/)
    t.match(String(res.headers['access-control-allow-headers']), /Content-Type/)
    t.match(String(res.headers['access-control-allow-methods']), /POST/)
  }
})
t.test('the reports count Thank-you acceptances and their invoiced amount in the rule rows', async (t) => {
  const { w, fake } = await world(t)
  const order = fake.add(paidOrder())
  const { offer } = (await ask(w, order)).body
  await post(w.app, ACCEPT, sessionToken(), { offerId: offer.id, quantity: 2 })
  const now = Date.now()
  const stats = (
    await w.app.inject({
      method: 'GET',
      url: `/admin/stats?from=${now - 60_000}&to=${now + 60_000}&shop=${SHOP}`,
      headers: { authorization: `Bearer ${w.config.adminToken}` }
    })
  ).json()
  t.match(stats.rows, [{ ruleId: 'socks', offers: 1, accepts: 1, applied: 1, revenue: 12.96 }])
})

eachDatabase(t, 'on either database: the join, one decision per step, one edit, the limit', async (t, db) => {
  const fake = fakeOrders({ [SOCKS_VARIANT]: 8.1 })
  const w = await buildWorld(t, { shopify: fake.integration, config: db.config })
  const input = checkout({ shop: SHOP })
  const card = fake.add(paidOrder({ aliases: [input.initialPurchase.referenceId] }))
  t.equal((await post(w.app, '/api/offer', tokenFor(input), {})).body.offer.ruleId, 'socks')
  const [a, b] = await Promise.all([ask(w, card), ask(w, card)])
  t.equal(a.body.offer.ruleId, 'single-socks')
  t.same(b.body, a.body, 'concurrent asks: one stored decision')
  const wallet = fake.add(paidOrder())
  const { offer } = (await ask(w, wallet)).body
  const first = await post(w.app, ACCEPT, sessionToken(), { offerId: offer.id })
  const again = await post(w.app, ACCEPT, sessionToken(), { offerId: offer.id })
  t.same(again.body, first.body)
  t.equal(first.body.status, 'added')
  t.equal(fake.edits.length, 1)
  t.match(await w.app.storage.acceptance(offer.id), { surface: 'thank_you', answer: JSON.stringify(first.body) })
})
