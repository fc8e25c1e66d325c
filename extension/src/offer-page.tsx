// Checkout::PostPurchase::Render: wires the offer flow and the price preview to the page the buyer sees.
import { useExtensionInput } from '@shopify/post-purchase-ui-extensions-react'
import { messagesFor } from './messages.js'
import { OfferView } from './offer-view.js'
import { useOfferFlow } from './use-offer-flow.js'
import { usePricePreview } from './use-price-preview.js'

export function OfferPage() {
  const { inputData, storage, calculateChangeset, applyChangeset, done } =
    useExtensionInput<'Checkout::PostPurchase::Render'>()
  const locale = inputData.locale || 'en'
  const strings = messagesFor(locale)
  const flow = useOfferFlow({ token: inputData.token, storage, applyChangeset, done }, strings)
  const preview = usePricePreview(flow.offer, flow.variantId, flow.quantity, calculateChangeset, strings)

  if (!flow.offer || flow.status.kind === 'finished') return null
  return (
    <OfferView
      offer={flow.offer}
      quantity={flow.quantity}
      variantId={flow.variantId}
      status={flow.status}
      notice={flow.notice}
      expiresAt={flow.expiresAt}
      now={flow.now}
      preview={preview}
      strings={strings}
      locale={locale}
      onQuantity={flow.setQuantity}
      onVariant={flow.setVariantId}
      onAccept={() => void flow.accept(preview.lines?.total.amount)}
      onDecline={() => void flow.decline()}
      onContinue={() => void flow.finish()}
    />
  )
}
