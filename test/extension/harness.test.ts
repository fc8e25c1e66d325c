// The checkout harness behaves like Shopify's host: worker globals, 29 components, changesets verified like Shopify.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { createSigner } from 'fast-jwt'
import { buildExtension } from '../../extension/build.js'
import {
  calculate,
  CheckoutSession,
  loadCatalog,
  mintCheckoutToken,
  verifyChangeset
} from '../../extension/harness/index.js'
import { fixture } from '../support/extension-checkout.js'

const SECRET = 'harness-secret-0123456789'
const API_KEY = 'harness-api-key'
const probe = (name: string) => fileURLToPath(new URL(`../../extension/harness/probes/${name}`, import.meta.url))

function changeset(claims: Record<string, unknown>, secret = SECRET) {
  // fast-jwt keeps a payload `iat` as given and fills in the current second when there is none.
  const sign = createSigner({ key: secret, algorithm: 'HS256' })
  return sign({
    iss: API_KEY,
    sub: 'r-1',
    jti: randomUUID(),
    changes: [{ type: 'add_variant', variantId: 808950810, quantity: 1 }],
    ...claims
  })
}

const expect = (usedJtis = new Set<string>()) => ({
  secret: SECRET,
  apiKey: API_KEY,
  referenceId: 'r-1',
  purchaseCompletedAt: Date.now() - 5000,
  usedJtis
})

t.test('applyChangeset verification accepts a changeset signed like Shopify expects', async (t) => {
  const v = verifyChangeset(changeset({}), expect())
  t.equal(v.ok, true)
})

t.test('applyChangeset verification refuses what Shopify refuses', async (t) => {
  const cases: [string, string][] = [
    ['another secret', changeset({}, 'some-other-secret-0123')],
    ['iss is not the API key', changeset({ iss: 'shopify' })],
    ['sub is another checkout', changeset({ sub: 'r-2' })],
    ['no jti', changeset({ jti: undefined })],
    ['iat in milliseconds', changeset({ iat: Date.now() })],
    ['signed before the purchase completed', changeset({ iat: Math.floor(Date.now() / 1000) - 3600 })],
    ['expired', changeset({ exp: Math.floor(Date.now() / 1000) - 10 })],
    ['not a JWT', 'changes=add everything']
  ]
  for (const [why, token] of cases) {
    const v = verifyChangeset(token, expect())
    t.match(v, { ok: false, errors: [{ code: 'invalid_request' }] }, why)
  }
})

t.test('a changeset applied once answers changeset_already_applied the second time', async (t) => {
  const used = new Set<string>()
  const jti = randomUUID()
  const token = changeset({ jti })
  t.equal(verifyChangeset(token, expect(used)).ok, true)
  used.add(jti)
  t.match(verifyChangeset(token, expect(used)), { ok: false, errors: [{ code: 'changeset_already_applied' }] })
})

t.test('the checkout token is signed like Shopify: iss shopify, sub referenceId, iat in seconds, no aud', async (t) => {
  const input = fixture('boots-us')
  const token = mintCheckoutToken(input, SECRET)
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
  t.match(claims, {
    iss: 'shopify',
    sub: 'r-boots-us-1',
    input_data: { initialPurchase: { referenceId: 'r-boots-us-1' } }
  })
  t.ok(Number.isInteger(claims.iat) && (claims.iat as number) < 1e11)
  t.notOk('aud' in claims || 'dest' in claims || 'token' in (claims.input_data as object))
})

t.test('calculateChangeset prices the demo catalog: discount, taxes by destination, total due now', async (t) => {
  const purchase = fixture('boots-us').initialPurchase
  const c = calculate(
    [
      {
        type: 'add_variant',
        variantId: 808950810,
        quantity: 2,
        discount: { value: 20, valueType: 'percentage', title: '20% off' }
      }
    ],
    purchase,
    loadCatalog()
  )
  t.ok(c.ok)
  if (!c.ok) return
  t.match(c.purchase.updatedLineItems.at(-1), {
    variantId: 808950810,
    quantity: 2,
    priceSet: { presentmentMoney: { amount: '24.00' } },
    totalPriceSet: { presentmentMoney: { amount: '38.40' } }
  })
  t.equal(c.purchase.addedTaxLines[0]?.priceSet.presentmentMoney.amount, '3.07')
  t.equal(c.purchase.totalOutstandingSet.presentmentMoney.amount, '41.47')
  t.equal(c.purchase.totalPriceSet.presentmentMoney.amount, '170.47')
})

t.test('calculateChangeset refuses unknown variants, the variantID spelling and stock it does not have', async (t) => {
  const purchase = fixture('boots-us').initialPurchase
  const catalog = loadCatalog()
  t.match(calculate([{ type: 'add_variant', variantId: 1, quantity: 1 }], purchase, catalog), {
    ok: false,
    errors: [{ code: 'invalid_request' }]
  })
  t.match(calculate([{ type: 'add_variant', variantID: 808950810, quantity: 1 }], purchase, catalog), {
    ok: false,
    errors: [{ code: 'invalid_request' }]
  })
  t.match(calculate([{ type: 'add_variant', variantId: 808950850, quantity: 51 }], purchase, catalog), {
    ok: false,
    errors: [{ code: 'insufficient_inventory' }]
  })
})

t.test("a component outside the SDK's 29 fails to render, as it would on Shopify", async (t) => {
  const { code } = await buildExtension({ entry: probe('div-extension.tsx') })
  const session = new CheckoutSession({ bundle: code, inputData: fixture('boots-us'), secret: SECRET, apiKey: API_KEY })
  t.teardown(() => session.close())
  await session.render()
  t.match(session.renderError?.message, /Unsupported component: div/)
  t.same(session.tree(), [])
})

t.test("the bundle runs with a worker's globals only", async (t) => {
  const { code } = await buildExtension({ entry: probe('globals-probe.ts') })
  const session = new CheckoutSession({ bundle: code, inputData: fixture('boots-us'), secret: SECRET, apiKey: API_KEY })
  t.teardown(() => session.close())
  await session.shouldRender()
  t.same(session.storageData, {
    process: 'undefined',
    require: 'undefined',
    module: 'undefined',
    Buffer: 'undefined',
    global: 'undefined',
    window: 'undefined',
    document: 'undefined',
    fetch: 'function',
    setTimeout: 'function',
    AbortController: 'function',
    self: 'object',
    Intl: 'object'
  })
})
