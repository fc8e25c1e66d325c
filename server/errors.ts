// Every error code the service answers with, each made once by a typed constructor (docs/api.md lists the same table).
//
// Naming: a code is `<SUBJECT>_<WHAT>` in upper snake case, without a product prefix (TOKEN_EXPIRED, OFFER_NOT_FOUND,
// SHOPIFY_WEBHOOK_HMAC). Clients match on these codes, so a code is never renamed; its message may change. Fastify's
// own codes (FST_ERR_*) never reach a client: plugins/error-handler.ts maps each to one of these.
import createError from '@fastify/error'
import { ErrorBody, MAX_ACCEPTED_OFFERS } from '../contract/wire.js'

/** `define<[args]>()(code, status, message)`: the message's `%s` arguments are typed, code and status inferred. */
const define =
  <Args extends unknown[] = []>() =>
  <C extends string, S extends number>(code: C, status: S, message: string) =>
    createError<C, S, Args>(code, message, status)

// Requests the service cannot read.
export const InvalidBody = define<[detail: string]>()('INVALID_BODY', 400, 'Invalid request: %s')
export const InvalidQuery = define<[detail: string]>()('INVALID_QUERY', 400, 'Invalid query: %s')
export const InvalidJson = define()('INVALID_JSON', 400, 'The body is not valid JSON')
export const InvalidUrl = define<[url: string]>()('INVALID_URL', 400, 'The URL %s is not valid percent-encoding')
export const InvalidRequest = define()('INVALID_REQUEST', 400, 'The request is not valid HTTP')
export const BodyTooLarge = define<[limit: number]>()('BODY_TOO_LARGE', 413, 'The body is larger than %s bytes')
export const UrlTooLong = define()('URL_TOO_LONG', 414, 'A part of the URL is too long')
export const UnsupportedMediaType = define()('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the body as application/json')
export const HeadersTooLarge = define()('HEADERS_TOO_LARGE', 431, 'The request headers are too large')
export const RequestTimeout = define()('REQUEST_TIMEOUT', 408, 'The request took too long to arrive')
export const NotFound = define<[route: string]>()('NOT_FOUND', 404, 'Route %s not found')

// The checkout token and what it carries.
export const TokenMissing = define()('TOKEN_MISSING', 401, 'Send the checkout token as "Authorization: Bearer <token>"')
export const TokenInvalid = define<[why: string]>()('TOKEN_INVALID', 401, 'The checkout token is not valid: %s')
export const TokenExpired = define()('TOKEN_EXPIRED', 401, 'The checkout token is too old or has expired')
export const TokenSubjectMismatch = define()(
  'TOKEN_SUBJECT_MISMATCH',
  401,
  'The checkout token sub does not match input_data.initialPurchase.referenceId'
)
export const InputDataInvalid = define<[why: string]>()(
  'INPUT_DATA_INVALID',
  400,
  'The checkout in the token is incomplete: %s'
)

// The session token of a checkout UI extension (the Thank-you page).
export const SessionTokenMissing = define()(
  'SESSION_TOKEN_MISSING',
  401,
  'Send the session token (shopify.sessionToken.get()) as "Authorization: Bearer <token>"'
)
export const SessionTokenInvalid = define<[why: string]>()(
  'SESSION_TOKEN_INVALID',
  401,
  'The session token is not valid: %s'
)
export const SessionTokenExpired = define()('SESSION_TOKEN_EXPIRED', 401, 'The session token has expired')

// Offers and signing.
export const ShopInactive = define()(
  'SHOP_INACTIVE',
  403,
  'This shop no longer runs Encore: the app was uninstalled or the shop redacted'
)
export const OfferNotFound = define<[offerId: string]>()(
  'OFFER_NOT_FOUND',
  404,
  'No offer %s was made to this checkout'
)
export const OfferAlreadyAccepted = define()(
  'OFFER_ALREADY_ACCEPTED',
  409,
  'This offer was already accepted with another variant or quantity'
)
export const OfferLimitReached = define()(
  'OFFER_LIMIT_REACHED',
  409,
  `This checkout has already accepted ${MAX_ACCEPTED_OFFERS} offers`
)
export const OfferExpired = define()('OFFER_EXPIRED', 410, 'This offer has expired')
/** Thank-you page: the order is not one the caller can prove is theirs (shop, age, confirmation number, customer). */
export const OrderNotYours = define()(
  'ORDER_NOT_YOURS',
  403,
  'This order cannot be shown to be yours: nothing is offered or added to it'
)
/** Thank-you page: Shopify could not add the line now; nothing was added, and a retry may complete it. */
export const OrderEditUnavailable = define<[why: string]>()(
  'ORDER_EDIT_UNAVAILABLE',
  503,
  'Shopify could not add the offer to the order right now (%s); try again'
)
/** The Thank-you page: Shopify refused the edit and the checkout (its user errors); nothing was added. */
export const OrderEditRejected = define<[why: string]>()(
  'ORDER_EDIT_REJECTED',
  422,
  'Shopify refused to add the offer: %s'
)
export const QuantityNotAllowed = define<[quantity: number, range: string]>()(
  'QUANTITY_NOT_ALLOWED',
  422,
  "Quantity %s is outside this offer's range %s"
)
export const VariantNotAllowed = define<[variantId: number]>()(
  'VARIANT_NOT_ALLOWED',
  422,
  'Variant %s is not one this offer allows'
)

// Operator endpoints.
export const RulesInvalid = define()(
  'RULES_INVALID',
  422,
  'The rules are invalid; the last good ruleset is still served'
)
export const AdminUnauthorized = define()(
  'ADMIN_UNAUTHORIZED',
  401,
  'Send "Authorization: Bearer $ADMIN_TOKEN" or a Shopify admin session token'
)
/** A shop's session token asking for another shop (`?shop=`). */
export const AdminShopForbidden = define<[own: string, asked: string]>()(
  'ADMIN_SHOP_FORBIDDEN',
  403,
  'This session token belongs to %s; it cannot read %s'
)
/** The operator's `?shop=` names a shop this instance never saw: a typo, not an empty report. */
export const ShopUnknown = define<[shop: string]>()('SHOP_UNKNOWN', 404, 'No checkout of shop %s was ever stored here')
export const DashboardNotBuilt = define()(
  'DASHBOARD_NOT_BUILT',
  503,
  'The dashboard is not built: run npm run build:dashboard'
)
export const AdminDisabled = define()('ADMIN_DISABLED', 503, 'Admin endpoints are disabled until ADMIN_TOKEN is set')

// The database (PostgreSQL) cannot be reached or did not answer in time: the checkout moves on, the instance recovers.
export const DatabaseUnavailable = define()(
  'DATABASE_UNAVAILABLE',
  503,
  'The database is unavailable; try again shortly'
)

/**
 * An order webhook on PostgreSQL while a transaction that was running when it arrived (anywhere on the server) has not
 * ended in ORDER_DRAIN_MS: its checkout or acceptance might be in it. Nothing is recorded; Shopify delivers it again.
 */
export const AnalyticsBehind = define()(
  'ANALYTICS_BEHIND',
  503,
  'The analytics cannot see every transaction that came before this order yet; deliver it again shortly'
)

// The Shopify integration (docs/shopify.md).
/** A webhook whose X-Shopify-Hmac-Sha256 is missing or does not sign the raw body. */
export const ShopifyWebhookHmac = define()('SHOPIFY_WEBHOOK_HMAC', 401, 'Webhook HMAC missing or invalid')
/** A webhook with a valid HMAC but missing headers or an unreadable body. */
export const ShopifyWebhookInvalid = define<[why: string]>()('SHOPIFY_WEBHOOK_INVALID', 400, 'Invalid webhook: %s')
/** OAuth begin, or the app URL, without a valid `shop` parameter (`*.myshopify.com`). */
export const ShopifyOAuthShop = define()('SHOPIFY_OAUTH_SHOP', 400, 'Missing or invalid shop parameter')
/** An OAuth callback that fails verification: no state cookie, bad HMAC, state mismatch, bot. */
export const ShopifyOAuthCallback = define<[why: string]>()('SHOPIFY_OAUTH_CALLBACK', 400, 'OAuth callback refused: %s')
/** The token exchange with Shopify failed (network, 4xx or 5xx from /admin/oauth/access_token). */
export const ShopifyOAuthExchange = define()(
  'SHOPIFY_OAUTH_EXCHANGE',
  502,
  'Could not obtain an access token from Shopify'
)
/** GET on the app URL (`application_url`) without Shopify's valid HMAC, or with one older than 90 s. */
export const ShopifyAppUrlHmac = define<[why: string]>()('SHOPIFY_APP_URL_HMAC', 400, 'App URL request refused: %s')

export const Internal = define()('INTERNAL', 500, 'Internal server error')

/** A bad SHOPIFY_* variable: not an answer but a refusal to boot, with this one line. */
export const ShopifyConfigError = define<[why: string]>()('SHOPIFY_CONFIG', 500, 'Invalid Shopify configuration: %s')

const ANSWERS = [
  InvalidBody,
  InvalidQuery,
  InvalidJson,
  InvalidUrl,
  InvalidRequest,
  BodyTooLarge,
  UrlTooLong,
  UnsupportedMediaType,
  HeadersTooLarge,
  RequestTimeout,
  NotFound,
  TokenMissing,
  TokenInvalid,
  TokenExpired,
  TokenSubjectMismatch,
  InputDataInvalid,
  SessionTokenMissing,
  SessionTokenInvalid,
  SessionTokenExpired,
  ShopInactive,
  OfferNotFound,
  OfferAlreadyAccepted,
  OfferLimitReached,
  OfferExpired,
  OrderNotYours,
  OrderEditUnavailable,
  OrderEditRejected,
  QuantityNotAllowed,
  VariantNotAllowed,
  RulesInvalid,
  AdminUnauthorized,
  AdminShopForbidden,
  ShopUnknown,
  DashboardNotBuilt,
  AdminDisabled,
  DatabaseUnavailable,
  AnalyticsBehind,
  ShopifyWebhookHmac,
  ShopifyWebhookInvalid,
  ShopifyOAuthShop,
  ShopifyOAuthCallback,
  ShopifyOAuthExchange,
  ShopifyAppUrlHmac,
  Internal
] as const

export type ServiceError = InstanceType<(typeof ANSWERS)[number]>
export type ErrorCode = ServiceError['code']

/** Every code a client can receive, with its HTTP status (the docs table is checked against it). */
export const ERROR_STATUS: ReadonlyMap<ErrorCode, number> = new Map(
  ANSWERS.map((Ctor) => {
    const sample = new (Ctor as unknown as new () => ServiceError)()
    return [sample.code, sample.statusCode]
  })
)

/** True for an error made by one of the constructors above: its code, status and message go to the client as is. */
export function isServiceError(err: unknown): err is ServiceError {
  const e = err as { code?: unknown; statusCode?: unknown } | null
  return typeof e?.code === 'string' && ERROR_STATUS.get(e.code as ErrorCode) === e.statusCode
}

/** The body every error answers with. */
export function errorBody(err: ServiceError): ErrorBody {
  return { error: { code: err.code, message: err.message } }
}

/** Response schemas for a list of statuses that answer with an error body. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> {
  const out = {} as Record<S, typeof ErrorBody>
  for (const s of statuses) out[s] = ErrorBody
  return out
}
