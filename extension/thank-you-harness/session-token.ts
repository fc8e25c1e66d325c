// Session tokens as Shopify mints them for checkout UI extensions, signed with a test secret: what
// shopify.sessionToken.get() returns in the harness (docs/extension.md says which claims are confirmed).
import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'

export type SessionTokenClaims = {
  /** The shop's domain as the token names it (dest). */
  dest: string
  /** The app's API key (client id). */
  aud: string
  /** The logged-in customer's GID; absent for guests. */
  sub?: string
  iat: number
  nbf: number
  exp: number
  jti: string
}

export type SessionTokenOptions = {
  secret: string
  apiKey: string
  /** "encore-test.myshopify.com": dest becomes https://encore-test.myshopify.com (see destForm). */
  shop: string
  customerId?: string
  /** Seconds since the epoch; defaults to now. Shopify's tokens live 5 minutes. */
  now?: number
  ttlSeconds?: number
  /**
   * How dest spells the shop: "url" (https://shop.myshopify.com, as the contract assumes) or "domain" (the bare
   * domain, which Shopify's own PHP verifier implies). A live store must settle it; the server should take both.
   */
  destForm?: 'url' | 'domain'
}

export function sessionTokenClaims(opts: Omit<SessionTokenOptions, 'secret'>): SessionTokenClaims {
  const now = opts.now ?? Math.floor(Date.now() / 1000)
  const claims: SessionTokenClaims = {
    dest: opts.destForm === 'domain' ? opts.shop : `https://${opts.shop}`,
    aud: opts.apiKey,
    iat: now,
    nbf: now,
    exp: now + (opts.ttlSeconds ?? 300),
    jti: randomUUID()
  }
  if (opts.customerId !== undefined) claims.sub = opts.customerId
  return claims
}

/** HS256 with the app's secret, as Shopify signs them. */
export function mintSessionToken(opts: SessionTokenOptions): string {
  const sign = createSigner({ key: opts.secret, algorithm: 'HS256' })
  return sign({ ...sessionTokenClaims(opts) })
}
