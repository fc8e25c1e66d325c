// The preview's Thank-you pane in Chromium: the real Thank-you bundle in its browser host beside the post-purchase
// page, for a card order (after its post-purchase page) and a wallet order (which skipped it): the offer as the buyer
// reads it, accepting, and the answer shown. Screenshots go to the tap test directory only.
import t from 'tap'
import type { FrameLocator, Page } from 'playwright-core'
import { startPreview } from '../../extension/preview/server.js'
import { hasChromium, launchChromium } from '../../extension/preview/browser.js'
import { startService } from '../support/server-app.js'
import { SAMPLE_RULES_DIR, TEST_ADMIN_TOKEN, TEST_API_KEY, TEST_API_SECRET } from '../support/extension-checkout.js'
import { startFakeThankYouService, thankYouOffer } from '../support/thank-you-fake-service.js'

const WAIT = { timeout: 10_000 }

const phone = (page: Page) => page.locator('section.phone[aria-label="Post-purchase page"]')

/** Declines whatever the post-purchase page offers until the buyer reaches the Thank-you page. */
async function declineUntilDone(page: Page) {
  for (let i = 0; i < 4; i++) {
    if (await page.getByTestId('thank-you').isVisible()) return
    // The decline is the offer's last secondary button (the quantity's − comes before it).
    const decline = phone(page).locator('button.s-button.subdued').last()
    await decline.waitFor(WAIT)
    await decline.click()
    await page.waitForFunction('!document.querySelector(\'button.s-button[aria-busy="true"]\')', undefined, WAIT)
  }
  await page.getByTestId('thank-you').waitFor(WAIT)
}

const block = (page: Page): FrameLocator => page.frameLocator('[data-testid="thank-you-frame"]')

const skip = hasChromium()
  ? false
  : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium; .ci/run does it)'
t.test('the Thank-you pane in Chromium', { skip }, async (t) => {
  const shots = t.testdir()
  const svc = await startService(t)
  const fake = await startFakeThankYouService()
  t.teardown(() => fake.close())
  const offer = thankYouOffer({
    orderName: '#1001',
    variants: [808950810, 808950811],
    variantLabels: { '808950810': 'Grey', '808950811': 'Charcoal' },
    quantity: { default: 1, min: 1, max: 3 },
    prices: {
      '808950810': { amount: '6.48', originalAmount: '8.10', currencyCode: 'USD' },
      '808950811': { amount: '7.20', originalAmount: '9.00', currencyCode: 'USD' }
    }
  })
  fake.offer = { status: 200, body: { render: true, offer } }
  fake.accept = {
    status: 200,
    body: { status: 'added', amountDue: { amount: '14.40', currencyCode: 'USD' }, invoiceSent: true }
  }
  const preview = await startPreview({
    service: { url: svc.url, secret: TEST_API_SECRET, apiKey: TEST_API_KEY, adminToken: TEST_ADMIN_TOKEN },
    rulesDir: SAMPLE_RULES_DIR,
    port: 0,
    thankYou: { serviceUrl: fake.url }
  })
  t.teardown(() => preview.close())
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const page = await browser.context.newPage()

  await t.test('a wallet order skips the post-purchase page and gets the offer on the Thank-you page', async (t) => {
    await page.goto(`${preview.url}/?fixture=boots-us&payment=wallet`)
    await page.getByTestId('skipped').waitFor(WAIT)
    await block(page).getByRole('heading', { name: 'Keep your feet warm' }).waitFor(WAIT)
    const text = await block(page).locator('body').innerText()
    t.match(text, 'Merino socks that go with your boots.')
    t.match(text, '$6.48 each · was $8.10 · 20% off')
    t.match(text, 'Will be added to order #1001; you will receive an invoice for $6.48.')
    await page.screenshot({ path: `${shots}/1-wallet-offer.png`, fullPage: true })
    await block(page).getByLabel('Option').selectOption('808950811')
    await block(page).getByLabel('Quantity').fill('2')
    await block(page).getByLabel('Quantity').press('Tab')
    await block(page).getByText('you will receive an invoice for $14.40.').waitFor(WAIT)
    await block(page).getByRole('button', { name: 'Add to my order' }).click()
    await block(page).getByText('Added to order #1001; an invoice for $14.40 has been sent to you.').waitFor(WAIT)
    const log = await page.getByTestId('thank-you-log').innerText()
    t.match(log, /200 \/api\/thank-you\/offer/)
    t.match(log, /200 \/api\/thank-you\/accept/)
    t.match(
      log,
      /sessionToken\.get\(\): dest https:\/\/demo-snow\.myshopify\.com, sub gid:\/\/shopify\/Customer\/207119551/
    )
    await page.screenshot({ path: `${shots}/2-wallet-accepted.png`, fullPage: true })
    const asked = fake.requests.find((r) => r.path === '/api/thank-you/offer')
    t.match(asked?.body, { orderId: /^gid:\/\/shopify\/Order\/\d+$/, confirmationNumber: /^[A-Z0-9]{9}$/ })
    t.same(fake.requests.at(-1)?.body, { offerId: 'ty-offer-1', quantity: 2, variantId: 808950811 })
  })

  await t.test('a card order: the post-purchase page first, then the Thank-you page for the same order', async (t) => {
    fake.requests.length = 0
    fake.offer = { status: 200, body: { render: false } }
    await page.getByTestId('payment').selectOption('card')
    await page.getByTestId('run').click()
    await phone(page).getByRole('heading', { name: 'Keep your feet warm' }).waitFor(WAIT)
    t.equal(await page.getByTestId('thank-you-waiting').innerText(), 'The buyer is on the post-purchase page.')
    await declineUntilDone(page)
    await page.getByTestId('order-confirmed').waitFor(WAIT)
    await page.getByTestId('thank-you-log').getByText('200 /api/thank-you/offer').waitFor(WAIT)
    t.equal((await block(page).locator('body').innerText()).trim(), '', 'render: false draws nothing')
    t.equal(fake.requests.length, 1, 'one request: the offer')
    await page.screenshot({ path: `${shots}/3-card-thank-you.png`, fullPage: true })
  })
})
