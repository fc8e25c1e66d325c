// Verifies the session token of a checkout UI extension (the Thank-you page): HS256 with the app's secret, `aud` the
// API key, `exp` and `nbf` with a small leeway, `dest` a shop domain; `sub` the customer's GID when logged in.
import fp from 'fastify-plugin'
import { createVerifier } from 'fast-jwt'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { SessionTokenExpired, SessionTokenInvalid, SessionTokenMissing } from '../errors.js'
import { SHOP_DOMAIN } from '../routes/admin-auth.js'

/** Who a Thank-you request speaks for, taken only from the verified token. */
export type Buyer = {
  shopDomain: string
  /** The logged-in customer's numeric id (from `sub`), null for guests. */
  customerId: number | null
}

declare module 'fastify' {
  interface FastifyRequest {
    buyer: Buyer
  }
  interface FastifyInstance {
    /** preHandler for the Thank-you routes: sets `request.buyer` or answers 401. */
    authenticateBuyer: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
  }
}

/** Shopify's own libraries allow 10 s of clock skew on session tokens; so do we. */
export const SESSION_TOKEN_LEEWAY_MS = 10_000

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/([1-9][0-9]{0,19})$/

/**
 * The shop `dest` names. Checkout UI extensions' tokens are documented as naming "the shop"; Shopify's PHP verifier
 * strips `.myshopify.com` from a bare domain, while admin session tokens carry `https://<shop>`: both are taken.
 */
export function shopOfDest(dest: unknown): string | null {
  if (typeof dest !== 'string' || dest.length > 255) return null
  const bare = /^https:\/\/([^/?#]+)\/?$/i.exec(dest)?.[1] ?? dest
  const shop = bare.toLowerCase()
  return SHOP_DOMAIN.test(shop) ? shop : null
}

function failure(err: unknown): Error {
  const code = (err as { code?: string }).code
  if (code === 'FAST_JWT_EXPIRED') return new SessionTokenExpired()
  if (code === 'FAST_JWT_INACTIVE') return new SessionTokenInvalid('it is not valid yet (nbf)')
  if (code === 'FAST_JWT_INVALID_CLAIM_VALUE' && /aud/.test((err as Error).message))
    return new SessionTokenInvalid('aud is not this app')
  if (code === 'FAST_JWT_MISSING_REQUIRED_CLAIM') return new SessionTokenInvalid((err as Error).message)
  if (code === 'FAST_JWT_INVALID_SIGNATURE') return new SessionTokenInvalid('bad signature')
  if (code === 'FAST_JWT_INVALID_ALGORITHM') return new SessionTokenInvalid('only HS256 is accepted')
  return new SessionTokenInvalid('not a JWT signed for this app')
}

export type SessionTokenAuthOptions = { apiKey: string; apiSecret: string }

/** Synchronous verification (fast-jwt); throws the error to answer. */
export function createBuyerAuthenticator(opts: SessionTokenAuthOptions) {
  const verify = createVerifier({
    key: opts.apiSecret,
    algorithms: ['HS256'],
    allowedAud: opts.apiKey,
    clockTolerance: SESSION_TOKEN_LEEWAY_MS,
    requiredClaims: ['aud', 'dest', 'exp'],
    // Every token is new (Shopify renews it); a cache would only hold memory.
    cache: false
  })
  return function authenticate(header: string | undefined): Buyer {
    if (header === undefined || header === '') throw new SessionTokenMissing()
    const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(header.trim())
    if (match === null) throw new SessionTokenInvalid('expected "Authorization: Bearer <JWT>"')
    let payload: Record<string, unknown>
    try {
      payload = verify(match[1] as string) as Record<string, unknown>
    } catch (err) {
      throw failure(err)
    }
    const shopDomain = shopOfDest(payload.dest)
    if (shopDomain === null) throw new SessionTokenInvalid('dest is not a shop domain (*.myshopify.com)')
    let customerId: number | null = null
    if (payload.sub !== undefined) {
      const m = typeof payload.sub === 'string' ? CUSTOMER_GID.exec(payload.sub) : null
      if (m === null) throw new SessionTokenInvalid('sub is not a customer id (gid://shopify/Customer/…)')
      customerId = Number(m[1])
      if (!Number.isSafeInteger(customerId)) throw new SessionTokenInvalid('sub is not a customer id')
    }
    return { shopDomain, customerId }
  }
}

export default fp<SessionTokenAuthOptions>(
  async (fastify, opts) => {
    const authenticate = createBuyerAuthenticator(opts)
    fastify.decorateRequest('buyer', null as unknown as Buyer)
    fastify.decorate('authenticateBuyer', (request: FastifyRequest, _reply: FastifyReply, done) => {
      try {
        request.buyer = authenticate(request.headers.authorization)
      } catch (err) {
        done(err as Error)
        return
      }
      done()
    })
  },
  { name: 'encore-session-token-auth', fastify: '5.x' }
)
