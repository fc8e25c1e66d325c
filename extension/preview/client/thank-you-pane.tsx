// The Thank-you page beside the post-purchase page: the real Thank-you bundle in an iframe (its own document, as in
// Shopify's sandbox), the requests it made, and what the Admin API holds for the order afterwards.
import { useEffect, useRef, useState } from 'react'
import type { FrameLogEntry as FrameEntry } from '../thank-you/frame-config.js'

export type Payment = 'card' | 'wallet'
export type ThankYouPage = {
  id: string
  fixture: string
  payment: Payment
  referenceId: string
  order: { id: string; confirmationNumber: string; name: string }
  shop: string
  locale: string
  customer: string | null
}

/** The frame's log lines for this page (postMessage from the same origin, tagged with the page's id). */
export function useFrameLog(pageId: string | null): FrameEntry[] {
  const [entries, setEntries] = useState<FrameEntry[]>([])
  useEffect(() => {
    setEntries([])
    if (!pageId) return
    const listen = (e: MessageEvent) => {
      const data = e.data as { source?: string; page?: string; entry?: FrameEntry } | null
      if (e.origin !== location.origin || data?.source !== 'encore-thank-you' || data.page !== pageId) return
      const entry = data.entry
      if (entry) setEntries((list) => [...list, entry])
    }
    window.addEventListener('message', listen)
    return () => window.removeEventListener('message', listen)
  }, [pageId])
  return entries
}

/** The iframe grows with what the block renders (same origin: the page can watch the frame's body). */
function Frame({ page }: { page: ThankYouPage }) {
  const ref = useRef<HTMLIFrameElement>(null)
  const [height, setHeight] = useState(120)
  useEffect(() => {
    const frame = ref.current
    if (!frame) return
    let observer: ResizeObserver | null = null
    const watch = () => {
      const body = frame.contentDocument?.body
      if (!body) return
      observer?.disconnect()
      observer = new ResizeObserver(() => setHeight(Math.max(120, body.scrollHeight + 8)))
      observer.observe(body)
    }
    frame.addEventListener('load', watch)
    return () => {
      frame.removeEventListener('load', watch)
      observer?.disconnect()
    }
  }, [page.id])
  return (
    <iframe
      ref={ref}
      key={page.id}
      title="Thank-you block"
      data-testid="thank-you-frame"
      src={`/thank-you/frame?page=${encodeURIComponent(page.id)}`}
      style={{ width: '100%', height, border: 0, display: 'block' }}
    />
  )
}

export function ThankYouPane({ page, waiting, shop }: { page: ThankYouPage | null; waiting: string; shop: string }) {
  return (
    <section className="phone" aria-label="Thank-you page">
      <div className="shop">
        <div className="logo">{shop.slice(0, 1).toUpperCase()}</div>
        <div className="name">{shop}</div>
        <div className="secure">Thank-you page</div>
      </div>
      {page ? (
        <>
          <div className="thanks-head" data-testid="order-confirmed">
            <div className="check">✓</div>
            <div>
              <div className="fixture-meta">Confirmation #{page.order.confirmationNumber}</div>
              <b>Thank you!</b>
            </div>
          </div>
          <div className="page">
            <div className="order-box">
              <b>Your order is confirmed</b>
              <div className="fixture-meta">
                {page.payment === 'wallet' ? 'Paid with a wallet' : 'Paid by card'} · order {page.order.name}
              </div>
            </div>
            <div className="block-slot" data-testid="thank-you-block">
              <Frame page={page} />
            </div>
          </div>
        </>
      ) : (
        <div className="page">
          <div className="empty" data-testid="thank-you-waiting">
            {waiting}
          </div>
        </div>
      )}
    </section>
  )
}

/** What the Admin API holds for the order once the buyer has accepted (the fake's order and its edits). */
export function AdminOrder({ page, entries }: { page: ThankYouPage; entries: FrameEntry[] }) {
  const answered = entries.filter((e) => e.kind === 'answer').length
  const [held, setHeld] = useState<unknown>(undefined)
  useEffect(() => {
    let live = true
    void fetch(`/api/thank-you-pages/${page.id}/order`)
      .then((r) => r.json())
      .then((body: { admin: unknown }) => live && setHeld(body.admin))
      .catch(() => live && setHeld(undefined))
    return () => {
      live = false
    }
  }, [page.id, answered])
  if (held === undefined) return null
  return (
    <section className="card stored" data-testid="admin-order">
      <h2>What the Admin API holds for {page.order.id}</h2>
      {held === null ? (
        <p className="fixture-meta">No Admin API in this preview: the order exists only on the page.</p>
      ) : (
        <pre>{JSON.stringify(held, null, 2)}</pre>
      )}
    </section>
  )
}
