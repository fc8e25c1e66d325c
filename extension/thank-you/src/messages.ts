// Every sentence of our own on the Thank-you block. The words live in ../locales/*.json, which Shopify serves in the
// buyer's language through shopify.i18n.translate (not bundled: translations in the bundle would count against the
// 64 KB cap); the offer's own content comes translated from the service.
import { formatMoney, times } from './money.js'
import type { Money, ThankYouOffer, UnitPrice } from './offer.js'
import { platform } from './platform.js'

type Vars = Record<string, string | number>

/** shopify.i18n.translate with string replacements returns a string ({{name}} placeholders in the locale files). */
export const t = (key: string, vars?: Vars): string => String(platform().i18n.translate(key, vars))

/** How the buyer knows this order: its name when the service sent it, else the confirmation number on the page. */
export const orderLabel = (offer: ThankYouOffer, confirmationNumber: string) =>
  offer.orderName
    ? t('orderByName', { name: offer.orderName.startsWith('#') ? offer.orderName : `#${offer.orderName}` })
    : t('orderByConfirmation', { number: confirmationNumber })

export function priceLine(price: UnitPrice, offer: ThankYouOffer): string {
  const parts = [t('priceEach', { price: formatMoney({ amount: price.amount, currencyCode: price.currencyCode }) })]
  if (Number(price.originalAmount) > Number(price.amount))
    parts.push(
      t('priceWas', { price: formatMoney({ amount: price.originalAmount, currencyCode: price.currencyCode }) })
    )
  if (offer.discount?.title) parts.push(offer.discount.title)
  return parts.join(' · ')
}

/** Before accepting: what will happen and, when the service priced it, what the buyer will pay. */
export function settleSentence(offer: ThankYouOffer, order: string, price: UnitPrice | null, quantity: number) {
  if (offer.settle === 'checkout') return t('opensCheckout')
  if (!price) return t('willAddWithoutAmount', { order })
  const amount = formatMoney({ amount: times(price.amount, quantity), currencyCode: price.currencyCode })
  return t('willAddWithAmount', { order, amount })
}

export function addedSentence(order: string, amountDue: Money, invoiceSent: boolean): string {
  if (Number(amountDue.amount) === 0) return t('addedNothingDue', { order })
  return t(invoiceSent ? 'addedInvoiceSent' : 'addedInvoiceComing', { order, amount: formatMoney(amountDue) })
}

export const variantName = (offer: ThankYouOffer, id: number, index: number) =>
  offer.variantLabels?.[String(id)] ?? t('variantFallback', { number: index + 1 })
