// The real extension bundle, run by the checkout harness against the real offer service.
import t from 'tap'
import { CHANGESET_ERROR_CODES } from '../../extension/harness/index.js'
import { errorMessage, messagesFor } from '../../extension/src/messages.js'
import { startService } from '../support/server-app.js'
import { enabledAccept, fixture, openCheckout, pressAccept, storedDecisions } from '../support/extension-checkout.js'

const en = messagesFor('en')

async function service(t: { teardown(fn: () => unknown): void }) {
  const svc = await startService(t)
  return svc
}

t.test('the offer is shown with its content, price preview, choices and countdown', async (t) => {
  const svc = await service(t)
  const { session, render } = await openCheckout(svc.url, fixture('boots-us'))
  t.teardown(() => session.close())
  t.equal(render, true)
  await session.waitFor(() => session.text().includes('Pay now'), 'the price preview')
  const text = session.text()
  t.match(text, 'Keep your feet warm')
  t.match(text, 'Add merino socks to your order')
  t.match(text, /Price \$24\.00/)
  t.match(text, /Boot bundle: \d+% off −\$\d+\.\d\d/)
  t.match(text, /Pay now \$\d+\.\d\d/)
  t.match(text, /Offer ends in (10:00|9:5\d)/)
  t.ok(session.button(/^Add to my order · \$\d+\.\d\d$/), 'the accept button shows the total')
  t.ok(session.button('No thanks'))
  t.equal(session.find('Image')[0]?.props.source, 'https://cdn.shopify.com/s/files/demo-snow/merino-socks.png')
  t.same(
    session.find('Select')[0]?.props.options,
    [
      { value: '808950810', label: 'Grey' },
      { value: '808950811', label: 'Charcoal' }
    ],
    'the picker names the variants as the rule does'
  )
  t.ok(session.button('+') && session.button('−'), 'a quantity stepper')
  t.match(
    session.storageData,
    { offer: { ruleId: 'wool-socks-with-boots' } },
    'ShouldRender stored the offer for Render'
  )
})

t.test(
  'accepting applies exactly the changes the service decided, then shows the next offer in the chain',
  async (t) => {
    const svc = await service(t)
    const { session } = await openCheckout(svc.url, fixture('boots-us'))
    t.teardown(() => session.close())
    await session.waitFor(() => session.button(/Add to my order · /), 'the accept button')
    await session.press('+')
    await session.select('Option', '808950811')
    await session.waitFor(
      () => session.button(/Add to my order · /)?.props.disabled !== true && session.button(/Add to my order · /),
      'the new price'
    )
    await session.press(/Add to my order/)
    await session.waitFor(() => session.text().includes('Make it a gift'), 'the gift wrap offer')
    t.match(session.text(), 'Added to your order.')
    t.equal(session.applied.length, 1)
    const [decision] = await storedDecisions(svc.url, 'r-boots-us-1')
    t.equal(decision?.ruleId, 'wool-socks-with-boots')
    t.same(
      decision?.acceptance?.changes,
      session.applied[0]?.claims.changes,
      'Shopify applied exactly what the service signed'
    )
    t.match(session.applied[0]?.changes, [
      { type: 'add_variant', variantId: 808950811, quantity: 2, discount: { valueType: 'percentage' } }
    ])
    const applied = decision?.events.find((e) => e.type === 'applied')
    t.equal(
      applied?.amount,
      session.applied[0]?.purchase.totalOutstandingSet.presentmentMoney.amount,
      'the applied event reports what was charged'
    )
  }
)

t.test('declining leads to the downsell, and accepting it ends with done()', async (t) => {
  const svc = await service(t)
  const { session } = await openCheckout(svc.url, fixture('boots-us'))
  t.teardown(() => session.close())
  await session.waitFor(() => session.button('No thanks'), 'the decline button')
  await session.press('No thanks')
  await session.waitFor(() => session.text().includes('Just one pair, then?'), 'the downsell')
  t.notMatch(session.text(), 'Added to your order')
  await session.waitFor(() => session.button(/Add to my order · /)?.props.disabled === false, 'the downsell price')
  await session.press(/Add to my order/)
  await session.waitFor(() => session.doneCalled, 'done()')
  const decisions = await storedDecisions(svc.url, 'r-boots-us-1')
  t.same(
    decisions.map((d) => d.ruleId),
    ['wool-socks-with-boots', 'single-pair-socks', null].slice(0, decisions.length)
  )
  t.match(decisions[1], { ruleId: 'single-pair-socks', after: { outcome: 'declined' } })
  t.ok(
    decisions[0]?.events.some((e) => e.type === 'declined'),
    'the decline was reported'
  )
  t.same(
    session.applied.map((a) => a.changes),
    [
      [
        {
          type: 'add_variant',
          variantId: 808950812,
          quantity: 1,
          discount: { value: 5, valueType: 'fixed_amount', title: '5 off a single pair' }
        }
      ]
    ]
  )
  t.same(decisions[1]?.acceptance?.changes, session.applied[0]?.claims.changes)
})

t.test('a second tap while the first is running does nothing', async (t) => {
  const svc = await service(t)
  const { session } = await openCheckout(svc.url, fixture('jacket-us'))
  t.teardown(() => session.close())
  const accept = await enabledAccept(session)
  const onPress = accept.props.onPress as () => void
  onPress()
  onPress()
  await session.idle()
  await session.waitFor(() => session.doneCalled || session.applied.length > 0, 'the changeset to be applied')
  await session.idle()
  t.equal(session.exchanges.filter((x) => x.path === '/api/sign-changeset').length, 1, 'one signing request')
  t.equal(session.applied.length, 1, 'one charge')
})

t.test('every applyChangeset error code shows its message and still reaches done()', async (t) => {
  const svc = await service(t)
  for (const code of CHANGESET_ERROR_CODES) {
    const referenceId = `r-jacket-error-${code}`
    const { session, render } = await openCheckout(svc.url, fixture('jacket-us', referenceId))
    t.equal(render, true, `${code}: an offer is shown`)
    session.forceApplyError = { code }
    await pressAccept(session)
    await session.waitFor(() => session.find('Banner').length > 0, `${code}: a message`)
    t.match(session.text(), errorMessage(en, code), `${code}: the buyer reads what happened`)
    t.equal(session.applied.length, 0)
    await session.press(en.continue)
    t.equal(session.doneCalled, true, `${code}: the buyer continues to the thank-you page`)
    const [decision] = await storedDecisions(svc.url, referenceId)
    t.match(
      decision?.events.find((e) => e.type === 'failed'),
      { status: 'unprocessed', errors: [{ code }] },
      `${code}: reported to the service`
    )
    session.close()
  }
})

t.test('a partially processed changeset is reported as failed and explained', async (t) => {
  const svc = await service(t)
  const { session } = await openCheckout(svc.url, fixture('jacket-us'))
  t.teardown(() => session.close())
  session.forceApplyError = { code: 'payment_required', status: 'partially_processed' }
  await pressAccept(session)
  await session.waitFor(() => session.find('Banner').length > 0, 'a message')
  t.match(session.text(), en.errors.payment_required)
  await session.press(en.continue)
  t.equal(session.doneCalled, true)
})

t.test('a French-speaking buyer reads the offer and the price in French', async (t) => {
  const svc = await service(t)
  const { session, render } = await openCheckout(svc.url, fixture('boots-ca-french'))
  t.teardown(() => session.close())
  t.equal(render, true)
  await session.waitFor(() => session.text().includes('À payer maintenant'), 'the French price preview')
  t.match(session.text(), 'Gardez les pieds au chaud')
  t.match(session.text(), /Taxes \d+,\d\d\s\$/)
  t.match(
    session.find('Select')[0]?.props.options,
    [{ label: 'Gris' }, { label: 'Anthracite' }],
    'variant names in French'
  )
})

t.test('a checkout the rules do not target shows no page at all', async (t) => {
  const svc = await service(t)
  const { session, render } = await openCheckout(svc.url, fixture('boots-pickup'))
  t.teardown(() => session.close())
  t.equal(render, false)
  t.equal(session.storageData, null)
  t.same(
    session.exchanges.map((x) => [x.path, x.status]),
    [['/api/offer', 200]]
  )
})
