// The preview in Chromium: what the buyer sees, accept and decline-then-downsell clicked through, and what the service
// stored. The subtests share one browser page and run in order, each starting where the last one left off.
// Screenshots go to a tap test directory (kept with --save-fixture); docs/preview.png is refreshed by
// `npm run preview:screenshot`, never by a test.
import t from 'tap'
import type { Page } from 'playwright-core'
import { startPreview } from '../../extension/preview/server.js'
import { startService } from '../support/server-app.js'
import { hasChromium, launchChromium } from '../../extension/preview/browser.js'
import {
  SAMPLE_RULES_DIR,
  TEST_ADMIN_TOKEN,
  TEST_API_KEY,
  TEST_API_SECRET,
  storedDecisions
} from '../support/extension-checkout.js'

const WAIT = { timeout: 10_000 }

const phone = (page: Page) => page.locator('section.phone[aria-label="Post-purchase page"]')
const primary = (page: Page) => phone(page).locator('button.s-button:not(.subdued)').first()

/** Declines whatever is offered until the buyer reaches the thank-you page. */
async function declineUntilDone(page: Page) {
  const done = page.getByTestId('thank-you')
  for (let i = 0; i < 4; i++) {
    // Either the next offer's decline or the thank-you page: the last decline ends the page a moment later.
    const decline = phone(page).locator('button.s-button.subdued:not([disabled])').last()
    await done.or(decline).first().waitFor(WAIT)
    if (await done.isVisible()) return
    await decline.click()
    await page.waitForFunction('!document.querySelector(\'button.s-button[aria-busy="true"]\')', undefined, WAIT)
  }
  await done.waitFor(WAIT)
}

const skip = hasChromium()
  ? false
  : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium; .ci/run does it)'
t.test('the preview in Chromium', { skip }, async (t) => {
  const shots = t.testdir()
  const svc = await startService(t)
  const preview = await startPreview({
    service: { url: svc.url, secret: TEST_API_SECRET, apiKey: TEST_API_KEY, adminToken: TEST_ADMIN_TOKEN },
    rulesDir: SAMPLE_RULES_DIR,
    port: 0
  })
  t.teardown(() => preview.close())
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const page = await browser.context.newPage()

  await t.test('shows the offer as the buyer sees it, with the price preview and the harness log', async (t) => {
    await page.goto(`${preview.url}/?fixture=boots-us`)
    await phone(page).getByRole('heading', { name: 'Keep your feet warm' }).waitFor(WAIT)
    await primary(page)
      .filter({ hasText: /Add to my order · \$\d+\.\d\d/ })
      .waitFor(WAIT)
    const text = await phone(page).innerText()
    t.match(text, /Pay now\s+\$20\.74/)
    t.match(text, /Boot bundle: 20% off\s+−\$4\.80/)
    t.match(text, /Offer ends in (10:00|9:5\d)/)
    t.match(await page.getByTestId('log').innerText(), /calculateChangeset -> 20\.74 USD due now/)
    await page.screenshot({ path: `${shots}/1-offer.png`, fullPage: true })
  })

  await t.test(
    'accept: a changed quantity and variant are charged, the chain continues, the service stores it',
    async (t) => {
      await phone(page).getByRole('button', { name: '+' }).click()
      await phone(page).getByLabel('Option').selectOption('808950811')
      await primary(page).filter({ hasText: '$41.47' }).waitFor(WAIT)
      await primary(page).click()
      await phone(page).getByText('Added to your order.').waitFor(WAIT)
      await phone(page).getByRole('heading', { name: 'Make it a gift' }).waitFor(WAIT)
      t.match(await page.getByTestId('log').innerText(), /applyChangeset -> processed/)
      await page.screenshot({ path: `${shots}/2-accepted-next-offer.png`, fullPage: true })
      await declineUntilDone(page)
      t.match(
        await page.getByTestId('thank-you').innerText(),
        /Added 2 × Merino socks \(Charcoal\) · charged 41\.47 USD/
      )
      await page.getByTestId('stored').waitFor(WAIT)
      await page.screenshot({ path: `${shots}/3-thank-you.png`, fullPage: true })
      const decisions = await storedDecisions(svc.url, 'r-boots-us-1')
      t.match(decisions[0], { ruleId: 'wool-socks-with-boots', acceptance: { variantId: 808950811, quantity: 2 } })
      t.ok(
        decisions[0]?.events.some((e) => e.type === 'applied' && e.amount === '41.47'),
        'the applied charge was reported'
      )
      t.match(decisions[1], { ruleId: 'gift-wrap-after-socks', after: { outcome: 'accepted' } })
    }
  )

  await t.test('decline, then the downsell: the fixture picker runs another checkout', async (t) => {
    await page.getByTestId('fixture').selectOption('boots-us-25-off')
    await page.getByTestId('run').click()
    await phone(page).getByRole('heading', { name: 'Keep your feet warm' }).waitFor(WAIT)
    await phone(page).getByRole('button', { name: 'No thanks' }).click()
    await phone(page).getByRole('heading', { name: 'Just one pair, then?' }).waitFor(WAIT)
    await primary(page).filter({ hasText: /·/ }).waitFor(WAIT)
    await page.screenshot({ path: `${shots}/4-downsell.png`, fullPage: true })
    await primary(page).click()
    await page.getByTestId('thank-you').waitFor(WAIT)
    t.match(await page.getByTestId('thank-you').innerText(), /Merino socks, single pair/)
    const decisions = await storedDecisions(svc.url, 'r-boots-us-4')
    t.match(decisions[0], { ruleId: 'wool-socks-with-boots', acceptance: null })
    t.ok(
      decisions[0]?.events.some((e) => e.type === 'declined'),
      'the decline was reported'
    )
    t.match(decisions[1], {
      ruleId: 'single-pair-socks',
      after: { outcome: 'declined' },
      acceptance: { variantId: 808950812, quantity: 1 }
    })
  })

  await t.test('a checkout without an offer says why nothing is shown', async (t) => {
    await page.getByTestId('fixture').selectOption('boots-pickup')
    await page.getByTestId('run').click()
    await page.getByTestId('no-offer').waitFor(WAIT)
    t.match(await page.getByTestId('no-offer').innerText(), /render: false/)
    t.match(await page.getByTestId('no-offer-reason').innerText(), /the service decided: no offer/)
    await page.screenshot({ path: `${shots}/5-no-offer.png`, fullPage: true })
  })
})
