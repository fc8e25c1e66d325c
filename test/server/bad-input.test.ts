// Bad input of every kind gets its documented 4xx with a code: never a 500, nothing signed, nothing stored lost.
import t from 'tap'
import { createSigner } from 'fast-jwt'
import { buildWorld, checkout, tokenFor, post, offered, SECRET } from '../support/server-world.js'

const now = () => Math.floor(Date.now() / 1000)
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')

t.test('forged, stale and malformed checkout tokens are 401 with a code on every checkout endpoint', async (t) => {
  const w = await buildWorld(t)
  const { input, token: good, offer, ref } = await offered(w)
  const signed = await post(w.app, '/api/sign-changeset', good, { offerId: offer.id })
  t.equal(signed.status, 200)

  const sign = (payload: Record<string, unknown>, algorithm: 'HS256' | 'HS512' = 'HS256', key = SECRET) =>
    createSigner({ key, algorithm, noTimestamp: payload.iat === undefined })(payload)
  const claims = { iss: 'shopify', sub: ref, iat: now(), input_data: input }
  const forged: Record<string, [string | null, string]> = {
    'no header': [null, 'TOKEN_MISSING'],
    'wrong secret': [tokenFor(input, {}, 'another-secret-0123456789abcdef'), 'TOKEN_INVALID'],
    'alg none': [`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, 'TOKEN_INVALID'],
    HS512: [sign(claims, 'HS512'), 'TOKEN_INVALID'],
    expired: [tokenFor(input, { exp: now() - 10 }), 'TOKEN_EXPIRED'],
    'older than the maximum age': [tokenFor(input, { iat: now() - 7200 }), 'TOKEN_EXPIRED'],
    'iat in the future': [tokenFor(input, { iat: now() + 3600 }), 'TOKEN_INVALID'],
    'no iat': [sign({ iss: 'shopify', sub: ref, input_data: input, iat: undefined }), 'TOKEN_INVALID'],
    'wrong iss': [sign({ ...claims, iss: 'evil' }), 'TOKEN_INVALID'],
    'sub mismatch': [sign({ ...claims, sub: 'someone-else' }), 'TOKEN_SUBJECT_MISMATCH'],
    'no input_data': [sign({ iss: 'shopify', sub: ref, iat: now() }), 'TOKEN_INVALID'],
    garbage: ['garbage', 'TOKEN_INVALID'],
    'three garbage parts': ['abc.def.ghi', 'TOKEN_INVALID']
  }
  for (const [name, [token, code]] of Object.entries(forged)) {
    for (const [url, body] of [
      ['/api/offer', {}],
      ['/api/sign-changeset', { offerId: offer.id, quantity: 2 }],
      ['/api/events', { offerId: offer.id, type: 'viewed' }]
    ] as const) {
      const res = await post(w.app, url, token, body)
      t.equal(res.status, 401, `${name} on ${url}`)
      t.equal(res.body.error.code, code, `${name} on ${url}: ${code}`)
    }
  }
  const wrongScheme = await w.app.inject({
    method: 'POST',
    url: '/api/offer',
    headers: { authorization: `Token ${good}`, 'content-type': 'application/json' },
    payload: '{}'
  })
  t.equal(wrongScheme.statusCode, 401)
  t.equal((await w.app.storage.acceptancesFor(ref)).length, 1, 'nothing new was signed')
  t.equal((await w.app.storage.acceptance(offer.id))?.token, signed.body.token, 'the earlier acceptance is intact')
})

t.test('a fresh token without exp is accepted', async (t) => {
  const w = await buildWorld(t)
  t.equal((await post(w.app, '/api/offer', tokenFor(checkout()))).status, 200)
})

t.test('malformed bodies are 400, 413 or 415 with a code naming the problem', async (t) => {
  const w = await buildWorld(t)
  const { token, offer, ref } = await offered(w)

  const cases: [string, string, unknown, number, string, RegExp?][] = [
    ['malformed JSON', '/api/offer', '{"after":', 400, 'INVALID_JSON'],
    ['a JSON array', '/api/offer', '[]', 400, 'INVALID_BODY'],
    [
      'unknown outcome',
      '/api/offer',
      { after: { offerId: offer.id, outcome: 'maybe' } },
      400,
      'INVALID_BODY',
      /outcome/
    ],
    ['unknown field', '/api/offer', { foo: 1 }, 400, 'INVALID_BODY', /foo/],
    [
      'quantity as a string',
      '/api/sign-changeset',
      { offerId: offer.id, quantity: '2' },
      400,
      'INVALID_BODY',
      /quantity/
    ],
    [
      'fractional quantity',
      '/api/sign-changeset',
      { offerId: offer.id, quantity: 1.5 },
      400,
      'INVALID_BODY',
      /quantity/
    ],
    ['offerId as a number', '/api/sign-changeset', { offerId: 5 }, 400, 'INVALID_BODY', /offerId/],
    ['missing offerId', '/api/sign-changeset', {}, 400, 'INVALID_BODY', /offerId/],
    [
      'client-supplied changes',
      '/api/sign-changeset',
      { offerId: offer.id, changes: [{ type: 'add_variant', variantId: 1, quantity: 99 }] },
      400,
      'INVALID_BODY',
      /changes/
    ],
    ['unknown event type', '/api/events', { offerId: offer.id, type: 'bought' }, 400, 'INVALID_BODY', /type/],
    [
      'oversized body',
      '/api/events',
      { offerId: offer.id, type: 'viewed', status: 'x'.repeat(20_000) },
      413,
      'BODY_TOO_LARGE'
    ]
  ]
  for (const [name, url, body, status, code, mentions] of cases) {
    const res = await post(w.app, url, token, body)
    t.equal(res.status, status, name)
    t.equal(res.body.error.code, code, name)
    if (mentions) t.match(res.body.error.message, mentions, `${name}: the message names the field`)
  }
  const text = await w.app.inject({
    method: 'POST',
    url: '/api/sign-changeset',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    payload: 'hello'
  })
  t.equal(text.statusCode, 415)
  t.equal(text.json().error.code, 'UNSUPPORTED_MEDIA_TYPE')
  t.equal((await w.app.storage.acceptancesFor(ref)).length, 0, 'nothing was signed')
  t.equal((await w.app.storage.decisionsFor(ref)).length, 1, 'the decision is intact')
})

t.test('a verified checkout lacking what every checkout has is 400 INPUT_DATA_INVALID', async (t) => {
  const w = await buildWorld(t)
  const input = checkout()
  delete (input.initialPurchase as Record<string, unknown>).lineItems
  const res = await post(w.app, '/api/offer', tokenFor(input))
  t.equal(res.status, 400)
  t.equal(res.body.error.code, 'INPUT_DATA_INVALID')
  const noShop = checkout()
  delete (noShop as Partial<typeof noShop>).shop
  t.equal((await post(w.app, '/api/offer', tokenFor(noShop))).body.error.code, 'INPUT_DATA_INVALID')
})

t.test('unknown routes are 404 with a code, and preflights need no token', async (t) => {
  const w = await buildWorld(t)
  const res = await w.app.inject({ method: 'GET', url: '/nope' })
  t.equal(res.statusCode, 404)
  t.equal(res.json().error.code, 'NOT_FOUND')
  const pre = await w.app.inject({
    method: 'OPTIONS',
    url: '/api/sign-changeset',
    headers: {
      origin: 'https://extensions.shopifycdn.com',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type'
    }
  })
  t.equal(pre.statusCode, 204)
  t.equal(pre.headers['access-control-allow-origin'], '*')
  t.match(String(pre.headers['access-control-allow-headers']), /Authorization/)
  t.match(String(pre.headers['access-control-allow-methods']), /POST/)
  const denied = await w.app.inject({ method: 'POST', url: '/api/offer', headers: { origin: 'https://x.example' } })
  t.equal(
    denied.headers['access-control-allow-origin'],
    '*',
    'a 401 still carries CORS headers so the extension can read it'
  )
})
