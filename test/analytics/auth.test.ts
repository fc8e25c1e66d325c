// Who sees what on /admin/*: the operator every shop, a shop's session token its own only, anything else 401.
import t from 'tap'
import { buildWorld, BOOTS, ADMIN_TOKEN, SECRET } from '../support/server-world.js'
import { webhookRequest } from '../support/shopify-signing.js'
import { adminGet, drive, sessionToken } from './world.js'
import { eachDatabase } from '../support/databases.js'

const A = 'alpha-shop.myshopify.com'
const B = 'bravo-shop.myshopify.com'

t.test('a session token reads its own shop; the operator reads all or narrows; another shop is 403', async (t) => {
  const w = await buildWorld(t)
  await drive(w.app, { shop: A, productIds: [BOOTS], view: true, accept: true, amount: '11.00' })
  await drive(w.app, { shop: B, productIds: [BOOTS], view: true, accept: true, amount: '22.00' })
  await drive(w.app, { shop: B, productIds: [BOOTS] })

  const all = await adminGet(w.app, '/admin/stats')
  t.match(
    all.body.rows.find((r: any) => r.ruleId === 'socks'),
    { checkouts: 3, revenue: 33 }
  )
  const narrowed = await adminGet(w.app, `/admin/stats?shop=${B}`)
  t.equal(narrowed.body.shop, B)
  t.match(
    narrowed.body.rows.find((r: any) => r.ruleId === 'socks'),
    { checkouts: 2, revenue: 22 }
  )

  const mine = await adminGet(w.app, '/admin/stats', sessionToken(A))
  t.equal(mine.status, 200)
  t.equal(mine.body.shop, A, 'a session token is narrowed to its shop without asking')
  t.match(
    mine.body.rows.find((r: any) => r.ruleId === 'socks'),
    { checkouts: 1, revenue: 11 }
  )
  t.equal((await adminGet(w.app, `/admin/stats?shop=${A}`, sessionToken(A))).status, 200, 'naming itself is fine')

  const other = await adminGet(w.app, `/admin/stats?shop=${B}`, sessionToken(A))
  t.equal(other.status, 403)
  t.equal(other.body.error.code, 'ADMIN_SHOP_FORBIDDEN')
  t.notMatch(other.raw, /22/, 'the 403 says nothing of the other shop')
})

t.test('a session token that is wrong in any way is 401', async (t) => {
  const w = await buildWorld(t)
  const bad = {
    'wrong secret': sessionToken(A, { secret: 'another-secret-0123456789abcdef' }),
    'wrong audience': sessionToken(A, { aud: 'someone-elses-app' }),
    expired: sessionToken(A, { expOffset: -60 }),
    'not yet valid': sessionToken(A, { nbfOffset: 120 }),
    'dest not a shop': sessionToken(A, { dest: 'https://evil.example.com' }),
    'dest over http': sessionToken(A, { dest: `http://${A}` }),
    'not a JWT': 'abc.def',
    garbage: 'a'.repeat(40)
  }
  for (const [name, token] of Object.entries(bad)) {
    for (const url of ['/admin/stats', '/admin/decisions/x', '/admin/data-requests']) {
      const res = await adminGet(w.app, url, token)
      t.equal(res.status, 401, `${name} ${url}`)
      t.equal(res.body.error.code, 'ADMIN_UNAUTHORIZED', name)
    }
  }
  const res = await w.app.inject({
    method: 'POST',
    url: '/admin/rules/reload',
    headers: { authorization: `Bearer ${sessionToken(A, { expOffset: -60 })}` }
  })
  t.equal(res.statusCode, 401)
})

t.test('without ADMIN_TOKEN a session token still works, and anything else is 503 as before', async (t) => {
  const w = await buildWorld(t, { config: { adminToken: null } })
  t.equal((await adminGet(w.app, '/admin/stats', sessionToken(A))).status, 200)
  t.equal((await adminGet(w.app, '/admin/stats', ADMIN_TOKEN)).status, 503)
  t.equal((await adminGet(w.app, '/admin/stats', null)).status, 503)
})

eachDatabase(t, "no answer of any /admin route contains another shop's data", async (t, db) => {
  const w = await buildWorld(t, { config: db.config })
  const a = await drive(w.app, { shop: A, productIds: [BOOTS], view: true, accept: true, amount: '11.00' })
  const b = await drive(w.app, {
    shop: B,
    customerId: 777000777,
    productIds: [BOOTS],
    view: true,
    accept: true,
    amount: '77.77'
  })
  // B also has a data-request report (customer data) and a confirmed order.
  await w.app.inject(
    webhookRequest(SECRET, 'customers/data_request', B, {
      shop_domain: B,
      customer: { id: 777000777 },
      orders_requested: [],
      data_request: { id: 9 }
    })
  )
  // Every GET route under /admin, with B's identifiers wherever a route takes a parameter.
  const routes = w.app
    .printRoutes({ commonPrefix: false })
    .split('\n')
    .map((l) => /\b(admin\/\S*) \(([^)]*)\)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[2]!.includes('GET'))
    .map((m) => `/${m[1]!}`)
  t.ok(routes.length >= 3, `found ${routes.join(', ')}`)
  const secrets = [B, b.ref, b.offerId!, '77.77', '777000777']
  for (const route of routes) {
    for (const id of [b.ref, a.ref]) {
      const url = route.replace(/:[A-Za-z]+/g, encodeURIComponent(id))
      for (const q of ['', `?shop=${A}`]) {
        const res = await adminGet(w.app, url + q, sessionToken(A))
        t.ok(res.status < 500, `${url}${q} answers`)
        // The id the caller sent may be echoed back; nothing else of B may appear.
        for (const s of secrets.filter((x) => x !== id)) {
          t.notOk(res.raw.includes(s), `${url}${q} shows nothing of ${B} (${s})`)
        }
      }
    }
  }
  // And the operator does see B: the check above could have failed.
  const op = await adminGet(w.app, `/admin/decisions/${b.ref}`)
  t.ok(op.raw.includes(b.offerId!), 'the operator sees B')
})
