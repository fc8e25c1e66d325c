// Where the offer service lives and how long the Thank-you page waits for it.

/**
 * The app's URL, inlined at build time: esbuild (ours and the Shopify CLI's) replaces the exact expression
 * `process.env.ENCORE_APP_URL` with a string. When nobody defined it the expression survives into the bundle,
 * `process` does not exist in Shopify's sandbox, and the ReferenceError is caught: the block renders nothing.
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

/** The page is already shown and nothing waits for us: past this bound the block just stays empty. */
export const OFFER_TIMEOUT_MS = 5000
/** Accepting edits the order through the Admin API on our side (several calls): a spinner shows meanwhile. */
export const ACCEPT_TIMEOUT_MS = 15000
