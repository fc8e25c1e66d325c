// Who is asking an /admin/* route: the operator (ADMIN_TOKEN, every shop) or one shop (a Shopify admin session token).
import { timingSafeEqual, createHash } from 'node:crypto'
import '@shopify/shopify-api/adapters/node'
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { AdminDisabled, AdminShopForbidden, AdminUnauthorized } from '../errors.js'

/** The operator sees every shop; a shop's session token sees that shop only. */
export type AdminPrincipal = { kind: 'operator' } | { kind: 'shop'; shop: string }

declare module 'fastify' {
  interface FastifyRequest {
    admin?: AdminPrincipal
  }
}

export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/

/** Compares digests so neither the length nor the content of the token leaks through timing. */
function sameToken(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}

/** One @shopify/shopify-api instance per configuration, only for decodeSessionToken (HS256, aud, exp, nbf). */
const verifiers = new WeakMap<Config, Shopify>()
function verifierFor(config: Config): Shopify {
  let api = verifiers.get(config)
  if (api === undefined) {
    api = shopifyApi({
      apiKey: config.apiKey,
      apiSecretKey: config.apiSecret,
      // Unused by decodeSessionToken; the library requires a host.
      hostName: 'localhost',
      // Unused too: session tokens do not depend on the Admin API version.
      apiVersion: ApiVersion.October25,
      isEmbeddedApp: true,
      logger: { level: LogSeverity.Error, log: () => {} },
      _logDisabledFutureFlags: false
    })
    verifiers.set(config, api)
  }
  return api
}

/** The shop a valid session token speaks for, or null (bad signature, audience, time, or `dest`). */
export async function shopOfSessionToken(config: Config, token: string): Promise<string | null> {
  // A session token is a JWT: three base64url parts. Anything else is not worth a verification.
  if (token.split('.').length !== 3) return null
  let payload: Record<string, unknown>
  try {
    payload = (await verifierFor(config).session.decodeSessionToken(token)) as unknown as Record<string, unknown>
  } catch {
    return null
  }
  if (typeof payload.dest !== 'string') return null
  let url: URL
  try {
    url = new URL(payload.dest)
  } catch {
    return null
  }
  const shop = url.hostname.toLowerCase()
  if (url.protocol !== 'https:' || !SHOP_DOMAIN.test(shop)) return null
  return shop
}

/**
 * The onRequest hook of every /admin/* route (export it to any plugin that adds one): sets `request.admin`, or answers
 * 401 (503 while neither ADMIN_TOKEN nor a session token can authenticate).
 */
export async function requireAdmin(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const config = request.server.config
  const header = request.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  const token = match?.[1] ?? ''
  if (config.adminToken !== null && token !== '' && sameToken(token, config.adminToken)) {
    request.admin = { kind: 'operator' }
    return
  }
  const shop = token === '' ? null : await shopOfSessionToken(config, token)
  if (shop !== null) {
    request.admin = { kind: 'shop', shop }
    return
  }
  if (config.adminToken === null) throw new AdminDisabled()
  throw new AdminUnauthorized()
}

/**
 * The shop a request may read: the operator gets `?shop=` (null = every shop); a shop gets itself, and naming another
 * shop is 403.
 */
export function shopScope(request: FastifyRequest, asked: string | undefined): string | null {
  const principal = request.admin
  // requireAdmin runs before every /admin handler; a route without it must not leak every shop.
  if (principal === undefined) throw new AdminUnauthorized()
  const wanted = asked === undefined || asked === '' ? null : asked.toLowerCase()
  if (principal.kind === 'operator') return wanted
  if (wanted !== null && wanted !== principal.shop) throw new AdminShopForbidden(principal.shop, wanted)
  return principal.shop
}

/** The querystring schema of `shop`, shared by every /admin route that narrows by shop. */
export const shopQuerySchema = {
  type: 'string',
  maxLength: 255,
  pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]*\\.myshopify\\.com$'
} as const
