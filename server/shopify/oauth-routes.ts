// OAuth install routes: begin (redirect to Shopify's grant screen) and callback (offline token stored, shop marked
// installed).
import type { FastifyPluginAsync } from 'fastify'
import {
  BotActivityDetected,
  CookieNotFound,
  InvalidHmacError,
  InvalidOAuthError,
  InvalidShopError,
  type Shopify
} from '@shopify/shopify-api'
import { ShopifyOAuthCallback, ShopifyOAuthExchange, ShopifyOAuthShop, errorResponses } from '../errors.js'
import type { SessionStorage } from './store.js'
import type { ShopRegistry } from './shops.js'

export const AUTH_PATH = '/auth/shopify'
export const CALLBACK_PATH = '/auth/shopify/callback'

export type OAuthDeps = {
  shopify: Shopify
  sessions: SessionStorage
  shops: ShopRegistry
  /** Drops cached API clients and catalog answers of a shop whose token or scopes just changed. */
  forgetShop: (shop: string) => void
}

export const oauthRoutes: FastifyPluginAsync<OAuthDeps> = async (app, deps) => {
  app.get<{ Querystring: { shop?: string } }>(
    AUTH_PATH,
    {
      schema: {
        querystring: { type: 'object', properties: { shop: { type: 'string', maxLength: 255 } } },
        response: { 302: { type: 'null' }, ...errorResponses(400) }
      }
    },
    async (request, reply) => {
      const shop = deps.shopify.utils.sanitizeShop(request.query.shop ?? '')
      if (!shop) throw new ShopifyOAuthShop()
      // The library writes the redirect (and its signed state cookie) on the raw response itself.
      reply.hijack()
      await deps.shopify.auth.begin({
        shop,
        callbackPath: CALLBACK_PATH,
        isOnline: false,
        rawRequest: request.raw,
        rawResponse: reply.raw
      })
    }
  )

  app.get(
    CALLBACK_PATH,
    {
      schema: { response: { 302: { type: 'null' }, ...errorResponses(400, 502, 503) } }
    },
    async (request, reply) => {
      let session
      try {
        ;({ session } = await deps.shopify.auth.callback({ rawRequest: request.raw, rawResponse: reply.raw }))
      } catch (err) {
        if (err instanceof CookieNotFound)
          throw new ShopifyOAuthCallback('the state cookie is missing or expired; start again from the install link')
        if (err instanceof InvalidOAuthError || err instanceof InvalidHmacError)
          throw new ShopifyOAuthCallback('the HMAC or state does not match')
        if (err instanceof InvalidShopError) throw new ShopifyOAuthCallback('the shop parameter is invalid')
        if (err instanceof BotActivityDetected) throw new ShopifyOAuthCallback('bot user agent')
        request.log.error({ err }, 'OAuth token exchange failed')
        throw new ShopifyOAuthExchange()
      }
      // Reinstall and changed scopes land here too: the offline session id is stable, so the row is replaced.
      await deps.sessions.storeSession(session)
      const previous = await deps.shops.fresh(session.shop)
      await deps.shops.markInstalled(session.shop, session.scope ?? null)
      deps.forgetShop(session.shop)
      request.log.info(
        {
          shop: session.shop,
          scopes: session.scope,
          reinstall: previous !== undefined,
          previousScopes: previous?.scopes ?? null
        },
        'Shop installed the app'
      )
      return reply.redirect(`https://${session.shop}/admin/apps/${deps.shopify.config.apiKey}`, 302)
    }
  )
}
