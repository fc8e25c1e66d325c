// Every error code of the Shopify integration, made once with @fastify/error.
import createError from '@fastify/error'

/** A bad SHOPIFY_* variable: the server refuses to boot with this one line. */
export const ShopifyConfigError = createError<'ENCORE_SHOPIFY_CONFIG', [string]>(
  'ENCORE_SHOPIFY_CONFIG',
  'Invalid Shopify configuration: %s'
)

/** A webhook whose X-Shopify-Hmac-Sha256 is missing or does not sign the raw body. */
export const WebhookHmacError = createError('ENCORE_SHOPIFY_WEBHOOK_HMAC', 'Webhook HMAC missing or invalid', 401)

/** A webhook with a valid HMAC but missing headers or an unreadable body. */
export const WebhookInvalidError = createError<'ENCORE_SHOPIFY_WEBHOOK_INVALID', 400, [string]>(
  'ENCORE_SHOPIFY_WEBHOOK_INVALID',
  'Invalid webhook: %s',
  400
)

/** OAuth begin without a valid `shop` parameter (`*.myshopify.com`). */
export const OAuthShopError = createError('ENCORE_SHOPIFY_OAUTH_SHOP', 'Missing or invalid shop parameter', 400)

/** An OAuth callback that fails verification: no state cookie, bad HMAC, state mismatch, bot. */
export const OAuthCallbackError = createError<'ENCORE_SHOPIFY_OAUTH_CALLBACK', 400, [string]>(
  'ENCORE_SHOPIFY_OAUTH_CALLBACK',
  'OAuth callback refused: %s',
  400
)

/** The token exchange with Shopify failed (network, 4xx or 5xx from /admin/oauth/access_token). */
export const OAuthExchangeError = createError(
  'ENCORE_SHOPIFY_OAUTH_EXCHANGE',
  'Could not obtain an access token from Shopify',
  502
)

/** GET on the app URL (`application_url`) without Shopify's valid HMAC, or with one older than 90 s. */
export const AppUrlHmacError = createError<'ENCORE_SHOPIFY_APP_URL_HMAC', 400, [string]>(
  'ENCORE_SHOPIFY_APP_URL_HMAC',
  'App URL request refused: %s',
  400
)
