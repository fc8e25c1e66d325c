// Where the offer service lives and how long the buyer may wait for it.

/**
 * The app's URL, inlined at build time: esbuild (ours and the Shopify CLI's) replaces the exact
 * expression `process.env.ENCORE_APP_URL` with a string. When nobody defined it the expression
 * survives into the bundle, and `process` does not exist in Shopify's worker: the ReferenceError is
 * caught and the extension fails closed (renders nothing) instead of crashing.
 */
function readAppUrl(): string | null {
  try {
    const url = process.env.ENCORE_APP_URL
    return typeof url === 'string' && /^https?:\/\/[^\s]+$/.test(url) ? url.replace(/\/+$/, '') : null
  } catch {
    return null
  }
}

export const APP_URL = readAppUrl()

/**
 * Shorter bounds a test build inlines (extension/build.ts `timeoutsMs`) so its failure cases do not wait in real
 * time. Nobody defines it for Shopify, and `typeof` on an undeclared name is safe in the worker.
 */
declare const ENCORE_TIMEOUTS_MS: { offer?: number; sign?: number; event?: number } | undefined
const overrides = typeof ENCORE_TIMEOUTS_MS === 'object' ? ENCORE_TIMEOUTS_MS : {}

/** ShouldRender runs on the payment page: past this bound the buyer is not held up, no page is shown. */
export const OFFER_TIMEOUT_MS = overrides.offer ?? 1500
/** Signing happens after the buyer tapped Accept; a spinner is showing, so a little more patience. */
export const SIGN_TIMEOUT_MS = overrides.sign ?? 8000
/** Events are reporting only: never worth keeping the buyer waiting. */
export const EVENT_TIMEOUT_MS = overrides.event ?? 1500
