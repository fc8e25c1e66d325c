// The Thank-you extension's real bundle, run by the happy-dom host against a local fake of the two routes: what the
// buyer sees, what is sent, and that every failure renders nothing.
import t from 'tap'
import { createVerifier } from 'fast-jwt'
import { buildThankYou } from '../../extension/thank-you-harness/build.js'
import { runThankYou, type ThankYouPage } from '../../extension/thank-you-harness/host.js'
import { mintSessionToken } from '../../extension/thank-you-harness/session-token.js'
import { startFakeThankYouService, thankYouOffer, type FakeThankYouService } from '../support/thank-you-fake-service.js'

const SECRET = 'thank-you-test-secret'
const API_KEY = 'thank-you-test-api-key'
const SHOP = 'encore-test.myshopify.com'
const ORDER = { id: 'gid://shopify/Order/5550001', number: 'DB4W5VTNZ' }
const CUSTOMER = 'gid://shopify/Customer/7001'

let service: FakeThankYouService
let code: string
const pages: ThankYouPage[] = []

t.before(async () => {
  service = await startFakeThankYouService()
  code = (await buildThankYou({ appUrl: service.url, env: {} })).code
})
const missingTranslations = new Set<string>()
t.afterEach(async () => {
  for (const page of pages) page.missingTranslations.forEach((key) => missingTranslations.add(key))
  await Promise.all(pages.splice(0).map((p) => p.close()))
  service.requests.length = 0
  service.offer = { status: 200, body: { render: false } }
  service.accept = {
    status: 200,
    body: { status: 'added', amountDue: { amount: '6.48', currencyCode: 'USD' }, invoiceSent: true }
  }
})
t.teardown(() => service.close())

type OpenOptions = {
  order?: { id: string; number?: string }
  customerId?: string
  bundle?: string
  maxTimeoutMs?: number
  locale?: string
}

async function open(opts: OpenOptions = {}) {
  const page = await runThankYou({
    code: opts.bundle ?? code,
    order: opts.order ?? ORDER,
    maxTimeoutMs: opts.maxTimeoutMs,
    locale: opts.locale,
    sessionToken: () => mintSessionToken({ secret: SECRET, apiKey: API_KEY, shop: SHOP, customerId: opts.customerId })
  })
  pages.push(page)
  await page.settle()
  return page
}

const offerAnswer = (overrides: Record<string, unknown> = {}) => ({
  status: 200,
  body: { render: true, offer: thankYouOffer(overrides) }
})
const paths = () => service.requests.map((r) => r.path)

t.test('an order_edit offer: headline, body, image, price line, what happens and the two buttons', async (t) => {
  service.offer = offerAnswer({ orderName: '#1234' })
  const page = await open()
  t.same(page.violations(), [], 'only Polaris web components this target accepts')
  const section = page.all().find((n) => n.tag === 's-section')
  t.equal(section?.attributes.heading, 'Keep your feet warm')
  const image = page.all().find((n) => n.tag === 's-image')
  t.equal(image?.attributes.src, 'https://cdn.shopify.com/s/files/socks.png')
  t.equal(image?.attributes.alt, 'Grey merino socks')
  t.match(page.text(), 'Merino socks that go with your boots.')
  t.equal(page.find('s-text')?.textContent, '$6.48 each · was $8.10 · 20% off')
  t.match(page.text(), 'Will be added to order #1234; you will receive an invoice for $6.48.')
  t.ok(page.find('s-button', 'Add to my order'), 'accept button')
  t.ok(page.find('s-button', 'No thanks'), 'decline button')
  t.notOk(page.find('s-select'), 'no variant picker for one variant')
  t.notOk(page.find('s-number-field'), 'no quantity field when min = max')
  t.same(service.requests[0]?.body, { orderId: ORDER.id, confirmationNumber: ORDER.number })
})

t.test('the Authorization header carries the session token Shopify handed the extension', async (t) => {
  service.offer = offerAnswer()
  const page = await open({ customerId: CUSTOMER })
  await page.click(page.find('s-button', 'Add to my order')!)
  await page.settle()
  t.same(paths(), ['/api/thank-you/offer', '/api/thank-you/accept'])
  t.equal(page.tokens.length, 2, 'a token asked for each request, as the API recommends')
  for (const [i, request] of service.requests.entries()) {
    t.equal(request.authorization, `Bearer ${page.tokens[i]}`)
    const claims = createVerifier({ key: SECRET, algorithms: ['HS256'] })(page.tokens[i]!) as Record<string, unknown>
    t.equal(claims.aud, API_KEY)
    t.equal(claims.dest, `https://${SHOP}`)
    t.equal(claims.sub, CUSTOMER)
  }
  t.not(service.requests[0]?.origin, undefined, 'sent cross-origin, as from the sandbox (CORS applied)')
})

t.test('without an order name the sentence names the confirmation number shown on the page', async (t) => {
  service.offer = offerAnswer()
  const page = await open()
  t.match(page.text(), `Will be added to order #${ORDER.number}; you will receive an invoice for $6.48.`)
})

t.test('accept posts the offer, quantity and variant, then shows what was added and what is due', async (t) => {
  service.offer = offerAnswer({
    orderName: '#1234',
    variants: [808950810, 808950811],
    variantLabels: { '808950810': 'Grey', '808950811': 'Navy' },
    quantity: { default: 1, min: 1, max: 3 },
    prices: {
      '808950810': { amount: '6.48', originalAmount: '8.10', currencyCode: 'USD' },
      '808950811': { amount: '6.85', originalAmount: '8.56', currencyCode: 'USD' }
    }
  })
  service.accept = {
    status: 200,
    body: { status: 'added', amountDue: { amount: '22.23', currencyCode: 'USD' }, invoiceSent: true }
  }
  const page = await open()
  const select = page.find('s-select')!
  t.ok(select, 'a picker for two variants')
  t.same(
    Array.from(select.querySelectorAll('s-option')).map((o) => [o.getAttribute('value'), o.textContent]),
    [
      ['808950810', 'Grey'],
      ['808950811', 'Navy']
    ]
  )
  await page.change(select, '808950811')
  await page.change(page.find('s-number-field')!, '3')
  await page.settle()
  t.equal(page.find('s-text')?.textContent, '$6.85 each · was $8.56 · 20% off', 'the picked variant is priced')
  t.match(page.text(), 'Will be added to order #1234; you will receive an invoice for $20.55.', '3 x $6.85')
  await page.change(page.find('s-number-field')!, '9')
  await page.settle()
  t.match(page.text(), 'invoice for $20.55', 'quantity stays within the offer (max 3)')
  await page.click(page.find('s-button', 'Add to my order')!)
  await page.settle()
  t.same(service.requests[1], {
    path: '/api/thank-you/accept',
    authorization: service.requests[1]?.authorization,
    origin: service.requests[1]?.origin,
    body: { offerId: 'ty-offer-1', quantity: 3, variantId: 808950811 }
  })
  const banner = page.all().find((n) => n.tag === 's-banner')
  t.equal(banner?.attributes.tone, 'success')
  t.equal(banner?.attributes.heading, 'Added to your order')
  t.match(
    page.text(),
    'Added to order #1234; an invoice for $22.23 has been sent to you.',
    'the amount due, as answered'
  )
  t.notOk(page.find('s-button'), 'no second accept')
  t.same(page.violations(), [])
})

t.test('a French-speaking buyer reads our sentences in French, money formatted for fr-CA', async (t) => {
  service.offer = offerAnswer({ orderName: '#1234', quantity: { default: 2, min: 1, max: 2 } })
  service.accept = {
    status: 200,
    body: { status: 'added', amountDue: { amount: '12.96', currencyCode: 'USD' }, invoiceSent: true }
  }
  const page = await open({ locale: 'fr-CA' })
  // page.text() collapses whitespace, Intl's no-break spaces included.
  const usd = (n: number) =>
    new Intl.NumberFormat('fr-CA', { style: 'currency', currency: 'USD' }).format(n).replace(/\s+/g, ' ')
  t.match(page.text(), `${usd(6.48)} l’unité · au lieu de ${usd(8.1)} · 20% off`)
  t.match(page.text(), `Sera ajouté à la commande #1234 ; vous recevrez une facture de ${usd(12.96)}.`)
  t.equal(page.find('s-number-field')?.getAttribute('label'), 'Quantité')
  await page.click(page.find('s-button', 'Add to my order')!)
  await page.settle()
  t.equal(page.find('s-banner')?.getAttribute('heading'), 'Ajouté à votre commande')
  t.match(page.text(), `Ajouté à la commande #1234 ; une facture de ${usd(12.96)} vous a été envoyée.`)
})

t.test('an offer with a countdown still running is shown', async (t) => {
  service.offer = offerAnswer({ expiresAt: new Date(Date.now() + 600_000).toISOString() })
  const page = await open()
  t.ok(page.find('s-button', 'Add to my order'))
})

t.test('added without an invoice sent yet still says what is due', async (t) => {
  service.offer = offerAnswer({ orderName: '#1234' })
  service.accept = {
    status: 200,
    body: { status: 'added', amountDue: { amount: '6.48', currencyCode: 'USD' }, invoiceSent: false }
  }
  const page = await open()
  await page.click(page.find('s-button', 'Add to my order')!)
  await page.settle()
  t.match(page.text(), 'Added to order #1234; you will receive an invoice for $6.48.')
})

t.test('a checkout offer says it opens a new checkout, and accepting links to it', async (t) => {
  service.offer = offerAnswer({ settle: 'checkout' })
  service.accept = { status: 200, body: { status: 'checkout', url: 'https://encore-test.myshopify.com/checkouts/c/1' } }
  const page = await open()
  t.match(page.text(), 'Opens a new checkout for this item.')
  t.notMatch(page.text(), /invoice/)
  await page.click(page.find('s-button', 'Add to my order')!)
  await page.settle()
  const link = page.find('s-button', 'Go to checkout')
  t.equal(link?.getAttribute('href'), 'https://encore-test.myshopify.com/checkouts/c/1')
  t.same(page.violations(), [])
})

t.test('a double tap accepts once', async (t) => {
  service.offer = offerAnswer()
  const page = await open()
  const button = page.find('s-button', 'Add to my order')!
  await Promise.all([page.click(button), page.click(button)])
  await page.settle()
  t.same(paths(), ['/api/thank-you/offer', '/api/thank-you/accept'])
})

t.test('decline hides the block and sends nothing', async (t) => {
  service.offer = offerAnswer()
  const page = await open()
  await page.click(page.find('s-button', 'No thanks')!)
  await page.settle()
  t.same(page.tree(), [])
  t.same(paths(), ['/api/thank-you/offer'])
})

t.test('without prices the page shows no price line and promises the invoice amount after accepting', async (t) => {
  service.offer = offerAnswer({ prices: undefined })
  const page = await open()
  t.notOk(page.find('s-text'))
  t.match(page.text(), `you will receive an invoice for the amount due.`)
})

t.test('a failed or malformed accept answer says nothing was added', async (t) => {
  service.offer = offerAnswer()
  service.accept = { status: 500, body: { error: { code: 'INTERNAL', message: 'boom' } } }
  const page = await open()
  await page.click(page.find('s-button', 'Add to my order')!)
  await page.settle()
  const banner = page.all().find((n) => n.tag === 's-banner')
  t.equal(banner?.attributes.tone, 'critical')
  t.match(page.text(), 'Nothing was added to your order and you have not been charged.')
  service.accept = { status: 200, body: { status: 'added' } }
  const malformed = await open()
  await malformed.click(malformed.find('s-button', 'Add to my order')!)
  await malformed.settle()
  t.match(malformed.text(), 'Nothing was added', 'an answer outside the contract is a failure too')
})

t.test('fails closed: each of these renders nothing', async (t) => {
  const cases: [string, FakeThankYouService['offer']][] = [
    ['render: false', { status: 200, body: { render: false } }],
    ['500', { status: 500, body: { error: { code: 'INTERNAL', message: 'boom' } } }],
    ['403', { status: 403, body: { error: { code: 'ORDER_NOT_YOURS', message: 'no' } } }],
    ['not JSON', { status: 200, body: 'ok' }],
    ['an offer outside the contract', offerAnswer({ settle: 'invoice' })],
    ['an offer without content', offerAnswer({ content: null })],
    ['render: true without an offer', { status: 200, body: { render: true } }],
    ['an offer that already expired', offerAnswer({ expiresAt: '2020-01-01T00:00:00Z' })]
  ]
  for (const [name, answer] of cases) {
    service.offer = answer
    service.requests.length = 0
    const page = await open()
    t.same(paths(), ['/api/thank-you/offer'], `${name}: asked`)
    t.same(page.tree(), [], `${name}: nothing rendered`)
  }
})

t.test('fails closed on a timeout: the request is aborted and nothing is rendered', async (t) => {
  service.offer = 'hang'
  const aborted = service.aborted()
  // The extension's 5 s deadline, compressed: the host caps its timers.
  const page = await open({ maxTimeoutMs: 200 })
  await aborted
  await page.settle()
  t.same(paths(), ['/api/thank-you/offer'])
  t.same(page.tree(), [])
})

t.test('an accept with no answer in time is aborted and the page says it could not be confirmed', async (t) => {
  service.offer = offerAnswer()
  service.accept = 'hang'
  const page = await open({ maxTimeoutMs: 200 })
  const aborted = service.aborted()
  await page.click(page.find('s-button', 'Add to my order')!)
  await aborted
  await page.settle()
  const banner = page.all().find((n) => n.tag === 's-banner')
  t.equal(banner?.attributes.heading, 'We could not confirm this item')
  t.match(page.text(), 'If it was added, you will receive an invoice by email.')
  t.notMatch(page.text(), /not been charged/, 'a late answer is not reported as a failure: the edit may have happened')
})

t.test('nothing is asked without a confirmation number or an app URL', async (t) => {
  service.offer = offerAnswer()
  const noNumber = await open({ order: { id: ORDER.id } })
  t.same(noNumber.tree(), [])
  const unconfigured = await open({ bundle: (await buildThankYou({ env: {} })).code })
  t.same(unconfigured.tree(), [])
  t.same(paths(), [], 'no request at all')
})

// Last on purpose: every page opened above reported the keys it asked shopify.i18n.translate for in vain.
t.test('every string the block showed came from the locale files', async (t) => {
  t.same([...missingTranslations], [])
})
