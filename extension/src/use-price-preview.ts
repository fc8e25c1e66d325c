// The price preview: what accepting would cost at the buyer's quantity and variant, from Shopify's calculateChangeset.
import { useEffect, useState } from 'react'
import type { PostPurchaseRenderApi } from '@shopify/post-purchase-ui-extensions'
import { errorMessage, type Strings } from './messages.js'
import { previewChanges, type Offer } from './offer.js'
import { priceLines, type CalculatedPurchase, type PriceLines } from './price-summary.js'

export type PricePreview = {
  /** The lines to show; null while Shopify calculates, or when it could not. */
  lines: PriceLines | null
  /** Why there is no price (accepting is then disabled); null otherwise. */
  error: string | null
}

/** Recalculates whenever the offer, quantity or variant changes; an answer for an older choice is dropped. */
export function usePricePreview(
  offer: Offer | null,
  variantId: number,
  quantity: number,
  calculateChangeset: PostPurchaseRenderApi['calculateChangeset'],
  strings: Strings
): PricePreview {
  const [preview, setPreview] = useState<PricePreview>({ lines: null, error: null })
  useEffect(() => {
    if (!offer) return
    let current = true
    setPreview({ lines: null, error: null })
    // The offer's own changes when the buyer kept its defaults: exactly what the service would sign.
    const changes =
      variantId === offer.variantId && quantity === offer.quantity.default && offer.changes.length > 0
        ? offer.changes
        : previewChanges(offer, variantId, quantity)
    calculateChangeset({ changes })
      .then((result) => {
        if (!current) return
        if (result.status === 'processed' && result.calculatedPurchase) {
          const computed = priceLines(result.calculatedPurchase as CalculatedPurchase, variantId, quantity)
          setPreview(computed ? { lines: computed, error: null } : { lines: null, error: strings.unknownError })
        } else {
          setPreview({ lines: null, error: errorMessage(strings, result.errors?.[0]?.code) })
        }
      })
      .catch(() => {
        if (current) setPreview({ lines: null, error: strings.unknownError })
      })
    return () => {
      current = false
    }
  }, [offer, variantId, quantity, calculateChangeset, strings])
  return preview
}
