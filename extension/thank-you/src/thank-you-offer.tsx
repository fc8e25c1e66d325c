// The Thank-you block: asks the service for an offer for this order, shows it, and accepts or declines it.
import { useEffect, useRef, useState } from 'preact/hooks'
import { acceptOffer, fetchOffer } from './api.js'
import { addedSentence, orderLabel, priceLine, settleSentence, t, variantName } from './messages.js'
import type { Money, ThankYouOffer } from './offer.js'

export type OrderRef = { id: string; confirmationNumber: string }

type State =
  | { phase: 'loading' }
  | { phase: 'hidden' }
  | { phase: 'offer'; offer: ThankYouOffer; accepting: boolean }
  | { phase: 'added'; offer: ThankYouOffer; amountDue: Money; invoiceSent: boolean }
  | { phase: 'checkout'; url: string }
  | { phase: 'failed'; unsure: boolean }

const valueOf = (event: Event) => String((event.currentTarget as { value?: unknown } | null)?.value ?? '')

export function ThankYouBlock({ order }: { order: OrderRef }) {
  const [state, setState] = useState<State>({ phase: 'loading' })
  const [variantId, setVariantId] = useState(0)
  const [quantity, setQuantity] = useState(1)
  // A second tap can arrive before Preact re-renders the disabled button: the ref is the real guard.
  const busy = useRef(false)

  useEffect(() => {
    let live = true
    fetchOffer(order.id, order.confirmationNumber).then((res) => {
      if (!live) return
      if (!res.ok || res.offer === null) return setState({ phase: 'hidden' })
      // An offer whose countdown already ended would only be refused on accept: show nothing instead.
      if (res.offer.expiresAt !== null && Date.parse(res.offer.expiresAt) <= Date.now())
        return setState({ phase: 'hidden' })
      setVariantId(res.offer.variantId)
      setQuantity(res.offer.quantity.default)
      setState({ phase: 'offer', offer: res.offer, accepting: false })
    })
    return () => {
      live = false
    }
  }, [order.id, order.confirmationNumber])

  if (state.phase === 'loading' || state.phase === 'hidden') return null

  if (state.phase === 'failed')
    return (
      <s-banner tone="critical" heading={t(state.unsure ? 'unsureHeading' : 'failedHeading')}>
        <s-paragraph>{t(state.unsure ? 'unsureSentence' : 'failedSentence')}</s-paragraph>
      </s-banner>
    )

  if (state.phase === 'checkout')
    return (
      <s-banner tone="info" heading={t('checkoutHeading')}>
        <s-stack gap="base">
          <s-paragraph>{t('opensCheckout')}</s-paragraph>
          <s-button variant="primary" href={state.url}>
            {t('checkoutButton')}
          </s-button>
        </s-stack>
      </s-banner>
    )

  const offer = state.offer
  const label = orderLabel(offer, order.confirmationNumber)

  if (state.phase === 'added')
    return (
      <s-banner tone="success" heading={t('addedHeading')}>
        <s-paragraph>{addedSentence(label, state.amountDue, state.invoiceSent)}</s-paragraph>
      </s-banner>
    )

  const { content } = offer
  const price = offer.prices?.[String(variantId)] ?? null
  const { min, max } = offer.quantity

  const accept = async () => {
    if (busy.current) return
    busy.current = true
    setState({ phase: 'offer', offer, accepting: true })
    const res = await acceptOffer({ offerId: offer.id, quantity, variantId })
    if (!res.ok) return setState({ phase: 'failed', unsure: res.reason === 'timeout' })
    if (res.answer.status === 'checkout') return setState({ phase: 'checkout', url: res.answer.url })
    setState({ phase: 'added', offer, amountDue: res.answer.amountDue, invoiceSent: res.answer.invoiceSent })
  }
  const decline = () => {
    if (busy.current) return
    busy.current = true
    setState({ phase: 'hidden' })
  }
  const pickVariant = (event: Event) => {
    const id = Number(valueOf(event))
    if (offer.variants.includes(id)) setVariantId(id)
  }
  const pickQuantity = (event: Event) => {
    const n = Number(valueOf(event))
    if (Number.isInteger(n)) setQuantity(Math.min(max, Math.max(min, n)))
  }

  return (
    <s-section heading={content.headline}>
      <s-stack gap="base">
        {content.image && <s-image src={content.image} alt={content.imageAlt} aspectRatio="1" objectFit="contain" />}
        <s-paragraph>{content.body}</s-paragraph>
        {price && <s-text type="strong">{priceLine(price, offer)}</s-text>}
        {offer.variants.length > 1 && (
          <s-select label={t('variantLabel')} value={String(variantId)} onChange={pickVariant}>
            {offer.variants.map((id: number, i: number) => (
              <s-option key={id} value={String(id)} selected={id === variantId}>
                {variantName(offer, id, i)}
              </s-option>
            ))}
          </s-select>
        )}
        {max > min && (
          <s-number-field
            label={t('quantityLabel')}
            value={String(quantity)}
            min={min}
            max={max}
            step={1}
            onChange={pickQuantity}
          />
        )}
        <s-paragraph>{settleSentence(offer, label, price, quantity)}</s-paragraph>
        <s-stack direction="inline" gap="base">
          <s-button variant="primary" loading={state.accepting} disabled={state.accepting} onClick={accept}>
            {content.acceptLabel}
          </s-button>
          <s-button variant="secondary" disabled={state.accepting} onClick={decline}>
            {content.declineLabel}
          </s-button>
        </s-stack>
      </s-stack>
    </s-section>
  )
}
