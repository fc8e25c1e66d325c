// Debian's Chromium driven by playwright-core: no browser download, a fresh profile, nothing but loopback.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = () => existsSync(CHROMIUM)

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  // Imported here: playwright-core takes a while to load, and a test without Chromium skips before launching it.
  const { chromium } = await import('playwright-core')
  const profile = mkdtempSync(join(tmpdir(), 'encore-chromium-'))
  // Playwright takes the fresh --user-data-dir as launchPersistentContext's first argument.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
  // Only loopback: an offer image on cdn.shopify.com must never be fetched from a test.
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort()
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}
