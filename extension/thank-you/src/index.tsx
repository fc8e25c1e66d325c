// Entry of the Thank-you extension: the Shopify CLI imports this module's default export and registers it with
// shopify.extend('purchase.thank-you.block.render', ...) (API versions 2025-10 and later).
import '@shopify/ui-extensions/preact'
import { render } from 'preact'
import { APP_URL } from './config.js'
import { readOrder } from './order.js'
import { ThankYouBlock } from './thank-you-offer.js'

export default async function extension() {
  const order = readOrder()
  // Fail closed: without the service's URL or a provable order the block renders nothing at all.
  if (APP_URL === null || order === null) return
  render(<ThankYouBlock order={order} />, document.body)
}
