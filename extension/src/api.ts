// Calls to the offer service. Every failure is a value, never a throw: the buyer must never be stuck.
import { APP_URL, EVENT_TIMEOUT_MS, OFFER_TIMEOUT_MS, SIGN_TIMEOUT_MS } from './config.js'
import type { EventBody, OfferRequest, SignRequest } from '../../contract/wire.js'
import { parseOffer, type Offer } from './offer.js'

export type Failure = {
  ok: false
  reason: 'not_configured' | 'network' | 'timeout' | 'status' | 'malformed'
  status?: number
}
export type OfferResult = { ok: true; offer: Offer | null } | Failure
export type SignResult = { ok: true; token: string } | Failure

type Posted = { ok: true; status: number; body: unknown } | Failure

/** POST JSON with the checkout token, giving up after `timeoutMs` (the request is aborted too). */
async function post(path: string, token: string, body: unknown, timeoutMs: number): Promise<Posted> {
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
      const res = await fetch(`${APP_URL}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller?.signal
      })
      if (res.status === 204) return { ok: true, status: 204, body: null }
      if (res.status < 200 || res.status > 299) return { ok: false, reason: 'status', status: res.status }
      try {
        return { ok: true, status: res.status, body: await res.json() }
      } catch {
        return { ok: false, reason: 'malformed', status: res.status }
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

/** `POST /api/offer`: an offer, `null` for "nothing to show", or why it failed. */
export async function fetchOffer(token: string, after?: OfferRequest['after']): Promise<OfferResult> {
  const request: OfferRequest = after ? { after } : {}
  const res = await post('/api/offer', token, request, OFFER_TIMEOUT_MS)
  if (!res.ok) return res
  const body = res.body as { render?: unknown; offer?: unknown } | null
  if (typeof body !== 'object' || body === null || typeof body.render !== 'boolean')
    return { ok: false, reason: 'malformed' }
  if (!body.render) return { ok: true, offer: null }
  const offer = parseOffer(body.offer)
  return offer ? { ok: true, offer } : { ok: false, reason: 'malformed' }
}

/** `POST /api/sign-changeset`: the server builds the changes from its own decision and signs them. */
export async function signChangeset(
  token: string,
  offerId: string,
  quantity: number,
  variantId: number
): Promise<SignResult> {
  const request: SignRequest = { offerId, quantity, variantId }
  const res = await post('/api/sign-changeset', token, request, SIGN_TIMEOUT_MS)
  if (!res.ok) return res
  const body = res.body as { token?: unknown } | null
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof body.token !== 'string' ||
    body.token.split('.').length !== 3
  ) {
    return { ok: false, reason: 'malformed' }
  }
  return { ok: true, token: body.token }
}

/** `POST /api/events`: reporting only, so the outcome is ignored. */
export async function postEvent(token: string, event: EventBody): Promise<void> {
  await post('/api/events', token, event, EVENT_TIMEOUT_MS)
}
