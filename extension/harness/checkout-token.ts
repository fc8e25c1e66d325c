// The one checkout-token minter (HS256 with the app's secret, iss "shopify", sub = referenceId, input_data), used by
// the harness, the tests, the bench and `npm run mint-token`.
import { createSigner } from 'fast-jwt'

type MoneyBag = {
  shopMoney: { amount: string; currencyCode: string }
  presentmentMoney: { amount: string; currencyCode: string }
}

/** The `input_data` Shopify signs into a post-purchase checkout token. */
export type InputData = {
  extensionPoint: string
  locale: string
  version: string
  token?: string
  shop: { id: number; domain: string; metafields: unknown[] }
  initialPurchase: {
    referenceId: string
    customerId?: number | string | null
    destinationCountryCode?: string
    totalPriceSet: MoneyBag
    lineItems: {
      product: {
        id: number
        title: string
        metafields: unknown[]
        variant: { id: number; title: string; metafields: unknown[] }
      }
      quantity: number
      totalPriceSet: MoneyBag
      sellingPlanId?: number
    }[]
  }
}

export type MintOptions = {
  /** Issued-at, in seconds; defaults to now (backdate it to see an expired token refused). */
  iat?: number
  /** Expiry, in seconds; whether Shopify sends one is unconfirmed, so the default is none. */
  exp?: number
}

/**
 * Signs `inputData` (without its own `token`) like Shopify: no `aud`, no `dest`, no `exp` unless asked for, so the
 * service must bound the token's age itself. fast-jwt keeps a payload `iat` as given (it only fills in a missing one).
 */
export function mintCheckoutToken(inputData: InputData, secret: string, opts: MintOptions = {}): string {
  const { token: _token, ...claims } = inputData
  const referenceId = (claims.initialPurchase as { referenceId?: unknown } | undefined)?.referenceId
  if (typeof referenceId !== 'string' || referenceId === '') {
    throw new Error('mintCheckoutToken: inputData.initialPurchase.referenceId must be a non-empty string')
  }
  const payload: Record<string, unknown> = {
    iss: 'shopify',
    sub: referenceId,
    iat: opts.iat ?? Math.floor(Date.now() / 1000),
    input_data: claims
  }
  if (opts.exp !== undefined) payload.exp = opts.exp
  return createSigner({ key: secret, algorithm: 'HS256' })(payload)
}
