// The checkout an order stands for on the Thank-you page: its stored post-purchase checkout when it had one, otherwise
// input_data built from the order as the Admin API shows it (the shape buildFacts reads).
import type { PaidOrder } from '../plugins/shopify-default.js'

/** The reference id of an order that never reached the post-purchase page (a wallet payment, pickup, …). */
export const orderReferenceId = (order: PaidOrder): string => `order:${order.legacyId}`

/** Every id by which Shopify may have named the order's checkout to the post-purchase page, most likely first. */
export function checkoutIdsOf(order: PaidOrder): string[] {
  const ids = [order.legacyId, order.id, order.confirmationNumber, ...order.aliases]
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== '' && id.length <= 200))]
}

const money = (amount: string, currencyCode: string) => ({ amount, currencyCode })

/**
 * input_data in the post-purchase shape, from the order: line items with a product and a variant (custom lines have
 * neither and are left out), money in the shop's currency, the buyer's currency as presentment currency (its amount is
 * not known here: only the currency is read by the rules), `shop.id` 0 (the Admin API's order does not carry it).
 */
export function inputDataOfOrder(order: PaidOrder, shopDomain: string, referenceId: string): Record<string, unknown> {
  const lineItems = order.lineItems
    .filter((l) => l.productId !== null && l.variantId !== null)
    .map((l) => ({
      product: {
        id: l.productId,
        title: l.productTitle,
        metafields: [],
        variant: { id: l.variantId, title: l.variantTitle ?? '', metafields: [] }
      },
      quantity: l.quantity,
      totalPriceSet: { shopMoney: money(l.total, order.currency), presentmentMoney: money(l.total, order.currency) }
    }))
  const purchase: Record<string, unknown> = {
    referenceId,
    customerId: order.customerId,
    totalPriceSet: {
      shopMoney: money(order.total, order.currency),
      presentmentMoney: money(order.total, order.presentmentCurrency)
    },
    lineItems
  }
  if (order.shippingCountry !== null) purchase.destinationCountryCode = order.shippingCountry
  return {
    extensionPoint: 'purchase.thank-you.block.render',
    locale: order.locale ?? 'en',
    shop: { id: 0, domain: shopDomain, metafields: [] },
    initialPurchase: purchase
  }
}
