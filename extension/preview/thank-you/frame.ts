// The browser host of the preview's Thank-you pane, run inside its iframe: the `shopify` global of
// purchase.thank-you.block.render (shared with the test harness), the Polaris tags as plain HTML, then the real
// bundle. The iframe is the extension's document, as Shopify's sandbox is: the block renders into its body.
import { createShopifyGlobal, renderTarget } from '../../thank-you-harness/shopify-global.js'
import type { FrameConfig, FrameLogEntry } from './frame-config.js'
import { definePolarisElements } from './polaris-elements.js'

declare global {
  interface Window {
    __THANK_YOU__: FrameConfig
    shopify: unknown
  }
}

const config = window.__THANK_YOU__
const started = performance.now()
/** The preview's own calls (the session token) are not the block's: they go through the unobserved fetch. */
const nativeFetch = window.fetch.bind(window)

/** Tells the preview page beside the frame what happened (same origin: the page checks the source). */
function report(kind: string, summary: string, detail?: unknown) {
  const entry: FrameLogEntry = { ms: Math.round(performance.now() - started), kind, summary, detail }
  parent.postMessage({ source: 'encore-thank-you', page: config.page, entry }, location.origin)
}

/** The block's own fetch calls, logged with their answers: what the buyer's page asked the service and heard. */
function observeFetch() {
  const original = window.fetch.bind(window)
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href)
    let body: unknown = init?.body
    try {
      body = typeof body === 'string' ? JSON.parse(body) : body
    } catch {
      // not JSON: logged as sent
    }
    report('request', `${init?.method ?? 'GET'} ${url.pathname}`, body)
    try {
      const res = await original(input, init)
      const answer = await res
        .clone()
        .json()
        .catch(() => null)
      report(res.ok ? 'answer' : 'error', `${res.status} ${url.pathname}`, answer)
      return res
    } catch (error) {
      report('error', `${url.pathname}: ${(error as Error).message}`)
      throw error
    }
  }
}

async function sessionToken(): Promise<string> {
  const res = await nativeFetch(`/api/thank-you-pages/${encodeURIComponent(config.page)}/token`, { method: 'POST' })
  const { token, claims } = (await res.json()) as { token: string; claims: Record<string, unknown> }
  report(
    'token',
    `sessionToken.get(): dest ${String(claims.dest)}${claims.sub ? `, sub ${String(claims.sub)}` : ''}`,
    claims
  )
  return token
}

function loadBundle(): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = `/thank-you/bundle.js`
    script.onload = () => resolve()
    script.onerror = () => reject(new Error('the Thank-you bundle did not load'))
    document.head.appendChild(script)
  })
}

async function main() {
  definePolarisElements({ remoteImages: config.remoteImages })
  const global = createShopifyGlobal({
    order: config.order,
    sessionToken,
    locale: config.locale,
    locales: config.locales
  })
  window.shopify = global.shopify
  observeFetch()
  await loadBundle()
  report('render', `shopify.extend('${global.registered.join("', '")}'): rendering for ${config.order.id}`)
  await renderTarget(global)
}

main().catch((error: unknown) => report('error', (error as Error).message))
