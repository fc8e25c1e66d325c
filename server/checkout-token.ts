// Mints checkout tokens exactly as Shopify signs them (HS256, iss "shopify", sub = referenceId, input_data): for tests,
// the harness and curl.
import { createSigner } from 'fast-jwt'

export type MintOptions = {
  /** Issued-at, in seconds; defaults to now. */
  iat?: number
  /** Expiry, in seconds; Shopify may or may not send one, so the default is none. */
  exp?: number
}

/** Signs `inputData` (the checkout, without its own `token`) into a checkout token with the app's secret. */
export function mintCheckoutToken(inputData: unknown, secret: string, opts: MintOptions = {}): string {
  const data = { ...(inputData as Record<string, unknown>) }
  delete data.token
  const purchase = data.initialPurchase as { referenceId?: unknown } | undefined
  const referenceId = purchase?.referenceId
  if (typeof referenceId !== 'string' || referenceId === '') {
    throw new Error('mintCheckoutToken: inputData.initialPurchase.referenceId must be a non-empty string')
  }
  const payload: Record<string, unknown> = {
    iss: 'shopify',
    sub: referenceId,
    iat: opts.iat ?? Math.floor(Date.now() / 1000),
    input_data: data
  }
  if (opts.exp !== undefined) payload.exp = opts.exp
  const sign = createSigner({ key: secret, algorithm: 'HS256' })
  return sign(payload)
}
