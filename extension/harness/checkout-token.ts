// Checkout tokens as Shopify signs them: HS256 with the app's secret, iss "shopify", sub = referenceId, input_data.
import { createSigner } from 'fast-jwt'

export type InputData = {
  extensionPoint: string
  locale: string
  version: string
  token?: string
  shop: { id: number; domain: string; metafields: unknown[] }
  initialPurchase: {
    referenceId: string
    customerId?: number | string
    destinationCountryCode?: string
    totalPriceSet: {
      shopMoney: { amount: string; currencyCode: string }
      presentmentMoney: { amount: string; currencyCode: string }
    }
    lineItems: {
      product: {
        id: number
        title: string
        metafields: unknown[]
        variant: { id: number; title: string; metafields: unknown[] }
      }
      quantity: number
      totalPriceSet: {
        shopMoney: { amount: string; currencyCode: string }
        presentmentMoney: { amount: string; currencyCode: string }
      }
      sellingPlanId?: number
    }[]
  }
}

/**
 * Signs `input_data` like Shopify: no `aud`, no `dest`, no `exp` (whether Shopify sets one is
 * unconfirmed, so the service must bound the age itself). `iat` in seconds, optionally backdated.
 */
export function mintCheckoutToken(inputData: InputData, secret: string, opts: { iat?: number } = {}): string {
  const { token: _token, ...claims } = inputData
  // fast-jwt writes `iat` itself (in seconds) from clockTimestamp; a payload `iat` would be dropped.
  const iat = opts.iat ?? Math.floor(Date.now() / 1000)
  const sign = createSigner({ key: secret, algorithm: 'HS256', clockTimestamp: iat * 1000 })
  return sign({ iss: 'shopify', sub: inputData.initialPurchase.referenceId, input_data: claims })
}
