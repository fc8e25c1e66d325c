// POST /api/sign-changeset and /api/events through inject(): what is signed, idempotence, limits and expiry.
import t from 'tap'
import { createVerifier } from 'fast-jwt'
import {
  buildWorld,
  checkout,
  tokenFor,
  post,
  offered,
  decodeJwt,
  matchAllRules,
  SECRET,
  API_KEY,
  SOCKS_VARIANT_2
} from '../support/server-world.js'
import { defaultShopifyIntegration } from '../../server/plugins/shopify-default.js'

const verify = createVerifier({ key: SECRET, algorithms: ['HS256'] })

t.test('signs exactly the stored offer, as Shopify expects it', async (t) => {
  const w = await buildWorld(t)
  const { token, offer, ref } = await offered(w)
  const res = await post(w.app, '/api/sign-changeset', token, {
    offerId: offer.id,
    quantity: 2,
    variantId: SOCKS_VARIANT_2
  })
  t.equal(res.status, 200)
  const claims = verify(res.body.token)
  t.equal(decodeJwt(res.body.token).header.alg, 'HS256')
  t.equal(claims.iss, API_KEY)
  t.equal(claims.sub, ref)
  t.match(claims.jti, /^[0-9a-f-]{36}$/)
  t.ok(claims.iat < 1e11, 'iat is in seconds')
  t.ok(claims.exp > claims.iat && claims.exp - claims.iat <= 600, 'exp a few minutes later')
  t.same(claims.changes, [
    {
      type: 'add_variant',
      variantId: SOCKS_VARIANT_2,
      quantity: 2,
      discount: { value: 20, valueType: 'percentage', title: '20% off' }
    }
  ])
  const acc = await w.app.storage.acceptance(offer.id)
  t.equal(acc?.jti, claims.jti, 'the acceptance is on disk with the token returned')
})

t.test('defaults are the offer default variant and quantity', async (t) => {
  const w = await buildWorld(t)
  const { token, offer } = await offered(w)
  const res = await post(w.app, '/api/sign-changeset', token, { offerId: offer.id })
  t.same(verify(res.body.token).changes, offer.changes)
})

t.test('an identical repeat returns the identical token; a different one is 409', async (t) => {
  const w = await buildWorld(t)
  const { token, offer } = await offered(w)
  const a = await post(w.app, '/api/sign-changeset', token, { offerId: offer.id, quantity: 1 })
  const b = await post(w.app, '/api/sign-changeset', token, { offerId: offer.id, quantity: 1 })
  t.equal(a.body.token, b.body.token)
  const c = await post(w.app, '/api/sign-changeset', token, { offerId: offer.id, quantity: 2 })
  t.equal(c.status, 409)
  t.equal(c.body.error.code, 'OFFER_ALREADY_ACCEPTED')
})

t.test('quantity or variant outside the allow-list is 422 and nothing is signed', async (t) => {
  const w = await buildWorld(t)
  const { token, offer } = await offered(w)
  for (const [body, code] of [
    [{ offerId: offer.id, quantity: 4 }, 'QUANTITY_NOT_ALLOWED'],
    [{ offerId: offer.id, quantity: 0 }, 'QUANTITY_NOT_ALLOWED'],
    [{ offerId: offer.id, quantity: -1 }, 'QUANTITY_NOT_ALLOWED'],
    [{ offerId: offer.id, quantity: 1001 }, 'QUANTITY_NOT_ALLOWED'],
    [{ offerId: offer.id, quantity: 1.5 }, 'INVALID_BODY'],
    [{ offerId: offer.id, variantId: 999 }, 'VARIANT_NOT_ALLOWED']
  ] as const) {
    const res = await post(w.app, '/api/sign-changeset', token, body)
    t.equal(res.body.error.code, code, JSON.stringify(body))
    t.equal(res.status, code === 'INVALID_BODY' ? 400 : 422)
  }
  t.equal(await w.app.storage.acceptance(offer.id), undefined)
})

t.test("another checkout's offer and an unknown offer are 404", async (t) => {
  const w = await buildWorld(t)
  const mine = await offered(w)
  const theirs = await offered(w)
  const res = await post(w.app, '/api/sign-changeset', mine.token, { offerId: theirs.offer.id })
  t.equal(res.status, 404)
  t.equal(res.body.error.code, 'OFFER_NOT_FOUND')
  t.equal((await post(w.app, '/api/sign-changeset', mine.token, { offerId: 'of_nope' })).status, 404)
  t.equal(await w.app.storage.acceptance(theirs.offer.id), undefined)
})

t.test('an expired offer is 410', async (t) => {
  const w = await buildWorld(t)
  const { token, offer } = await offered(w)
  // Time passes: move the offer's signing deadline into the past.
  w.app.database.sqlite.prepare('UPDATE decisions SET signable_until = ? WHERE id = ?').run(Date.now() - 1, offer.id)
  const res = await post(w.app, '/api/sign-changeset', token, { offerId: offer.id })
  t.equal(res.status, 410)
  t.equal(res.body.error.code, 'OFFER_EXPIRED')
})

t.test('a fourth accepted offer in one checkout is 409', async (t) => {
  const w = await buildWorld(t, {
    rules: matchAllRules(4).map((r, i) => (i < 3 ? { ...r, next: { onDecline: `r${i + 1}` } } : r))
  })
  const token = tokenFor(checkout())
  const ids: string[] = []
  let res = await post(w.app, '/api/offer', token)
  ids.push(res.body.offer.id)
  for (let i = 0; i < 3; i++) {
    res = await post(w.app, '/api/offer', token, { after: { offerId: ids[i], outcome: 'declined' } })
    ids.push(res.body.offer.id)
  }
  t.equal(ids.length, 4)
  for (const id of ids.slice(0, 3))
    t.equal((await post(w.app, '/api/sign-changeset', token, { offerId: id })).status, 200)
  const fourth = await post(w.app, '/api/sign-changeset', token, { offerId: ids[3] })
  t.equal(fourth.status, 409)
  t.equal(fourth.body.error.code, 'OFFER_LIMIT_REACHED')
  t.equal(
    (await post(w.app, '/api/sign-changeset', token, { offerId: ids[0] })).status,
    200,
    'a repeat of an accepted one still works'
  )
})

t.test('events are stored for the checkout offer, and mark the answer', async (t) => {
  const w = await buildWorld(t)
  const { token, offer, ref } = await offered(w)
  const viewed = await w.app.inject({
    method: 'POST',
    url: '/api/events',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: { offerId: offer.id, type: 'viewed' }
  })
  t.equal(viewed.statusCode, 204)
  t.equal(viewed.body, '')
  t.equal((await post(w.app, '/api/events', token, { offerId: offer.id, type: 'declined' })).status, 204)
  t.equal(
    (
      await post(w.app, '/api/events', token, {
        offerId: offer.id,
        type: 'failed',
        status: 'unprocessed',
        errors: [{ code: 'payment_required', message: 'x' }]
      })
    ).status,
    204
  )
  t.same(
    (await w.app.storage.eventsFor(ref)).map((e) => e.type),
    ['viewed', 'declined', 'failed']
  )
  t.equal((await w.app.storage.decision(offer.id, ref))?.answer, 'declined')
  const other = await offered(w)
  t.equal(
    (await post(w.app, '/api/events', token, { offerId: other.offer.id, type: 'viewed' })).status,
    404,
    "another checkout's offer"
  )
  t.equal((await post(w.app, '/api/events', token, { offerId: offer.id, type: 'applied', amount: 'ten' })).status, 400)
})

t.test('a shop that uninstalled after the offer was made gets nothing new signed', async (t) => {
  let active = true
  const w = await buildWorld(t, { shopify: { ...defaultShopifyIntegration, isShopActive: () => active } })
  const first = await offered(w)
  const signed = await post(w.app, '/api/sign-changeset', first.token, { offerId: first.offer.id })
  t.equal(signed.status, 200)
  const second = await offered(w)
  active = false
  const refused = await post(w.app, '/api/sign-changeset', second.token, { offerId: second.offer.id })
  t.equal(refused.status, 403)
  t.equal(refused.body.error.code, 'SHOP_INACTIVE')
  t.equal(await w.app.storage.acceptance(second.offer.id), undefined, 'nothing is accepted')
  const repeat = await post(w.app, '/api/sign-changeset', first.token, { offerId: first.offer.id })
  t.equal(repeat.body.token, signed.body.token, 'an earlier acceptance still gets its own token back')
})

t.test('an integration that throws while signing fails closed with a 403, not a 500', async (t) => {
  let throwing = false
  const w = await buildWorld(t, {
    shopify: {
      ...defaultShopifyIntegration,
      isShopActive: () => {
        if (throwing) throw new Error('shops table gone')
        return true
      }
    }
  })
  const { token, offer } = await offered(w)
  throwing = true
  const res = await post(w.app, '/api/sign-changeset', token, { offerId: offer.id })
  t.equal(res.status, 403)
  t.equal(await w.app.storage.acceptance(offer.id), undefined)
})
