// The whole checkout flow over a real port, as the extension does it: preflight, offer, sign, events; and npm start's
// sample rules.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createVerifier } from 'fast-jwt'
import { startService, TEST_API_SECRET } from '../support/server-app.js'
import {
  checkout,
  tokenFor,
  writeRules,
  standardRules,
  SECRET,
  API_KEY,
  type InputData
} from '../support/server-world.js'

t.test('offer, sign and events over HTTP with CORS', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-http-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeRules(join(dir, 'rules'), standardRules())
  const svc = await startService(t, { rulesDir: join(dir, 'rules'), apiSecret: SECRET, apiKey: API_KEY })
  const origin = 'https://cdn.shopify.com'

  const pre = await fetch(`${svc.url}/api/offer`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type'
    }
  })
  t.equal(pre.status, 204)
  t.equal(pre.headers.get('access-control-allow-origin'), '*')

  const token = tokenFor(checkout())
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin }
  const offerRes = await fetch(`${svc.url}/api/offer`, { method: 'POST', headers, body: '{}' })
  t.equal(offerRes.status, 200)
  t.equal(offerRes.headers.get('access-control-allow-origin'), '*')
  const { offer } = (await offerRes.json()) as { offer: { id: string } }

  const signRes = await fetch(`${svc.url}/api/sign-changeset`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ offerId: offer.id, quantity: 3 })
  })
  t.equal(signRes.status, 200)
  const claims = createVerifier({ key: SECRET, algorithms: ['HS256'] })(
    ((await signRes.json()) as { token: string }).token
  )
  t.equal(claims.iss, API_KEY)
  t.equal(claims.changes[0].quantity, 3)

  const ev = await fetch(`${svc.url}/api/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ offerId: offer.id, type: 'applied', status: 'processed', amount: '30.00' })
  })
  t.equal(ev.status, 204)

  const health = (await (await fetch(`${svc.url}/health`)).json()) as { status: string }
  t.equal(health.status, 'ok')
})

t.test('the sample rules that npm start serves load and answer', async (t) => {
  const svc = await startService(t)
  t.equal(svc.app.rules.current().count, 7, 'all seven sample rules are served')
  const fixtures = svc.app.rules.current().fixtures
  // boots-us is the sample's main case (rules/tests/boots-and-socks.json): socks with boots, arm 20-off for this id.
  const res = await fetch(`${svc.url}/api/offer`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${tokenFor(fixtures['boots-us'] as InputData, {}, TEST_API_SECRET)}`,
      'content-type': 'application/json'
    },
    body: '{}'
  })
  t.equal(res.status, 200)
  const body = (await res.json()) as { render: boolean; offer: { ruleId: string; arm: string | null } }
  t.equal(body.render, true)
  t.match(body.offer, { ruleId: 'wool-socks-with-boots', arm: '20-off' })
})
