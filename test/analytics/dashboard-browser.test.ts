// The dashboard in Debian's Chromium: its figures equal the JSON API's, the chart draws, a wrong token returns to the
// login, and a shop's embedded page shows nothing of another shop.
import t from 'tap'
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { buildDashboard } from '../../scripts/build-dashboard.js'
import { hasChromium, launchChromium } from '../../extension/preview/browser.js'
import { buildWorld, standardRules, BOOTS, HAT, ADMIN_TOKEN } from '../support/server-world.js'
import { adminGet, drive, refInArm, sessionToken } from './world.js'

const A = 'alpha-shop.myshopify.com'
const B = 'bravo-shop.myshopify.com'
const OUT = new URL('../../test-output/', import.meta.url).pathname

const hatRule = {
  id: 'hat-test',
  priority: 10,
  conditions: { all: [{ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [HAT] }] },
  offer: { variantId: 2300, content: { headline: 'A hat' } },
  experiment: {
    name: 'hat',
    arms: [
      { id: 'none', weight: 50, holdout: true },
      { id: '20-off', weight: 50 }
    ]
  }
}

/**
 * The numbers each row of the page shows, read from the DOM (text for counts, data attributes for intervals). A string:
 * tsx would wrap named functions in a helper the page does not have.
 */
const READ_ROWS = `[...document.querySelectorAll('tr[data-row]')].map((tr) => {
  const cell = (f) => tr.querySelector('[data-field="' + f + '"]')
  const num = (f) => Number((cell(f)?.textContent ?? '').replace(/[^0-9.-]/g, ''))
  const interval = (f) => {
    const c = cell(f)
    return c?.dataset.value === undefined
      ? null
      : { value: Number(c.dataset.value), low: Number(c.dataset.low), high: Number(c.dataset.high) }
  }
  return {
    key: tr.getAttribute('data-row'),
    checkouts: num('checkouts'), views: num('views'), accepts: num('accepts'), declines: num('declines'),
    revenue: num('revenue'), revenueConfirmed: num('revenueConfirmed'),
    acceptRate: interval('acceptRate'), revenuePerCheckout: interval('revenuePerCheckout'), lift: interval('lift')
  }
})`
type ShownRow = { key: string; [field: string]: unknown }
const pageRows = (page: Page) => page.evaluate(READ_ROWS) as Promise<ShownRow[]>

const PAINTED = `(() => {
  const canvas = document.querySelector('.chart canvas')
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
  let n = 0
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++
  return n
})()`

t.test('the dashboard in Chromium', { skip: hasChromium() ? false : 'no /usr/bin/chromium' }, async (t) => {
  await buildDashboard()
  const w = await buildWorld(t, { rules: [...standardRules().filter((r) => r.id !== 'hat-test'), hatRule] })
  const amounts = ['10.00', '20.00', '30.00', '15.00']
  for (const [i, amount] of amounts.entries()) {
    const ref = refInArm('hat', false, `dash-show-${process.pid}-${i}`)
    await drive(w.app, { shop: A, productIds: [HAT], referenceId: ref, view: true, accept: i < 3, amount })
  }
  for (let i = 0; i < 4; i++) {
    await drive(w.app, {
      shop: A,
      productIds: [HAT],
      referenceId: refInArm('hat', true, `dash-hold-${process.pid}-${i}`)
    })
  }
  await drive(w.app, { shop: A, productIds: [BOOTS], view: true, accept: true, amount: '12.50' })
  await drive(w.app, { shop: A, productIds: [BOOTS], view: true, decline: true })
  const secret = await drive(w.app, { shop: B, productIds: [BOOTS], view: true, accept: true, amount: '77.77' })
  const address = await w.app.listen({ port: 0, host: '127.0.0.1' })

  const browser = await launchChromium()
  t.teardown(browser.close)

  await t.test('standalone: a wrong token returns to the login; the right one shows the API figures', async (t) => {
    const page = await browser.context.newPage()
    await page.goto(`${address}/dashboard`)
    await page.fill('#token', 'not-the-admin-token-at-all')
    await page.click('button[type=submit]')
    await page.waitForSelector('.login [role=alert]')
    t.ok(await page.isVisible('#token'), 'the login again')
    t.match(await page.textContent('.login [role=alert]'), /ADMIN_TOKEN|session token/)

    await page.fill('#token', ADMIN_TOKEN)
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/admin/stats')),
      page.click('button[type=submit]')
    ])
    await page.waitForSelector('tr[data-row]')
    const query = new URL(response.url()).search
    const api = await adminGet(w.app, `/admin/stats${query}`)
    t.same(await response.json(), api.body, 'the page asked the API and got what anyone gets for that range')
    const shown = await pageRows(page)
    const usd = api.body.rows.filter((r: any) => r.currency === 'USD')
    t.equal(shown.length, usd.length, 'one table row per API row')
    for (const row of usd) {
      const onPage = shown.find((s) => s.key === `${row.ruleId}|${row.arm ?? ''}|${row.currency}`)
      t.same(
        onPage,
        {
          key: `${row.ruleId}|${row.arm ?? ''}|${row.currency}`,
          checkouts: row.checkouts,
          views: row.views,
          accepts: row.accepts,
          declines: row.declines,
          revenue: row.revenue,
          revenueConfirmed: row.revenueConfirmed,
          acceptRate: row.acceptRate,
          revenuePerCheckout: row.revenuePerCheckout,
          lift: row.lift && { value: row.lift.value, low: row.lift.low, high: row.lift.high }
        },
        `${row.ruleId} ${row.arm}: the page shows the API's figures`
      )
    }
    // 20-off: revenues 10, 20, 30, 0 → mean 15; holdout 0 × 4. Hand-checked in stats-route.test.ts's style.
    t.equal(usd.find((r: any) => r.arm === '20-off').revenuePerCheckout.value, 15)
    // The follow-on column: every checkout is from today, so none is measured yet and each is counted as left out.
    const exposed = usd.find((r: any) => r.arm === '20-off')
    t.equal(exposed.followOn.checkouts, 0)
    t.equal(exposed.followOn.excludedGuests + exposed.followOn.excludedRecent, exposed.checkouts)
    const followOnCell = `[data-row="${exposed.ruleId}|20-off|USD"] [data-field="followOnRevenuePerCheckout"]`
    t.equal(await page.textContent(followOnCell), '–0 measured', 'the page shows the follow-on as the API has it')
    t.match(await page.getAttribute(followOnCell, 'title'), `${exposed.followOn.excludedRecent} under 30 days old`)
    const verdict = await page.textContent('.verdicts')
    t.match(verdict, usd.find((r: any) => r.arm === '20-off').verdict, 'the verdict is the API sentence')
    t.match(
      await page.textContent('[data-step="Decided"]'),
      String(usd.reduce((n: number, r: any) => n + r.checkouts, 0))
    )

    // The breakdown by page shows the API's offers and acceptances for the currency shown.
    const pp = api.body.surfaces.find((s: any) => s.surface === 'post_purchase' && s.currency === 'USD')
    t.ok(pp && pp.offers > 0, 'the post-purchase page made offers')
    t.same(
      [
        await page.textContent('[data-surface="post_purchase"] [data-field="offers"]'),
        await page.textContent('[data-surface="post_purchase"] [data-field="accepts"]')
      ],
      [String(pp.offers), String(pp.accepts)],
      'the page shows the API figures per page'
    )

    // The chart drew something: the canvas has coloured pixels.
    const painted = (await page.evaluate(PAINTED)) as number
    t.ok(painted > 500, `the chart painted ${painted} pixels`)

    // The look-up explains a checkout's decision.
    await page.fill('#lookup', secret.ref)
    await page.click('form.inline:has(#lookup) button')
    await page.waitForSelector('.decision')
    t.match(await page.textContent('.decision summary'), /rule socks/)

    mkdirSync(OUT, { recursive: true })
    await page.screenshot({ path: `${OUT}dashboard.png`, fullPage: true })

    // A token that stops working (another instance's, revoked) sends the page back to the login.
    await page.evaluate("sessionStorage.setItem('encore-admin-token', 'revoked-token-revoked-token')")
    await page.click('button:has-text("Refresh")')
    await page.waitForSelector('#token')
    t.pass('back to the login')
    await page.close()
  })

  await t.test("embedded for one shop: App Bridge's session token, nothing of another shop", async (t) => {
    const page = await browser.context.newPage()
    // App Bridge is Shopify's script: here a stand-in that hands out this shop's session tokens.
    await page.route('https://cdn.shopify.com/shopifycloud/app-bridge.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `window.shopify = { idToken: async () => ${JSON.stringify(sessionToken(A, { expOffset: 600 }))} }`
      })
    )
    await page.goto(`${address}/dashboard?embedded=1&shop=${A}&host=YWRtaW4`)
    await page.waitForSelector('tr[data-row]')
    t.equal(await page.textContent('[data-testid=scope]'), A)
    t.notOk(await page.isVisible('#token'), 'no login when embedded')
    // Look up the other shop's checkout: nothing comes back.
    await page.fill('#lookup', secret.ref)
    await page.click('form.inline:has(#lookup) button')
    await page.waitForSelector('text=No decision found')
    const text = await page.textContent('body')
    for (const s of [B, '77.77', secret.offerId!]) t.notOk(text?.includes(s), `nothing of ${B} (${s})`)
    const socks = (await pageRows(page)).find((r) => r.key === 'socks||USD')
    t.match(socks, { checkouts: 2, revenue: 12.5 }, "only this shop's socks checkouts")
    await page.close()
  })
})
