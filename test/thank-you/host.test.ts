// The Thank-you host itself: its checks can fail (a non-Polaris tag, an unregistered target) and its globals are the
// sandbox's, not Node's.
import t from 'tap'
import { createVerifier } from 'fast-jwt'
import { ALLOWED_TAGS, runThankYou } from '../../extension/thank-you-harness/host.js'
import { mintSessionToken, sessionTokenClaims } from '../../extension/thank-you-harness/session-token.js'

const ORDER = { id: 'gid://shopify/Order/1', number: 'ABC123' }
const token = () => 'not-used'

t.test('the tag list is the package component names as Shopify spells the tags', async (t) => {
  for (const tag of ['s-button', 's-number-field', 's-qr-code', 's-choice-list', 's-banner'])
    t.ok(ALLOWED_TAGS.has(tag), tag)
  t.notOk(ALLOWED_TAGS.has('s-announcement'), 'Announcement belongs to the announcement target only')
  t.notOk(ALLOWED_TAGS.has('div'))
})

t.test('an element that is not a Polaris web component is reported', async (t) => {
  const code = `shopify.extend('purchase.thank-you.block.render', () => {
    const s = document.createElement('s-stack'); s.appendChild(document.createElement('div')); document.body.appendChild(s)
  })`
  const page = await runThankYou({ code, order: ORDER, sessionToken: token })
  t.teardown(() => page.close())
  t.same(page.violations(), ['div'])
})

t.test('a bundle that registers another target is refused with a clear error', async (t) => {
  const code = `shopify.extend('purchase.checkout.block.render', () => {})`
  await t.rejects(
    runThankYou({ code, order: ORDER, sessionToken: token }),
    /did not register purchase\.thank-you\.block\.render \(registered: purchase\.checkout\.block\.render\)/
  )
})

t.test('the page has the sandbox globals, not Node', async (t) => {
  const code = `shopify.extend('purchase.thank-you.block.render', () => {
    const p = document.createElement('s-paragraph')
    p.textContent = [typeof process, typeof require, typeof fetch, typeof shopify.sessionToken.get, shopify.orderConfirmation.value.number].join(',')
    document.body.appendChild(p)
  })`
  const page = await runThankYou({ code, order: ORDER, sessionToken: token })
  t.teardown(() => page.close())
  t.equal(page.text(), 'undefined,undefined,function,function,ABC123')
})

t.test(
  'session tokens: HS256 with the secret, aud = API key, dest = the shop, 5 minutes, sub only when known',
  async (t) => {
    const secret = 'a-secret'
    const claims = createVerifier({ key: secret, algorithms: ['HS256'] })(
      mintSessionToken({ secret, apiKey: 'key', shop: 'x.myshopify.com', customerId: 'gid://shopify/Customer/1' })
    ) as Record<string, unknown>
    t.equal(claims.aud, 'key')
    t.equal(claims.dest, 'https://x.myshopify.com')
    t.equal(claims.sub, 'gid://shopify/Customer/1')
    t.equal((claims.exp as number) - (claims.iat as number), 300)
    const guest = sessionTokenClaims({ apiKey: 'key', shop: 'x.myshopify.com', destForm: 'domain' })
    t.notOk('sub' in guest, 'no sub for a guest')
    t.equal(guest.dest, 'x.myshopify.com')
    t.throws(() =>
      createVerifier({ key: 'other', algorithms: ['HS256'] })(mintSessionToken({ secret, apiKey: 'k', shop: 's' }))
    )
  }
)
