// A service that is down, slow or answering garbage never holds the buyer up: the extension renders nothing.
import t from 'tap'
import { createServer } from 'node:net'
import { buildExtension } from '../../extension/build.js'
import { CheckoutSession } from '../../extension/harness/index.js'
import { messagesFor } from '../../extension/src/messages.js'
import { startFakeApi, type FakeMode } from '../support/extension-fake-api.js'
import { bundleFor, fixture, openCheckout, pressAccept } from '../support/extension-checkout.js'

const SECRET = 'fake-secret-0123456789'
const API_KEY = 'test-key'
const en = messagesFor('en')
/** Bounds short enough that waiting them out costs nothing, for the cases whose service never answers. */
const SHORT = { offer: 200, event: 200 }

/** A port nothing listens on: bind one, then free it. */
async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

t.test('a service that is down: no page', async (t) => {
  const { session, render } = await openCheckout(await closedPortUrl(), fixture('boots-us'), {
    secret: SECRET,
    apiKey: API_KEY
  })
  t.teardown(() => session.close())
  t.equal(render, false)
  t.equal(session.storageData, null)
})

t.test('a service that never answers: no page, decided while the request is still pending', async (t) => {
  const api = await startFakeApi({ mode: 'slow' })
  t.teardown(() => api.close())
  const { session, render } = await openCheckout(api.url, fixture('boots-us'), {
    secret: SECRET,
    apiKey: API_KEY,
    // Long enough for the request to reach the fake on a loaded machine (at 200 ms it was sometimes aborted first).
    timeoutsMs: { ...SHORT, offer: 1000 }
  })
  t.teardown(() => session.close())
  t.equal(render, false)
  t.equal(api.requests.length, 1, 'the service was asked')
  t.match(
    session.exchanges[0]?.error,
    /aborted by the extension/,
    'the extension gave up on its own bound, not because the service answered'
  )
})

for (const mode of ['garbage', 'html', 'error-500', 'bad-offer'] satisfies FakeMode[]) {
  t.test(`a service answering ${mode}: no page`, async (t) => {
    const api = await startFakeApi({ mode })
    t.teardown(() => api.close())
    const { session, render } = await openCheckout(api.url, fixture('boots-us'), { secret: SECRET, apiKey: API_KEY })
    t.teardown(() => session.close())
    t.equal(render, false)
    t.equal(session.storageData, null)
  })
}

t.test('a bundle built without ENCORE_APP_URL renders nothing and calls nobody', async (t) => {
  const { code } = await buildExtension({ env: {} })
  const session = new CheckoutSession({ bundle: code, inputData: fixture('boots-us'), secret: SECRET, apiKey: API_KEY })
  t.teardown(() => session.close())
  t.same(await session.shouldRender(), { render: false })
  t.equal(session.exchanges.length, 0)
})

t.test('a service without CORS headers is as good as down', async (t) => {
  const api = await startFakeApi({ mode: 'offer' })
  t.teardown(() => api.close())
  const { session, render } = await openCheckout(api.url, fixture('boots-us'), { secret: SECRET, apiKey: API_KEY })
  t.teardown(() => session.close())
  t.equal(render, true, 'with CORS the offer shows (control)')
  const origin = 'https://evil.example'
  const blocked = new CheckoutSession({
    bundle: await bundleFor(`${api.url}/nocors`),
    inputData: fixture('boots-us'),
    secret: SECRET,
    apiKey: API_KEY,
    origin
  })
  t.teardown(() => blocked.close())
  t.same(await blocked.shouldRender(), { render: false })
  t.match(blocked.exchanges[0]?.error, /CORS/)
})

t.test('when signing fails after Accept, the buyer is told nothing was charged and can continue', async (t) => {
  const api = await startFakeApi({ mode: 'offer', secret: SECRET, apiKey: API_KEY })
  t.teardown(() => api.close())
  const { session } = await openCheckout(api.url, fixture('boots-us'), { secret: SECRET, apiKey: API_KEY })
  t.teardown(() => session.close())
  api.mode = 'error-500'
  await pressAccept(session)
  await session.waitFor(() => session.find('Banner').length > 0, 'a message')
  t.match(session.text(), en.signFailed)
  t.equal(session.applied.length, 0)
  await session.press(en.continue)
  t.equal(session.doneCalled, true)
})

t.test('when the next offer cannot be fetched, the buyer goes to the thank-you page', async (t) => {
  const api = await startFakeApi({ mode: 'offer', secret: SECRET, apiKey: API_KEY })
  t.teardown(() => api.close())
  const { session } = await openCheckout(api.url, fixture('boots-us'), {
    secret: SECRET,
    apiKey: API_KEY,
    timeoutsMs: SHORT
  })
  t.teardown(() => session.close())
  await session.waitFor(() => session.button('No thanks'), 'the decline button')
  api.mode = 'slow'
  await session.press('No thanks')
  await session.waitFor(() => session.doneCalled, 'done()')
  t.pass('done() was reached')
})

t.test('an offer whose countdown has ended cannot be accepted: the buyer is told and continues', async (t) => {
  const api = await startFakeApi({
    mode: 'offer',
    secret: SECRET,
    apiKey: API_KEY,
    offer: { expiresAt: new Date(Date.now() - 1000).toISOString() }
  })
  t.teardown(() => api.close())
  const { session, render } = await openCheckout(api.url, fixture('boots-us'), { secret: SECRET, apiKey: API_KEY })
  t.teardown(() => session.close())
  t.equal(render, true)
  await session.waitFor(() => session.find('Banner').length > 0, 'the expiry message')
  t.match(session.text(), en.expired)
  t.notOk(session.button('Add to my order'), 'no accept button any more')
  await session.press(en.continue)
  t.equal(session.doneCalled, true)
  t.equal(api.requests.filter((r) => r.path === '/api/sign-changeset').length, 0)
})
