// Every sentence of our own on the Thank-you block, in one place (English only for now; the service translates
// the offer's content).
import { formatMoney, times } from './money.js'
import type { Money, ThankYouOffer, UnitPrice } from './offer.js'

/** How the buyer knows this order: its name when the service sent it, else the confirmation number on the page. */
export const orderLabel = (offer: ThankYouOffer, confirmationNumber: string) =>
  offer.orderName
    ? `order ${offer.orderName.startsWith('#') ? '' : '#'}${offer.orderName}`
    : `order #${confirmationNumber}`

export function priceLine(price: UnitPrice, offer: ThankYouOffer): string {
  const now = formatMoney({ amount: price.amount, currencyCode: price.currencyCode })
  const was = price.originalAmount !== price.amount && Number(price.originalAmount) > Number(price.amount)
  const parts = [`${now} each`]
  if (was) parts.push(`was ${formatMoney({ amount: price.originalAmount, currencyCode: price.currencyCode })}`)
  if (offer.discount?.title) parts.push(offer.discount.title)
  return parts.join(' · ')
}

/** Before accepting: what will happen and, when the service priced it, what the buyer will pay. */
export function settleSentence(offer: ThankYouOffer, order: string, price: UnitPrice | null, quantity: number) {
  if (offer.settle === 'checkout') return 'Opens a new checkout for this item.'
  if (!price) return `Will be added to ${order}; you will receive an invoice for the amount due.`
  const total = formatMoney({ amount: times(price.amount, quantity), currencyCode: price.currencyCode })
  return `Will be added to ${order}; you will receive an invoice for ${total}.`
}

export function addedSentence(order: string, amountDue: Money, invoiceSent: boolean): string {
  if (Number(amountDue.amount) === 0) return `Added to ${order}; there is nothing more to pay.`
  const due = formatMoney(amountDue)
  return invoiceSent
    ? `Added to ${order}; an invoice for ${due} has been sent to you.`
    : `Added to ${order}; you will receive an invoice for ${due}.`
}

export const messages = {
  addedHeading: 'Added to your order',
  checkoutHeading: 'Your item is ready',
  checkoutSentence: 'Opens a new checkout for this item.',
  checkoutButton: 'Go to checkout',
  failedHeading: 'This item was not added',
  failedSentence: 'Something went wrong on our side. Nothing was added to your order and you have not been charged.',
  unsureHeading: 'We could not confirm this item',
  unsureSentence: 'We did not hear back in time. If it was added, you will receive an invoice by email.',
  variant: 'Option',
  quantity: 'Quantity'
}

export const variantName = (offer: ThankYouOffer, id: number, index: number) =>
  offer.variantLabels?.[String(id)] ?? `Option ${index + 1}`
