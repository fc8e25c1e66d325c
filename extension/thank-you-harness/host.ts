// A stand-in for Shopify's Thank-you page host: runs the real bundle in a DOM (happy-dom) with the `shopify` global
// of purchase.thank-you.block.render, and reads back the Polaris web components (s-* tags) it rendered.
import { SUPPORTED_COMPONENTS } from '@shopify/ui-extensions/checkout'
import { Window, type Element } from 'happy-dom'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { THANK_YOU_DIR } from './build.js'
import { TARGET, createShopifyGlobal, renderTarget, type OrderConfirmation } from './shopify-global.js'

export { TARGET }

/** The tags this target accepts: the package's component list (AnyCheckoutComponent excludes Announcement). */
export const ALLOWED_TAGS: ReadonlySet<string> = new Set(
  SUPPORTED_COMPONENTS.filter((name) => name !== 'Announcement').map(
    (name) =>
      `s-${name
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
        .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
        .toLowerCase()}`
  )
)

export type RenderedNode = { tag: string; attributes: Record<string, string>; text: string; children: RenderedNode[] }

export type ThankYouHostOptions = {
  /** The bundle as built (extension/thank-you-harness/build.ts). */
  code: string
  /** What the Order Confirmation API gives: the order's GID and its confirmation number (optional in the API). */
  order: OrderConfirmation
  /** shopify.sessionToken.get(): each call may mint a fresh token, like Shopify's cache renewing an expired one. */
  sessionToken: () => string | Promise<string>
  /**
   * The page's URL; fetch() sends its origin as Origin and CORS applies, as in Shopify's sandbox. Plain http by
   * default: happy-dom blocks an https page's requests to http://127.0.0.1 as mixed content (browsers exempt
   * loopback), and the test services listen on loopback without TLS.
   */
  pageUrl?: string
  locale?: string
  /**
   * Caps every timer the bundle sets (happy-dom's timer.maxTimeout), so a test of the extension's own deadlines
   * (5 s for the offer, 15 s for accept) does not wait that long. Leave unset otherwise.
   */
  maxTimeoutMs?: number
  /** Translations by locale file name ("en.default", "fr"); defaults to extension/thank-you/locales. */
  locales?: Record<string, Record<string, unknown>>
}

export type ThankYouPage = {
  /** The s-* elements under the extension's root, as a tree. */
  tree(): RenderedNode[]
  /** Every rendered element in document order, flattened. */
  all(): RenderedNode[]
  /** All text the buyer can read, whitespace collapsed. */
  text(): string
  /** Tags that are not Polaris web components this target accepts (a <div> would fail on Shopify). */
  violations(): string[]
  /** The first element with this tag (and containing this text), or null. */
  find(tag: string, text?: string): Element | null
  click(element: Element): Promise<void>
  /** Sets `value` and fires `change`, as the host does when the buyer picks an option or types a number. */
  change(element: Element, value: string): Promise<void>
  /** Waits until the extension's timers and requests are done and Preact has rendered. */
  settle(): Promise<void>
  /** The tokens handed to the extension, in order. */
  tokens: string[]
  /** The targets the bundle registered with shopify.extend. */
  registered: string[]
  /** Keys the extension asked shopify.i18n.translate for that no locale file has. */
  missingTranslations: string[]
  close(): Promise<void>
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** The extension's locale files, as the CLI uploads them (locales/*.json, exactly one *.default.json). */
export function readLocales(dir = join(THANK_YOU_DIR, 'locales')): Record<string, Record<string, unknown>> {
  const locales: Record<string, Record<string, unknown>> = {}
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')))
    locales[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>
  return locales
}

export async function runThankYou(opts: ThankYouHostOptions): Promise<ThankYouPage> {
  const window = new Window({
    url: opts.pageUrl ?? 'http://checkout-sandbox.localhost/thank-you',
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true,
      ...(opts.maxTimeoutMs === undefined ? {} : { timer: { maxTimeout: opts.maxTimeoutMs } })
    }
  })
  const global = createShopifyGlobal({
    order: opts.order,
    sessionToken: opts.sessionToken,
    locale: opts.locale ?? 'en-US',
    locales: opts.locales ?? readLocales()
  })
  ;(window as unknown as { shopify: unknown }).shopify = global.shopify
  window.eval(opts.code)
  await renderTarget(global)

  const body = window.document.body
  const read = (el: Element): RenderedNode => {
    const attributes: Record<string, string> = {}
    for (const a of Array.from(el.attributes)) attributes[a.name] = a.value ?? ''
    // Preact sets a prop as a property when the element has one (value on the elements the host changes).
    const value = (el as unknown as { value?: unknown }).value
    if (typeof value === 'string' && !('value' in attributes)) attributes.value = value
    return {
      tag: el.localName,
      attributes,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      children: Array.from(el.children).map(read)
    }
  }
  const flatten = (nodes: RenderedNode[]): RenderedNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)])
  const page: ThankYouPage = {
    tokens: global.tokens,
    registered: global.registered,
    missingTranslations: global.missingTranslations,
    tree: () => Array.from(body.children).map(read),
    all: () => flatten(page.tree()),
    text: () => (body.textContent ?? '').replace(/\s+/g, ' ').trim(),
    violations: () =>
      page
        .all()
        .filter((n) => !ALLOWED_TAGS.has(n.tag))
        .map((n) => n.tag),
    find(tag, text) {
      const candidates = Array.from(body.querySelectorAll(tag))
      return candidates.find((el) => text === undefined || (el.textContent ?? '').includes(text)) ?? null
    },
    async click(element) {
      element.dispatchEvent(new window.MouseEvent('click', { bubbles: true }))
      await tick()
    },
    async change(element, value) {
      ;(element as unknown as { value: string }).value = value
      element.dispatchEvent(new window.Event('change', { bubbles: true }))
      await tick()
    },
    async settle() {
      // Requests and timers first (happy-dom tracks both), then the microtasks and the render they schedule.
      for (let i = 0; i < 3; i++) {
        await window.happyDOM.waitUntilComplete()
        await tick()
        await tick()
      }
    },
    async close() {
      await window.happyDOM.abort()
      await window.happyDOM.close()
    }
  }
  return page
}
