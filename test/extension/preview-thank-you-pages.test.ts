// The preview server's Thank-you side over HTTP, without a browser: pages for card and wallet orders, the session
// tokens it mints for them, the frame it serves, and a clear 4xx for every bad request.
import t from 'tap'
import { createVerifier } from 'fast-jwt'
import { startPreview } from '../../extension/preview/server.js'
import { startService } from '../support/server-app.js'
import { SAMPLE_RULES_DIR, TEST_ADMIN_TOKEN, TEST_API_KEY, TEST_API_SECRET } from '../support/extension-checkout.js'

// Setup inside one parent test, not at the top level: the file shares a process with others (test/suites/README.md).
t.test('the preview server, Thank-you side', async (t) => {
  const svc = await startService(t)
  const preview = await startPreview({
    service: { url: svc.url, secret: TEST_API_SECRET, apiKey: TEST_API_KEY, adminToken: TEST_ADMIN_TOKEN },
    rulesDir: SAMPLE_RULES_DIR,
    port: 0,
    thankYou: { serviceUrl: 'http://127.0.0.1:9' }
  })
  t.teardown(() => preview.close())

  async function call(path: string, body?: unknown) {
    const res = await fetch(`${preview.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    let json: any = null
    try {
      json = JSON.parse(text)
    } catch {
      json = null
    }
    return { status: res.status, text, json, type: res.headers.get('content-type') }
  }

  t.test('a wallet order: a page for the fixture, its own checkout on every run', async (t) => {
    const first = await call('/api/thank-you-pages', { payment: 'wallet', fixture: 'boots-ca-french' })
    t.equal(first.status, 201)
    t.match(first.json, {
      fixture: 'boots-ca-french',
      payment: 'wallet',
      referenceId: /-wallet-1$/,
      order: { id: /^gid:\/\/shopify\/Order\/\d+$/, confirmationNumber: /^[A-HJ-NP-Z2-9]{9}$/, name: /^#\d+$/ },
      locale: 'fr-CA'
    })
    const second = await call('/api/thank-you-pages', { payment: 'wallet', fixture: 'boots-ca-french' })
    t.match(second.json, { referenceId: /-wallet-2$/ })
    t.not(second.json.order.id, first.json.order.id, 'another order')
  })

  t.test('the session token is signed with the service secret for the fixture shop and customer', async (t) => {
    const page = (await call('/api/thank-you-pages', { payment: 'wallet', fixture: 'boots-us' })).json
    const minted = await call(`/api/thank-you-pages/${page.id}/token`, {})
    t.equal(minted.status, 200)
    const claims = createVerifier({ key: TEST_API_SECRET, algorithms: ['HS256'] })(minted.json.token) as Record<
      string,
      unknown
    >
    t.match(claims, {
      aud: TEST_API_KEY,
      dest: 'https://demo-snow.myshopify.com',
      sub: 'gid://shopify/Customer/207119551'
    })
    t.same(minted.json.claims, claims, 'the claims shown in the log are the token claims')
  })

  t.test('the frame: the order, the locale and the locales inlined, then the host', async (t) => {
    const page = (await call('/api/thank-you-pages', { payment: 'wallet', fixture: 'boots-ca-french' })).json
    const frame = await call(`/thank-you/frame?page=${page.id}`)
    t.equal(frame.status, 200)
    t.match(frame.type, /^text\/html/)
    t.match(frame.text, '<html lang="fr-CA">')
    t.match(frame.text, page.order.confirmationNumber)
    t.match(frame.text, '"en.default":{')
    const inlined = /window\.__THANK_YOU__ = (.*)<\/script>/.exec(frame.text)?.[1] ?? ''
    t.match(JSON.parse(inlined), { page: page.id, order: { id: page.order.id }, locale: 'fr-CA', remoteImages: false })
    t.match(frame.text, '<script src="/thank-you/host.js"></script>')
    const host = await call('/thank-you/host.js')
    t.equal(host.status, 200)
    t.match(host.type, /javascript/)
    t.match(host.text, 's-number-field', 'the Polaris tags defined')
    const bundle = await call('/thank-you/bundle.js')
    t.match(bundle.text, 'http://127.0.0.1:9', 'the Thank-you bundle asks the service it was given')
    t.match(bundle.text, 'purchase.thank-you.block.render')
    t.equal((await call('/thank-you/frame?page=nope')).status, 404)
  })

  t.test('a card order starts from its post-purchase session: the same checkout', async (t) => {
    const session = (await call('/api/sessions', { fixture: 'boots-pickup' })).json
    const page = await call('/api/thank-you-pages', { payment: 'card', session: session.id })
    t.equal(page.status, 201)
    t.match(page.json, { payment: 'card', fixture: 'boots-pickup', referenceId: session.referenceId })
    const order = await call(`/api/thank-you-pages/${page.json.id}/order`)
    t.match(order.json, { order: page.json.order, admin: null }, 'no Admin API given: nothing held')
  })

  t.test('every bad request is a clear 4xx', async (t) => {
    t.match(await call('/api/thank-you-pages', { payment: 'cash' }), {
      status: 422,
      json: { error: { code: 'PAYMENT_UNKNOWN' } }
    })
    t.match(await call('/api/thank-you-pages', { payment: 'card', session: 'nope' }), {
      status: 404,
      json: { error: { code: 'SESSION_NOT_FOUND' } }
    })
    t.match(await call('/api/thank-you-pages', { payment: 'wallet', fixture: 'nope' }), {
      status: 404,
      json: { error: { code: 'FIXTURE_NOT_FOUND' } }
    })
    t.match(await call('/api/thank-you-pages/nope/token', {}), {
      status: 404,
      json: { error: { code: 'PAGE_NOT_FOUND' } }
    })
  })
})
