// Verifies Shopify's checkout token once per request: HS256 only, iss "shopify", sub = input_data's referenceId,
// bounded age.
import fp from 'fastify-plugin'
import fastifyJwt from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
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
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: Record<string, unknown>
    user: Record<string, unknown>
  }
}

/** Tokens stamped further in the future than this are refused (clock skew allowance). */
const FUTURE_SKEW_SECONDS = 60

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function jwtFailure(err: unknown): Error {
  const code = (err as { code?: string }).code
  if (code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER') return new TokenMissing()
  if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') return new TokenExpired()
  if (code === 'FST_JWT_BAD_REQUEST') return new TokenInvalid('expected "Authorization: Bearer <token>"')
  const message = err instanceof Error ? err.message.replace(/^Authorization token is invalid: /, '') : 'unreadable'
  return new TokenInvalid(message)
}

/** preHandler for checkout routes: sets `request.checkout` or answers 401. */
export async function authenticateCheckout(request: FastifyRequest): Promise<void> {
  let payload: Record<string, unknown>
  try {
    payload = await request.jwtVerify<Record<string, unknown>>()
  } catch (err) {
    throw jwtFailure(err)
  }
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
  request.checkout = { referenceId, shopDomain, customerId, inputData }
}

export type CheckoutAuthOptions = { secret: string; maxAgeSeconds: number }

export default fp<CheckoutAuthOptions>(
  async (fastify, opts) => {
    // Options are set once here: passing them to jwtVerify() per call builds a new verifier every time (~70 µs).
    await fastify.register(fastifyJwt, {
      secret: opts.secret,
      verify: {
        algorithms: ['HS256'],
        allowedIss: 'shopify',
        maxAge: opts.maxAgeSeconds, // @fastify/jwt reads a number as seconds
        requiredClaims: ['iss', 'sub', 'iat'],
        cache: true
      }
    })
    fastify.decorateRequest('checkout', null as unknown as Checkout)
  },
  { name: 'encore-checkout-auth', fastify: '5.x' }
)
