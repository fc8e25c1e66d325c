// Checkout::PostPurchase::ShouldRender: ask the service for an offer, store it, render only if there is one.
import type { PostPurchaseShouldRenderApi } from '@shopify/post-purchase-ui-extensions-react'
import { fetchOffer } from './api.js'
import type { Offer } from './offer.js'

/** What ShouldRender hands to Render through Shopify's storage. */
export type StoredData = { offer: Offer }

export async function shouldRender({ inputData, storage }: PostPurchaseShouldRenderApi): Promise<{ render: boolean }> {
  try {
    const token = typeof inputData?.token === 'string' ? inputData.token : ''
    if (token === '') return { render: false }
    const result = await fetchOffer(token)
    if (!result.ok || result.offer === null) return { render: false }
    const stored: StoredData = { offer: result.offer }
    await storage.update(stored)
    return { render: true }
  } catch {
    // Fail closed: whatever went wrong, the buyer goes straight to the thank-you page.
    return { render: false }
  }
}
