// The offer service as a Fastify plugin tree: tests build it, server.ts listens. Read top to bottom to see where a
// request goes.
import { sharedSchemaController } from './schema-compilers.js'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import errorHandler, { clientErrorHandler, frameworkErrors } from './plugins/error-handler.js'
import database from './plugins/database.js'
import analytics from './analytics/plugin.js'
import rulesStore from './plugins/rules-store.js'
import checkoutAuth from './plugins/checkout-auth.js'
import offerService from './plugins/offer-service.js'
import thankYouService from './plugins/thank-you-service.js'
import sessionTokenAuth from './plugins/session-token-auth.js'
import { provideShopify, type ShopifyIntegration } from './plugins/shopify-default.js'
import shopifyIntegration from './shopify/plugin.js'
import healthRoute from './routes/health.js'
import checkoutScope from './routes/checkout-scope.js'
import adminScope from './routes/admin-scope.js'
import dashboardRoutes from './routes/dashboard.js'

/** Small on purpose: a checkout request body is a few hundred bytes. */
export const BODY_LIMIT = 16 * 1024

/**
 * The router refuses longer path parameters (414 URL_TOO_LONG) before any route runs; below it, each route's schema
 * sets its own limit (a referenceId up to 200 characters is a 400 INVALID_QUERY beyond that, not a router error).
 */
export const MAX_PARAM_LENGTH = 1024

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export type AppOptions = {
  config: Config
  /** Reload the rules whenever a file under RULES_DIR changes (npm run dev). */
  watchRules?: boolean
  /** Replaces the Shopify integration (tests pass fakes). */
  shopify?: ShopifyIntegration
  logger?: FastifyServerOptions['logger']
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Fields arrive exactly as sent: "2" is not a quantity, and unknown fields are refused where schemas say so.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    schemaController: sharedSchemaController,
    return503OnClosing: true,
    // One log line per request (see below) instead of Fastify's two: logging is part of the per-request budget.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors raised before a route is found, and before a request even exists, answer in the same shape.
    frameworkErrors: frameworkErrors(BODY_LIMIT),
    clientErrorHandler
  })
  app.decorate('config', opts.config)
  // A callback hook, not an async one: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10
      },
      'request completed'
    )
    done()
  })
  // JSON only: a text/plain body is answered 415, not parsed into a string.
  app.removeContentTypeParser('text/plain')
  await app.register(errorHandler, { bodyLimit: BODY_LIMIT })
  const c = opts.config
  await app.register(database, {
    databasePath: c.databasePath,
    databaseUrl: c.databaseUrl,
    databasePoolMax: c.databasePoolMax,
    databasePathIgnored: c.databasePathIgnored,
    retentionDays: c.retentionDays
  })
  // roll-ups for /admin/stats, fed from the stored rows (server/analytics)
  await app.register(analytics)
  await app.register(rulesStore, { rulesDir: opts.config.rulesDir, watch: opts.watchRules ?? false })
  // the Shopify integration: OAuth, webhooks, catalog (server/shopify)
  await app.register(opts.shopify ? provideShopify(opts.shopify) : shopifyIntegration, { config: opts.config })
  await app.register(offerService, { config: opts.config })
  await app.register(checkoutAuth, { secret: opts.config.apiSecret, maxAgeSeconds: opts.config.tokenMaxAgeSeconds })
  // the Thank-you page: session tokens of checkout UI extensions, the order look-up and order editing
  await app.register(thankYouService, { config: opts.config })
  await app.register(sessionTokenAuth, { apiKey: opts.config.apiKey, apiSecret: opts.config.apiSecret })
  await app.register(healthRoute)
  await app.register(checkoutScope)
  await app.register(adminScope)
  // the merchant dashboard's page and bundle (its data comes from /admin/*)
  await app.register(dashboardRoutes)
  return app
}
