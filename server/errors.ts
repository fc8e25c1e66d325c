// Every error code the offer service answers with, in one place (docs/api.md lists the same table).
import createError from '@fastify/error'

/** code -> [HTTP status, message template]; `%s` is filled from the arguments. */
export const ERRORS = {
  INVALID_BODY: [400, 'Invalid request: %s'],
  INVALID_QUERY: [400, 'Invalid query: %s'],
  INVALID_JSON: [400, 'The body is not valid JSON'],
  BODY_TOO_LARGE: [413, 'The body is larger than %s bytes'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Send the body as application/json'],
  INPUT_DATA_INVALID: [400, 'The checkout in the token is incomplete: %s'],
  TOKEN_MISSING: [401, 'Send the checkout token as "Authorization: Bearer <token>"'],
  TOKEN_INVALID: [401, 'The checkout token is not valid: %s'],
  TOKEN_EXPIRED: [401, 'The checkout token is too old or has expired'],
  TOKEN_SUBJECT_MISMATCH: [401, 'The checkout token sub does not match input_data.initialPurchase.referenceId'],
  SHOP_INACTIVE: [403, 'This shop no longer runs Encore: the app was uninstalled or the shop redacted'],
  OFFER_NOT_FOUND: [404, 'No offer %s was made to this checkout'],
  OFFER_ALREADY_ACCEPTED: [409, 'This offer was already accepted with another variant or quantity'],
  OFFER_LIMIT_REACHED: [409, 'This checkout has already accepted 3 offers'],
  OFFER_EXPIRED: [410, 'This offer has expired'],
  QUANTITY_NOT_ALLOWED: [422, "Quantity %s is outside this offer's range %s"],
  VARIANT_NOT_ALLOWED: [422, 'Variant %s is not one this offer allows'],
  RULES_INVALID: [422, 'The rules are invalid; the last good ruleset is still served'],
  ADMIN_UNAUTHORIZED: [401, 'Send "Authorization: Bearer $ADMIN_TOKEN"'],
  ADMIN_DISABLED: [503, 'Admin endpoints are disabled until ADMIN_TOKEN is set'],
  NOT_FOUND: [404, 'Route %s not found'],
  INTERNAL: [500, 'Internal server error']
} as const satisfies Record<string, readonly [number, string]>

export type ErrorCode = keyof typeof ERRORS

const constructors = new Map<string, ReturnType<typeof createError>>()
for (const [code, [status, message]] of Object.entries(ERRORS)) {
  constructors.set(code, createError(code, message, status))
}

/** An error the error handler turns into `{ error: { code, message } }` with its status. */
export function httpError(code: ErrorCode, ...args: unknown[]): Error & { code: ErrorCode; statusCode: number } {
  const Ctor = constructors.get(code)
  if (Ctor === undefined) throw new Error(`unknown error code ${code}`)
  return new Ctor(...args) as Error & { code: ErrorCode; statusCode: number }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, code)
}

/** The JSON schema of every error body, used in each route's response schemas. */
export const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } }
    }
  }
} as const

/** Response schemas for a list of statuses that answer with an error body. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorBodySchema> {
  const out: Record<number, typeof errorBodySchema> = {}
  for (const s of statuses) out[s] = errorBodySchema
  return out
}
