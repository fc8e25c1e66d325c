// Calls to the offer service with Shopify's session token. Every failure is a value, never a throw.
import { ACCEPT_TIMEOUT_MS, APP_URL, OFFER_TIMEOUT_MS } from './config.js'
import { platform } from './platform.js'
import type { AcceptAnswer, AcceptBody, ThankYouOffer } from './offer.js'
import { parseAcceptAnswer, parseOfferAnswer } from './parse.js'

export type Failure = { ok: false; reason: 'not_configured' | 'network' | 'timeout' | 'status' | 'malformed' }
export type OfferResult = { ok: true; offer: ThankYouOffer | null } | Failure
export type AcceptResult = { ok: true; answer: AcceptAnswer } | Failure

type Posted = { ok: true; body: unknown } | Failure

/**
 * POST JSON with a fresh session token (Shopify caches it and renews it when it expires, so asking each time is
 * the documented use), giving up after `timeoutMs` whether the token or the answer is late; the request is
 * aborted too.
 */
async function post(path: string, body: unknown, timeoutMs: number): Promise<Posted> {
  if (APP_URL === null) return { ok: false, reason: 'not_configured' }
  const controller = typeof AbortController === 'function' ? new AbortController() : null
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<Failure>((resolve) => {
    timer = setTimeout(() => {
      controller?.abort()
      resolve({ ok: false, reason: 'timeout' })
    }, timeoutMs)
  })
  const request = (async (): Promise<Posted> => {
    try {
      const token = await platform().sessionToken.get()
      const res = await fetch(`${APP_URL}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller?.signal
      })
      if (res.status < 200 || res.status > 299) return { ok: false, reason: 'status' }
      try {
        return { ok: true, body: await res.json() }
      } catch {
        return { ok: false, reason: 'malformed' }
      }
    } catch {
      return { ok: false, reason: 'network' }
    }
  })()
  try {
    return await Promise.race([request, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** `POST /api/thank-you/offer`: the offer, null for "nothing to show", or why it failed. */
export async function fetchOffer(orderId: string, confirmationNumber: string): Promise<OfferResult> {
  const res = await post('/api/thank-you/offer', { orderId, confirmationNumber }, OFFER_TIMEOUT_MS)
  if (!res.ok) return res
  const offer = parseOfferAnswer(res.body)
  return offer === undefined ? { ok: false, reason: 'malformed' } : { ok: true, offer }
}

/** `POST /api/thank-you/accept`: the server edits the order (or makes a checkout) from its own stored decision. */
export async function acceptOffer(body: AcceptBody): Promise<AcceptResult> {
  const res = await post('/api/thank-you/accept', body, ACCEPT_TIMEOUT_MS)
  if (!res.ok) return res
  const answer = parseAcceptAnswer(res.body)
  return answer ? { ok: true, answer } : { ok: false, reason: 'malformed' }
}
