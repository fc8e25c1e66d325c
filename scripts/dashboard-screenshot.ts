// Screenshots a running dashboard for the README: npm run demo:traffic first, then this (Debian's Chromium).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.ENCORE_URL ?? 'http://127.0.0.1:3000' },
    token: { type: 'string', default: process.env.ADMIN_TOKEN ?? '' },
    out: { type: 'string', default: 'docs/dashboard.png' }
  }
})
const profile = mkdtempSync(join(tmpdir(), 'encore-screenshot-'))
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
})
try {
  const page = await context.newPage()
  await page.goto(`${values.url}/dashboard`)
  await page.fill('#token', values.token)
  await page.click('button[type=submit]')
  await page.waitForSelector('tr[data-row]')
  await page.waitForTimeout(300) // the chart's first paint
  await page.screenshot({ path: values.out, fullPage: true })
  process.stdout.write(`wrote ${values.out}\n`)
} finally {
  await context.close()
  rmSync(profile, { recursive: true, force: true })
}
