// Verifies a changeset token the way Shopify does before applying it.
import { createVerifier } from 'fast-jwt'
import type { ChangesetError } from './changeset-calculator.js'

export type ChangesetClaims = { iss: string; sub: string; jti: string; iat: number; exp?: number; changes: unknown }
export type Verification = { ok: true; claims: ChangesetClaims } | { ok: false; errors: ChangesetError[] }

type Expect = {
  secret: string
  apiKey: string
  referenceId: string
  /** Shopify refuses changesets signed before the purchase completed (ms since epoch). */
  purchaseCompletedAt: number
  usedJtis: Set<string>
}

const refuse = (message: string): Verification => ({ ok: false, errors: [{ code: 'invalid_request', message }] })

export function verifyChangeset(token: unknown, expect: Expect): Verification {
  if (typeof token !== 'string' || token.split('.').length !== 3) return refuse('the changeset must be a signed JWT')
  let claims: Record<string, unknown>
  try {
    claims = createVerifier({ key: expect.secret, algorithms: ['HS256'] })(token) as Record<string, unknown>
  } catch (error) {
    return refuse(`token rejected: ${(error as { code?: string }).code ?? 'invalid'} (${(error as Error).message})`)
  }
  if (claims.iss !== expect.apiKey) return refuse(`iss must be the app's API key, got ${JSON.stringify(claims.iss)}`)
  if (claims.sub !== expect.referenceId)
    return refuse(`sub must be the referenceId ${expect.referenceId}, got ${JSON.stringify(claims.sub)}`)
  if (typeof claims.jti !== 'string' || claims.jti === '') return refuse('jti is missing')
  const iat = claims.iat
  // Seconds since the epoch are ~1.7e9; milliseconds (the tutorial's bug) are ~1.7e12.
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > 1e11)
    return refuse(`iat must be in seconds, got ${JSON.stringify(iat)}`)
  const nowSeconds = Date.now() / 1000
  if (iat > nowSeconds + 60) return refuse('iat is in the future')
  if (iat < Math.floor(expect.purchaseCompletedAt / 1000))
    return refuse('the changeset was signed before the purchase completed')
  if (!Array.isArray(claims.changes)) return refuse('changes is missing')
  if (expect.usedJtis.has(claims.jti)) {
    return {
      ok: false,
      errors: [{ code: 'changeset_already_applied', message: 'this changeset has already been applied' }]
    }
  }
  return { ok: true, claims: claims as unknown as ChangesetClaims }
}
