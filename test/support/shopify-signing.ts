// What Shopify does on its side of the wire, for tests: signs webhooks and completes the OAuth grant screen.
import { createHmac, randomUUID } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { FakeAdminApi } from './shopify-fake-admin.js'

export const WEBHOOK_URL: Record<string, string> = {
  'app/uninstalled': '/webhooks/app/uninstalled',
  'app/scopes_update': '/webhooks/app/scopes_update',
  'customers/data_request': '/webhooks/customers/data_request',
  'customers/redact': '/webhooks/customers/redact',
  'shop/redact': '/webhooks/shop/redact'
}

export function webhookHmac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64')
}

/** A webhook delivery as Shopify sends it; `hmac: null` leaves the header out, a string replaces it. */
export function webhookRequest(
  secret: string,
  topic: string,
  shop: string,
  payload: unknown,
  opts: { webhookId?: string; hmac?: string | null; url?: string } = {}
): InjectOptions {
  const body = JSON.stringify(payload)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': shop,
    'x-shopify-api-version': '2025-10',
    'x-shopify-webhook-id': opts.webhookId ?? randomUUID(),
    'x-shopify-triggered-at': new Date().toISOString(),
    'x-shopify-event-id': randomUUID()
  }
  if (opts.hmac !== null) headers['x-shopify-hmac-sha256'] = opts.hmac ?? webhookHmac(secret, body)
  return { method: 'POST', url: opts.url ?? WEBHOOK_URL[topic] ?? '/webhooks/unknown', headers, payload: body }
}

/** The query Shopify appends to the redirect_uri after the merchant approves, signed like Shopify signs it. */
export function signedCallbackQuery(secret: string, params: Record<string, string>): string {
  const sorted = Object.entries(params).sort(([a], [b]) => a.localeCompare(b))
  const message = new URLSearchParams(sorted).toString()
  const hmac = createHmac('sha256', secret).update(message).digest('hex')
  return new URLSearchParams([...sorted, ['hmac', hmac]]).toString()
}

function cookiesOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie']
  const list = Array.isArray(raw) ? raw : raw ? [raw] : []
  return list.map((c) => c.split(';')[0]).join('; ')
}

/** The merchant's browser (the library answers bots, including light-my-request's default agent, with 410). */
export const BROWSER = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'
}

export type OAuthRun = { begin: LightMyRequestResponse; callback: LightMyRequestResponse; authorizeUrl: URL }

/** Install through the real routes: begin, the merchant approves on the fake, the signed callback comes back. */
export async function installThroughOAuth(
  app: FastifyInstance,
  fake: FakeAdminApi,
  secret: string,
  shop: string,
  opts: { grantScope?: string; code?: string; tamper?: (query: string) => string } = {}
): Promise<OAuthRun> {
  const begin = await app.inject({ method: 'GET', url: `/auth/shopify?shop=${shop}`, headers: BROWSER })
  const authorizeUrl = new URL(String(begin.headers.location))
  const state = authorizeUrl.searchParams.get('state') ?? ''
  const code = opts.code ?? fake.authorize(shop, opts.grantScope ?? authorizeUrl.searchParams.get('scope') ?? '')
  let query = signedCallbackQuery(secret, {
    code,
    host: Buffer.from(`${shop}/admin`).toString('base64url'),
    shop,
    state,
    timestamp: String(Math.floor(Date.now() / 1000))
  })
  if (opts.tamper) query = opts.tamper(query)
  const callback = await app.inject({
    method: 'GET',
    url: `/auth/shopify/callback?${query}`,
    headers: { ...BROWSER, cookie: cookiesOf(begin) }
  })
  return { begin, callback, authorizeUrl }
}

/**
 * The query Shopify adds when it sends the merchant to application_url (install or open), signed like Shopify signs it.
 */
export function signedAppUrlQuery(
  secret: string,
  shop: string,
  opts: { timestamp?: number; extra?: Record<string, string> } = {}
): string {
  return signedCallbackQuery(secret, {
    host: Buffer.from(`admin.shopify.com/store/${shop.replace('.myshopify.com', '')}`).toString('base64url'),
    shop,
    timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    ...opts.extra
  })
}
