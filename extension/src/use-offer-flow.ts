// The offer flow: the offer shown and the buyer's choice, accept (sign, apply), decline, the next offer of a chain,
// what is reported to the service, and always reaching done().
import { useCallback, useEffect, useRef, useState } from 'react'
import type { PostPurchaseRenderApi } from '@shopify/post-purchase-ui-extensions'
import { fetchOffer, postEvent, signChangeset } from './api.js'
import { errorMessage, type Strings } from './messages.js'
import { parseOffer, type Offer } from './offer.js'

/** What the page shows besides the offer itself. */
export type Status =
  | { kind: 'ready' }
  | { kind: 'busy'; action: 'accept' | 'decline' }
  | { kind: 'failed'; message: string; tone: 'critical' | 'warning' | 'info' }
  | { kind: 'expired' }
  | { kind: 'finished' }

export type OfferFlow = {
  offer: Offer | null
  quantity: number
  variantId: number
  status: Status
  /** A confirmation of the previous offer ("Added to your order"), shown above the next one. */
  notice: string | null
  /** The countdown's end (epoch ms) and the clock it ticks with; null without a countdown. */
  expiresAt: number | null
  now: number
  setQuantity(quantity: number): void
  setVariantId(variantId: number): void
  /** `amount` is the previewed total, reported with the `applied` event. */
  accept(amount: string | undefined): Promise<void>
  decline(): Promise<void>
  finish(): Promise<void>
}

type FlowInput = Pick<PostPurchaseRenderApi, 'storage' | 'applyChangeset' | 'done'> & { token: string }

export function useOfferFlow({ token, storage, applyChangeset, done }: FlowInput, strings: Strings): OfferFlow {
  // One state object: React 17 does not batch updates made after an await, and the offer, its
  // quantity and its variant must change together (a price preview of a mixed state is wrong).
  const [view, setView] = useState(() => {
    const stored = parseOffer((storage.initialData as { offer?: unknown } | null)?.offer)
    return { offer: stored, quantity: stored?.quantity.default ?? 1, variantId: stored?.variantId ?? 0 }
  })
  const { offer, quantity, variantId } = view
  const setQuantity = useCallback((q: number) => setView((v) => ({ ...v, quantity: q })), [])
  const setVariantId = useCallback((id: number) => setView((v) => ({ ...v, variantId: id })), [])
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

  const accept = useCallback(
    async (amount: string | undefined) => {
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
          postEvent(token, { offerId: offer.id, type: 'applied', status: result.status, amount })
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
    },
    [offer, token, quantity, variantId, applyChangeset, strings, showNext]
  )

  const decline = useCallback(async () => {
    if (!offer || busy.current) return
    busy.current = true
    setStatus({ kind: 'busy', action: 'decline' })
    await showNext(offer, 'declined', postEvent(token, { offerId: offer.id, type: 'declined' }))
  }, [offer, token, showNext])

  return {
    offer,
    quantity,
    variantId,
    status,
    notice,
    expiresAt,
    now,
    setQuantity,
    setVariantId,
    accept,
    decline,
    finish
  }
}
