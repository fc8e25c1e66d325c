// The preview's two pages in Chromium, against the real service with the local fake Admin API on loopback (what
// `npm run preview` starts): a wallet order skips the post-purchase page and the real Thank-you bundle, in its browser
// host, shows the offer, takes a changed variant and quantity and accepts, and the order edit lands in the fake; a
// card order gets its offer on the post-purchase page and nothing again on the Thank-you page. Screenshots go to the
// tap test directory only.
import t from 'tap'
import type { FrameLocator, Page } from 'playwright-core'
import { startPreview } from '../../extension/preview/server.js'
import { hasChromium, launchChromium } from '../../extension/preview/browser.js'
import { startLocalService } from '../../scripts/lib/local-service.js'
import { startPreviewShopify } from '../../scripts/lib/preview-shopify.js'
import {
  SAMPLE_RULES_DIR,
  TEST_ADMIN_TOKEN,
  TEST_API_KEY,
  TEST_API_SECRET,
  storedDecisions
} from '../support/extension-checkout.js'

const WAIT = { timeout: 10_000 }

const postPurchase = (page: Page) => page.locator('section.phone[aria-label="Post-purchase page"]')
const block = (page: Page): FrameLocator => page.frameLocator('[data-testid="thank-you-frame"]')
const blockText = async (page: Page) => (await block(page).locator('body').innerText()).replace(/\s+/g, ' ').trim()

/** Declines whatever the post-purchase page offers until the buyer reaches the Thank-you page. */
async function declineUntilDone(page: Page) {
  const done = page.getByTestId('thank-you')
  for (let i = 0; i < 4; i++) {
    // The decline is the offer's last secondary button (the quantity's − comes before it).
    const decline = postPurchase(page).locator('button.s-button.subdued:not([disabled])').last()
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
t.test('both pages in Chromium', { skip }, async (t) => {
  const shots = t.testdir()
  const secrets = { apiSecret: TEST_API_SECRET, apiKey: TEST_API_KEY, adminToken: TEST_ADMIN_TOKEN }
  const shopify = await startPreviewShopify({ rulesDir: SAMPLE_RULES_DIR, ...secrets })
  t.teardown(() => shopify.close())
  const svc = await startLocalService({ rulesDir: SAMPLE_RULES_DIR, ...secrets, adminApiOrigin: shopify.origin })
  t.teardown(() => svc.close())
  await shopify.install(svc.app)
  const preview = await startPreview({
    service: { url: svc.url, secret: TEST_API_SECRET, apiKey: TEST_API_KEY, adminToken: TEST_ADMIN_TOKEN },
    rulesDir: SAMPLE_RULES_DIR,
    port: 0,
    thankYou: { orders: shopify.orders }
  })
  t.teardown(() => preview.close())
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const page = await browser.context.newPage()

  await t.test('a wallet order: no post-purchase page, the offer on the Thank-you page, accepted', async (t) => {
    await page.goto(`${preview.url}/?fixture=boots-us&payment=wallet`)
    await page.getByTestId('skipped').waitFor(WAIT)
    await block(page).getByRole('heading', { name: 'Keep your feet warm' }).waitFor(WAIT)
    const order = (await page.getByTestId('order-confirmed').innerText()).match(/Confirmation #(\w+)/)?.[1]
    t.match(order, /^[A-Z0-9]{9}$/, 'the confirmation number on the page')
    const text = await blockText(page)
    t.match(text, 'Add merino socks to your order: one tap, no new checkout.')
    t.match(text, /\$(19\.20|18\.00) each · was \$24\.00 · Boot bundle: (20|25)% off/)
    t.match(text, /Will be added to order #\d+; you will receive an invoice for \$(19\.20|18\.00)\./)
    await page.screenshot({ path: `${shots}/1-wallet-offer.png`, fullPage: true })

    await block(page).getByLabel('Option').selectOption('808950811')
    await block(page).getByLabel('Quantity').fill('2')
    await block(page).getByLabel('Quantity').press('Tab')
    await block(page)
      .getByText(/you will receive an invoice for \$(38\.40|36\.00)\./)
      .waitFor(WAIT)
    await block(page).getByRole('button', { name: 'Add to my order' }).click()
    await block(page)
      .getByText(/Added to order #\d+; an invoice for \$(38\.40|36\.00) has been sent to you\./)
      .waitFor(WAIT)
    const log = await page.getByTestId('thank-you-log').innerText()
    t.match(log, /200 \/api\/thank-you\/offer/)
    t.match(log, /200 \/api\/thank-you\/accept/)
    t.match(
      log,
      /sessionToken\.get\(\): dest https:\/\/demo-snow\.myshopify\.com, sub gid:\/\/shopify\/Customer\/207119551/
    )

    const gid = (await page.getByTestId('run-meta').innerText()).match(/order (gid:\/\/shopify\/Order\/\d+)/)?.[1] ?? ''
    const edits = shopify.fake.committedEdits(gid)
    t.equal(edits.length, 1, 'one committed order edit in the fake Admin API')
    t.match(edits[0]?.lines, [{ variantId: 808950811, quantity: 2, unitPrice: '24.00', discount: { percent: Number } }])
    // The edit itself, not the "committedEdits" key: the key is on the page while the list is still empty.
    await page.getByTestId('admin-order').getByText('"variantId": 808950811').first().waitFor(WAIT)
    t.match(await page.getByTestId('admin-order').innerText(), /"variantId": 808950811/, 'the page shows the edit')
    await page.screenshot({ path: `${shots}/2-wallet-accepted.png`, fullPage: true })
  })

  await t.test('a card order: the offer on the post-purchase page, not again on the Thank-you page', async (t) => {
    await page.getByTestId('fixture').selectOption('boots-us')
    await page.getByTestId('payment').selectOption('card')
    await page.getByTestId('run').click()
    await postPurchase(page).getByRole('heading', { name: 'Keep your feet warm' }).waitFor(WAIT)
    t.equal(await page.getByTestId('thank-you-waiting').innerText(), 'The buyer is on the post-purchase page.')
    await declineUntilDone(page)
    await page.getByTestId('order-confirmed').waitFor(WAIT)
    await page.getByTestId('thank-you-log').getByText('200 /api/thank-you/offer').waitFor(WAIT)
    // One history for the order: what the post-purchase page showed is not offered again (another rule may be).
    const referenceId = (await page.getByTestId('run-meta').innerText()).match(/referenceId (\S+)/)?.[1] ?? ''
    const decisions = await storedDecisions(svc.url, referenceId)
    const shownBefore = decisions.filter((d) => d.surface === 'post_purchase' && d.ruleId).map((d) => d.ruleId)
    const thankYou = decisions.filter((d) => d.surface === 'thank_you')
    t.match(
      shownBefore,
      ['wool-socks-with-boots', 'single-pair-socks'],
      'the post-purchase page: the offer, the downsell'
    )
    t.equal(thankYou.length, 1, 'the Thank-you page decided once, for the same checkout')
    t.notOk(shownBefore.includes(thankYou[0]?.ruleId ?? null), `not offered again (Thank-you: ${thankYou[0]?.ruleId})`)
    for (const headline of ['Keep your feet warm', 'Just one pair, then?'])
      t.equal(await block(page).getByRole('heading', { name: headline }).count(), 0, `"${headline}" not shown again`)
    const gid = (await page.getByTestId('run-meta').innerText()).match(/order (gid:\/\/shopify\/Order\/\d+)/)?.[1] ?? ''
    t.match(gid, /^gid:\/\/shopify\/Order\/\d+$/)
    t.same(shopify.fake.committedEdits(gid), [], 'nothing edited')
    await page.screenshot({ path: `${shots}/3-card-thank-you.png`, fullPage: true })
  })

  await t.test('any fixture, in its buyer language: a French wallet order', async (t) => {
    await page.getByTestId('fixture').selectOption('boots-ca-french')
    await page.getByTestId('payment').selectOption('wallet')
    await page.getByTestId('run').click()
    await block(page).getByRole('heading', { name: 'Gardez les pieds au chaud' }).waitFor(WAIT)
    t.match(await blockText(page), /Sera ajouté à la commande #\d+ ; vous recevrez une facture de/)
    await page.screenshot({ path: `${shots}/4-french-wallet.png`, fullPage: true })
  })
})
