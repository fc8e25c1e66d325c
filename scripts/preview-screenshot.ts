// `npm run preview:screenshot`: refreshes docs/preview.png (the README's picture) from the preview in Chromium. Tests
// never write into the tracked tree, so the picture is refreshed on purpose, with this command.
import { fileURLToPath } from 'node:url'
import { resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { DEV_API_KEY, DEV_API_SECRET } from '../server/dev-credentials.js'
import { CHROMIUM, hasChromium, launchChromium } from '../extension/preview/browser.js'
import { parseCommandArgs, runIfEntry, type Io } from './lib/cli.js'

const OUT = fileURLToPath(new URL('../docs/preview.png', import.meta.url))
const WAIT = { timeout: 10_000 }

export async function main(argv: string[], io: Io): Promise<number> {
  const options = parseCommandArgs('preview:screenshot', argv, { help: { type: 'boolean', short: 'h' } }, io)
  if (options === null) return 2
  if (options.help) {
    io.out(`usage: npm run preview:screenshot

Starts the service, the local fake Admin API and the preview on the sample rules, opens the boots-us checkout in
Chromium (${CHROMIUM}, or CHROMIUM_PATH), accepts the post-purchase offer, declines the next one and writes the page,
the Thank-you page of the same order included, to docs/preview.png.
`)
    return 0
  }
  if (!hasChromium()) {
    io.err(`preview:screenshot: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`)
    return 1
  }
  // Imported here: the service, the fake Admin API and the preview (with its bundler) are not needed for --help.
  const { startPreview } = await import('../extension/preview/server.js')
  const { startLocalService } = await import('./lib/local-service.js')
  const { startPreviewShopify } = await import('./lib/preview-shopify.js')
  const secrets = { apiSecret: DEV_API_SECRET, apiKey: DEV_API_KEY, adminToken: randomBytes(24).toString('hex') }
  const rulesDir = resolve(fileURLToPath(new URL('../rules', import.meta.url)))
  const shopify = await startPreviewShopify({ rulesDir, ...secrets })
  const service = await startLocalService({ rulesDir, ...secrets, adminApiOrigin: shopify.origin })
  await shopify.install(service.app)
  const preview = await startPreview({
    service: { url: service.url, secret: secrets.apiSecret, apiKey: secrets.apiKey, adminToken: secrets.adminToken },
    rulesDir,
    port: 0,
    thankYou: { orders: shopify.orders }
  })
  const browser = await launchChromium()
  try {
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${preview.url}/?fixture=boots-us`)
    const phone = page.locator('section.phone[aria-label="Post-purchase page"]')
    await phone.getByRole('heading', { name: 'Keep your feet warm' }).waitFor(WAIT)
    const accept = phone
      .locator('button.s-button:not(.subdued)')
      .first()
      .filter({ hasText: /Add to my order · \$\d+\.\d\d/ })
    await accept.waitFor(WAIT)
    await accept.click()
    // The chain's next offer, declined: the buyer reaches the Thank-you page of the same order.
    await phone.getByRole('button', { name: 'No thanks' }).click(WAIT)
    await page.getByTestId('thank-you').waitFor(WAIT)
    await page.getByTestId('thank-you-log').getByText('200 /api/thank-you/offer').waitFor(WAIT)
    await page.frameLocator('[data-testid="thank-you-frame"]').locator('s-button').first().waitFor(WAIT)
    await page.screenshot({ path: OUT, fullPage: true })
    io.out(`wrote ${OUT}\n`)
    return 0
  } finally {
    await browser.close()
    await preview.close()
    await service.close()
    await shopify.close()
  }
}

runIfEntry(import.meta, main)
