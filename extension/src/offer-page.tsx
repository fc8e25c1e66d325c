// Checkout::PostPurchase::Render: show the offer, then accept or decline, follow the chain, and always reach done().
import { useCallback, useEffect, useRef, useState } from 'react'
import {
  Banner,
  BlockStack,
  Button,
  CalloutBanner,
  Heading,
  Image,
  Layout,
  TextBlock,
  TextContainer,
  useExtensionInput
} from '@shopify/post-purchase-ui-extensions-react'
import { fetchOffer, postEvent, signChangeset } from './api.js'
import { errorMessage, messagesFor } from './messages.js'
import { formatCountdown, formatMoney } from './money.js'
import { OfferControls } from './offer-controls.js'
import { parseOffer, previewChanges, type Offer } from './offer.js'
import { priceLines, PriceSummary, type CalculatedPurchase, type PriceLines } from './price-summary.js'

/** What the page shows besides the offer itself. */
type Status =
  | { kind: 'ready' }
  | { kind: 'busy'; action: 'accept' | 'decline' }
  | { kind: 'failed'; message: string; tone: 'critical' | 'warning' | 'info' }
  | { kind: 'expired' }
  | { kind: 'finished' }

export function OfferPage() {
  const input = useExtensionInput<'Checkout::PostPurchase::Render'>()
  const { inputData, storage, calculateChangeset, applyChangeset, done } = input
  const token = inputData.token
  const locale = inputData.locale || 'en'
  const strings = messagesFor(locale)

  // One state object: React 17 does not batch updates made after an await, and the offer, its
  // quantity and its variant must change together (a price preview of a mixed state is wrong).
  const [view, setView] = useState(() => {
    const stored = parseOffer((storage.initialData as { offer?: unknown } | null)?.offer)
    return { offer: stored, quantity: stored?.quantity.default ?? 1, variantId: stored?.variantId ?? 0 }
  })
  const { offer, quantity, variantId } = view
  const setQuantity = useCallback((q: number) => setView((v) => ({ ...v, quantity: q })), [])
  const setVariantId = useCallback((id: number) => setView((v) => ({ ...v, variantId: id })), [])
  const [lines, setLines] = useState<PriceLines | null>(null)
  const [calcError, setCalcError] = useState<string | null>(null)
  const [status, setStatus] = useState<Status>({ kind: 'ready' })
  const [notice, setNotice] = useState<string | null>(null)
  const [now, setNow] = useState(() => Date.now())
  // A ref, not state: a second tap arrives before React re-renders with the busy status.
  const busy = useRef(false)

  const finish = useCallback(async () => {
    busy.current = true
    setStatus({ kind: 'finished' })
    try {
      await done()
    } catch {
      // Nothing left to do: Shopify's host owns the navigation.
    }
  }, [done])

  // Nothing stored (should not happen: ShouldRender said render) means straight to thank-you.
  useEffect(() => {
    if (offer === null && status.kind !== 'finished') void finish()
  }, [offer, status.kind, finish])

  // Each offer shown is reported once.
  useEffect(() => {
    if (offer) void postEvent(token, { offerId: offer.id, type: 'viewed' })
  }, [offer, token])

  // The price preview follows the buyer's choice of quantity and variant.
  useEffect(() => {
    if (!offer) return
    let current = true
    setLines(null)
    setCalcError(null)
    const changes =
      variantId === offer.variantId && quantity === offer.quantity.default && offer.changes.length > 0
        ? offer.changes
        : previewChanges(offer, variantId, quantity)
    calculateChangeset({ changes })
      .then((result) => {
        if (!current) return
        if (result.status === 'processed' && result.calculatedPurchase) {
          const computed = priceLines(result.calculatedPurchase as CalculatedPurchase, variantId, quantity)
          if (computed) setLines(computed)
          else setCalcError(strings.unknownError)
        } else {
          setCalcError(errorMessage(strings, result.errors?.[0]?.code))
        }
      })
      .catch(() => {
        if (current) setCalcError(strings.unknownError)
      })
    return () => {
      current = false
    }
  }, [offer, variantId, quantity, calculateChangeset, strings])

  // The countdown ticks only when the offer has an end.
  const expiresAt = offer?.expiresAt ? Date.parse(offer.expiresAt) : null
  useEffect(() => {
    if (expiresAt === null) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [expiresAt])
  const expired = expiresAt !== null && now >= expiresAt
  useEffect(() => {
    if (expired && status.kind === 'ready') setStatus({ kind: 'expired' })
  }, [expired, status.kind])

  const showNext = useCallback(
    async (current: Offer, outcome: 'accepted' | 'declined', report: Promise<void>) => {
      // The outcome event and the question for the next offer go out together: `after` tells the
      // service the outcome anyway, and a slow service must not cost the buyer two timeouts.
      const [next] = await Promise.all([fetchOffer(token, { offerId: current.id, outcome }), report])
      if (next.ok && next.offer) {
        setView({ offer: next.offer, quantity: next.offer.quantity.default, variantId: next.offer.variantId })
        setNotice(outcome === 'accepted' ? strings.added : null)
        setNow(Date.now())
        setStatus({ kind: 'ready' })
        busy.current = false
      } else {
        await finish()
      }
    },
    [token, strings, finish]
  )

  const accept = useCallback(async () => {
    if (!offer || busy.current) return
    busy.current = true
    setStatus({ kind: 'busy', action: 'accept' })
    const signed = await signChangeset(token, offer.id, quantity, variantId)
    if (!signed.ok) {
      await postEvent(token, {
        offerId: offer.id,
        type: 'failed',
        status: 'not_signed',
        errors: [
          { code: `sign_${signed.reason}`, message: `sign-changeset failed (${signed.status ?? signed.reason})` }
        ]
      })
      setStatus({ kind: 'failed', message: strings.signFailed, tone: 'critical' })
      return
    }
    let result: { status: string; errors: { code: string; message: string }[] }
    try {
      const applied = await applyChangeset(signed.token)
      result = { status: applied.status, errors: Array.isArray(applied.errors) ? applied.errors : [] }
    } catch (error) {
      result = {
        status: 'unprocessed',
        errors: [{ code: 'server_error', message: error instanceof Error ? error.message : String(error) }]
      }
    }
    if (result.status === 'processed') {
      await showNext(
        offer,
        'accepted',
        postEvent(token, { offerId: offer.id, type: 'applied', status: result.status, amount: lines?.total.amount })
      )
      return
    }
    await postEvent(token, { offerId: offer.id, type: 'failed', status: result.status, errors: result.errors })
    const code = result.errors[0]?.code
    setStatus({
      kind: 'failed',
      message: errorMessage(strings, code),
      tone: code === 'changeset_already_applied' ? 'info' : 'critical'
    })
  }, [offer, token, quantity, variantId, applyChangeset, lines, strings, showNext])

  const decline = useCallback(async () => {
    if (!offer || busy.current) return
    busy.current = true
    setStatus({ kind: 'busy', action: 'decline' })
    await showNext(offer, 'declined', postEvent(token, { offerId: offer.id, type: 'declined' }))
  }, [offer, token, showNext])

  if (!offer || status.kind === 'finished') return null

  if (status.kind === 'failed' || status.kind === 'expired') {
    return (
      <BlockStack spacing="loose">
        <Banner status={status.kind === 'failed' ? status.tone : 'info'}>
          <TextBlock>{status.kind === 'failed' ? status.message : strings.expired}</TextBlock>
        </Banner>
        <Button onPress={() => void finish()}>{strings.continue}</Button>
      </BlockStack>
    )
  }

  const working = status.kind === 'busy'
  const { content } = offer
  const total = lines ? ` · ${formatMoney(lines.total, locale)}` : ''
  return (
    <BlockStack spacing="loose">
      {notice ? (
        <Banner status="success">
          <TextBlock>{notice}</TextBlock>
        </Banner>
      ) : null}
      {expiresAt !== null ? (
        <CalloutBanner
          title={strings.expiresIn(formatCountdown(expiresAt - now))}
          background="secondary"
          border="block"
        />
      ) : null}
      <Layout
        maxInlineSize={0.95}
        media={[
          { viewportSize: 'small', sizes: [1, 30, 1] },
          { viewportSize: 'medium', sizes: [300, 30, 0.5] },
          { viewportSize: 'large', sizes: [400, 30, 0.33] }
        ]}
      >
        {content.image ? (
          <Image source={content.image} description={content.imageAlt} aspectRatio={1} bordered />
        ) : (
          <BlockStack />
        )}
        <BlockStack />
        <BlockStack spacing="loose">
          <TextContainer>
            <Heading>{content.headline}</Heading>
            {content.body ? <TextBlock>{content.body}</TextBlock> : null}
          </TextContainer>
          <OfferControls
            offer={offer}
            strings={strings}
            quantity={quantity}
            variantId={variantId}
            disabled={working}
            onQuantity={setQuantity}
            onVariant={setVariantId}
          />
          {calcError ? (
            <Banner status="warning">
              <TextBlock>{calcError}</TextBlock>
            </Banner>
          ) : (
            <PriceSummary
              lines={lines}
              locale={locale}
              strings={strings}
              discountTitle={offer.discount?.title ?? null}
            />
          )}
          <BlockStack spacing="tight">
            <Button
              submit
              onPress={() => void accept()}
              loading={working && status.action === 'accept'}
              loadingLabel={strings.working}
              disabled={working || lines === null || calcError !== null}
            >
              {`${content.acceptLabel}${total}`}
            </Button>
            <Button
              subdued
              onPress={() => void decline()}
              loading={working && status.action === 'decline'}
              disabled={working}
            >
              {content.declineLabel}
            </Button>
          </BlockStack>
        </BlockStack>
      </Layout>
    </BlockStack>
  )
}
