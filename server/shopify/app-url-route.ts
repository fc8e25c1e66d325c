// GET / (shopify.app.toml's application_url): where Shopify sends the merchant who installs or opens the app.
// A shop without a usable offline token starts OAuth; an installed shop, opened in the admin, goes to /dashboard.
import type { FastifyPluginAsync } from 'fastify'
import { InvalidHmacError } from '@shopify/shopify-api'
import { ShopifyAppUrlHmac, ShopifyOAuthShop, errorResponses } from '../errors.js'
import { CALLBACK_PATH, type OAuthDeps } from './oauth-routes.js'

/**
 * The origin's root, not /auth/shopify: the CLI appends relative webhook URIs to application_url as strings
 * (`/auth/shopify` + `/webhooks/...` would miss the webhook routes), and `shopify app dev` sets application_url
 * to the tunnel's root anyway.
 */
export const APP_URL_PATH = '/'

export const DOCS = ['docs/shopify.md', 'docs/rules.md']

export const appUrlRoute: FastifyPluginAsync<Omit<OAuthDeps, 'forgetShop'>> = async (app, deps) => {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    APP_URL_PATH,
    {
      schema: {
        // Shopify adds shop, hmac, host, timestamp (and may add more, e.g. locale): every parameter is signed, so all
        // are kept.
        querystring: {
          type: 'object',
          properties: { shop: { type: 'string', maxLength: 255 } },
          additionalProperties: { type: 'string', maxLength: 2048 }
        },
        response: {
          200: {
            type: 'object',
            required: ['status', 'message', 'docs'],
            properties: {
              status: { type: 'string', enum: ['running'] },
              message: { type: 'string' },
              docs: { type: 'array', items: { type: 'string' } }
            }
          },
          302: { type: 'null' },
          ...errorResponses(400, 503)
        }
      }
    },
    async (request, reply) => {
      // Someone opening the service's root in a browser (a newcomer after `npm start`) gets a pointer, not an error.
      if (Object.keys(request.query).length === 0) {
        return {
          status: 'running' as const,
          message:
            "Encore's offer service is running. Checkout endpoints are POST /api/offer and /api/sign-changeset; " +
            'GET /health shows the rules served. Shopify opens this URL with ?shop=&hmac= to install the app.',
          docs: ['docs/api.md', ...DOCS]
        }
      }
      const shop = deps.shopify.utils.sanitizeShop(request.query.shop ?? '')
      if (!shop) throw new ShopifyOAuthShop()
      // Only Shopify's signed launch is answered here; a hand-made install link is /auth/shopify?shop=.
      if (!request.query.hmac)
        throw new ShopifyAppUrlHmac(
          'not signed by Shopify; open the app from the Shopify admin, or install from /auth/shopify?shop=<shop>'
        )
      let valid: boolean
      try {
        valid = await deps.shopify.utils.validateHmac(request.query)
      } catch (err) {
        if (err instanceof InvalidHmacError)
          throw new ShopifyAppUrlHmac('the link is more than 90 s old; open the app again from the Shopify admin')
        throw err
      }
      if (!valid) throw new ShopifyAppUrlHmac('the HMAC does not match')

      // Installed = a token that still covers the configured scopes, and no uninstall since: otherwise (re)install.
      // Both read from the database, not the registry's memory: the install may have finished on another instance.
      const session = await deps.sessions.loadSession(deps.shopify.session.getOfflineId(shop))
      const state = await deps.shops.fresh(shop)
      if (!session?.isActive(deps.shopify.config.scopes) || state?.uninstalledAt !== null) {
        request.log.info(
          { shop, session: session !== undefined, uninstalled: state?.uninstalledAt != null },
          'App URL opened by a shop without a usable token: starting OAuth'
        )
        // The library writes the redirect (and its signed state cookie) on the raw response itself.
        reply.hijack()
        await deps.shopify.auth.begin({
          shop,
          callbackPath: CALLBACK_PATH,
          isOnline: false,
          rawRequest: request.raw,
          rawResponse: reply.raw
        })
        return reply
      }
      // The app is embedded (shopify.app.toml): the admin's iframe lands on the dashboard, with the query Shopify
      // sent (host, shop, ...) that App Bridge reads to start; the dashboard authenticates by session token itself.
      const raw = request.raw.url ?? ''
      const query = raw.includes('?') ? raw.slice(raw.indexOf('?')) : ''
      reply.header('cache-control', 'no-store')
      return reply.redirect(`/dashboard${query}`, 302)
    }
  )
}
