// Helpers for the analytics tests: Shopify admin session tokens, authenticated GETs, and checkouts driven end to end.
import { createSigner } from 'fast-jwt'
import { armBucket } from '../../server/rules/arms.js'
import type { FastifyInstance } from 'fastify'
import { API_KEY, SECRET, checkout, post, referenceIdOf, tokenFor, ADMIN_TOKEN } from '../support/server-world.js'
import { webhookRequest } from '../support/shopify-signing.js'

export type SessionTokenOptions = {
  aud?: string
  secret?: string
  dest?: string
  expOffset?: number
  nbfOffset?: number
}

/** A session token as App Bridge hands it to the embedded page: HS256 with the app secret, aud = API key. */
export function sessionToken(shop: string, o: SessionTokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000)
  const sign = createSigner({ key: o.secret ?? SECRET, algorithm: 'HS256' })
  return sign({
    iss: `https://${shop}/admin`,
    dest: o.dest ?? `https://${shop}`,
    aud: o.aud ?? API_KEY,
    sub: '42',
    exp: now + (o.expOffset ?? 60),
    nbf: now + (o.nbfOffset ?? -5),
    iat: now - 5,
    jti: `jti-${Math.random()}`,
    sid: 'session-id'
  })
}

export async function adminGet(app: FastifyInstance, url: string, token: string | null = ADMIN_TOKEN) {
  const res = await app.inject({
    method: 'GET',
    url,
    headers: token === null ? {} : { authorization: `Bearer ${token}` }
  })
  return { status: res.statusCode, body: res.json() as any, raw: res.body }
}

/** A reference id that the experiment `name` assigns below (`low`) or above half of its weight: picks an arm. */
export function refInArm(name: string, firstHalf: boolean, prefix: string): string {
  for (let i = 0; ; i++) {
    const ref = `${prefix}-${i}`
    if (armBucket(name, ref) < 0.5 === firstHalf) return ref
  }
}

export type Driven = { ref: string; token: string; offerId: string | null; rendered: boolean }

/** One checkout through the real routes: asks for an offer, then views, signs, applies or declines as told. */
export async function drive(
  app: FastifyInstance,
  o: {
    shop?: string
    productIds?: number[]
    customerId?: number | null
    referenceId?: string
    currency?: string
    view?: boolean
    accept?: boolean
    amount?: string
    decline?: boolean
  } = {}
): Promise<Driven> {
  const input = checkout({
    ...(o.shop ? { shop: o.shop } : {}),
    ...(o.productIds ? { productIds: o.productIds } : {}),
    ...(o.customerId !== undefined ? { customerId: o.customerId } : {}),
    ...(o.referenceId ? { referenceId: o.referenceId } : {})
  })
  if (o.currency) {
    const purchase = input.initialPurchase as { totalPriceSet: { shopMoney: { currencyCode: string } } }
    purchase.totalPriceSet.shopMoney.currencyCode = o.currency
  }
  const token = tokenFor(input)
  const answer = (await post(app, '/api/offer', token)).body
  const ref = referenceIdOf(input)
  if (!answer.render) return { ref, token, offerId: null, rendered: false }
  const offerId = answer.offer.id as string
  if (o.view) await post(app, '/api/events', token, { offerId, type: 'viewed' })
  if (o.accept) {
    await post(app, '/api/sign-changeset', token, { offerId })
    if (o.amount)
      await post(app, '/api/events', token, { offerId, type: 'applied', status: 'processed', amount: o.amount })
  }
  if (o.decline) await post(app, '/api/events', token, { offerId, type: 'declined' })
  return { ref, token, offerId, rendered: true }
}

/** An order webhook (orders/create, orders/updated, refunds/create) signed like Shopify signs it. */
export function orderWebhook(topic: string, shop: string, payload: unknown, webhookId?: string) {
  return webhookRequest(SECRET, topic, shop, payload, {
    ...(webhookId ? { webhookId } : {}),
    url: `/webhooks/${topic}`
  })
}
