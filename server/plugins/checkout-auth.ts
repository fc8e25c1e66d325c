// Verifies Shopify's checkout token: HS256 only, iss "shopify", sub = input_data's referenceId, bounded age; each
// token verified once, then remembered.
import fp from 'fastify-plugin'
import { createVerifier } from 'fast-jwt'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { InputDataInvalid, TokenExpired, TokenInvalid, TokenMissing, TokenSubjectMismatch } from '../errors.js'

/** The checkout a request is about, taken only from verified claims. */
export type Checkout = {
  referenceId: string
  shopDomain: string
  customerId: string | null
  inputData: Record<string, unknown>
}

declare module 'fastify' {
  interface FastifyRequest {
    checkout: Checkout
  }
  interface FastifyInstance {
    /** preHandler for checkout routes: sets `request.checkout` or answers 401. */
    authenticateCheckout: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
  }
}

/** Tokens stamped further in the future than this are refused (clock skew allowance). */
const FUTURE_SKEW_SECONDS = 60

/**
 * Verified tokens remembered: Shopify asks ShouldRender and Render with one token, and clients retry. Small and
 * bounded (oldest out first): a checkout's token is reused within seconds, not hours.
 */
const REMEMBERED_TOKENS = 4096

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function tokenFailure(err: unknown): Error {
  const code = (err as { code?: string }).code
  if (code === 'FAST_JWT_EXPIRED') return new TokenExpired()
  return new TokenInvalid(err instanceof Error ? err.message : 'unreadable')
}

/** The checkout in verified claims, or the error to answer. */
function checkoutOf(payload: Record<string, unknown>): Checkout {
  const iat = payload.iat
  if (typeof iat !== 'number' || iat > Date.now() / 1000 + FUTURE_SKEW_SECONDS) {
    throw new TokenInvalid('iat is missing or in the future')
  }
  const inputData = payload.input_data
  if (!isObj(inputData)) throw new TokenInvalid('the input_data claim is missing')
  const purchase = inputData.initialPurchase
  const referenceId = isObj(purchase) ? purchase.referenceId : undefined
  if (typeof payload.sub !== 'string' || typeof referenceId !== 'string' || payload.sub !== referenceId) {
    throw new TokenSubjectMismatch()
  }
  const shop = inputData.shop
  const shopDomain = isObj(shop) ? shop.domain : undefined
  if (typeof shopDomain !== 'string' || shopDomain === '')
    throw new InputDataInvalid('input_data.shop.domain: expected a shop domain')
  const rawCustomer = isObj(purchase) ? purchase.customerId : undefined
  const customerId =
    typeof rawCustomer === 'number' || (typeof rawCustomer === 'string' && rawCustomer !== '')
      ? String(rawCustomer)
      : null
  return { referenceId, shopDomain, customerId, inputData }
}

type Remembered = { checkout: Checkout; validUntilMs: number }

export type CheckoutAuthOptions = { secret: string; maxAgeSeconds: number }

/** Synchronous verification (fast-jwt), so a remembered token costs one Map look-up. */
export function createCheckoutAuthenticator(opts: CheckoutAuthOptions) {
  const verify = createVerifier({
    key: opts.secret,
    algorithms: ['HS256'],
    allowedIss: 'shopify',
    maxAge: opts.maxAgeSeconds * 1000,
    requiredClaims: ['iss', 'sub', 'iat']
  })
  const remembered = new Map<string, Remembered>()

  return function authenticate(header: string | undefined): Checkout {
    if (header === undefined || header === '') throw new TokenMissing()
    const space = header.indexOf(' ')
    const token = space > 0 ? header.slice(space + 1).trim() : ''
    if (space < 0 || header.slice(0, space).toLowerCase() !== 'bearer' || token === '' || token.includes(' ')) {
      throw new TokenInvalid('expected "Authorization: Bearer <token>"')
    }
    const now = Date.now()
    const hit = remembered.get(token)
    if (hit !== undefined) {
      // Age and expiry still count from the token's own claims.
      if (now > hit.validUntilMs) throw new TokenExpired()
      return hit.checkout
    }
    let payload: Record<string, unknown>
    try {
      payload = verify(token) as Record<string, unknown>
    } catch (err) {
      throw tokenFailure(err)
    }
    const checkout = checkoutOf(payload)
    const iat = payload.iat as number
    const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity
    if (remembered.size >= REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value as string)
    remembered.set(token, { checkout, validUntilMs: Math.min(exp, iat * 1000 + opts.maxAgeSeconds * 1000) })
    return checkout
  }
}

export default fp<CheckoutAuthOptions>(
  async (fastify, opts) => {
    const authenticate = createCheckoutAuthenticator(opts)
    fastify.decorateRequest('checkout', null as unknown as Checkout)
    // A callback hook: no promise per request.
    fastify.decorate('authenticateCheckout', (request: FastifyRequest, _reply: FastifyReply, done) => {
      let checkout: Checkout
      try {
        checkout = authenticate(request.headers.authorization)
      } catch (err) {
        done(err as Error)
        return
      }
      request.checkout = checkout
      done()
    })
  },
  { name: 'encore-checkout-auth', fastify: '5.x' }
)
