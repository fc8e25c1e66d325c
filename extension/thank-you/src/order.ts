// The order this Thank-you page is for, from the Order Confirmation API (`shopify.orderConfirmation`).
import { platform } from './platform.js'
import type { OrderRef } from './thank-you-offer.js'

/**
 * The order's GID and its confirmation number, or null. `number` is optional in the API (orders from before 2024
 * have none): without it the service cannot prove the order is the buyer's, so there is nothing to ask for.
 */
export function readOrder(): OrderRef | null {
  try {
    const confirmation = platform().orderConfirmation.value as
      { order?: { id?: unknown }; number?: unknown } | undefined
    const id = confirmation?.order?.id
    const number = confirmation?.number
    if (typeof id !== 'string' || !id.startsWith('gid://shopify/Order/')) return null
    if (typeof number !== 'string' || number === '') return null
    return { id, confirmationNumber: number }
  } catch {
    return null
  }
}
