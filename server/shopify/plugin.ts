// The real Shopify integration: `fastify.shopify` (shop status, catalog facts, variant info, the Thank-you page's order
// look-up, order editing and checkout fallback) plus the OAuth, app URL, webhook and admin routes.
import fp from 'fastify-plugin'
import type { ShopifyIntegration } from '../plugins/shopify-default.js'
import type { ShopifyConfig } from './config.js'
import type { Config } from '../config.js'
import { createShopifyApi } from './shopify-api.js'
import { ShopRegistry } from './shops.js'
import { SqliteShopifyStore } from './sqlite-store.js'
import { PostgresShopifyStore } from './postgres-store.js'
import type { ShopifyStore } from './store.js'
import { AdminGraphql, type AdminGraphqlOptions } from './admin-graphql.js'
import { Catalog } from './catalog.js'
import { lookUpOrder } from './orders.js'
import { OrderEditor } from './order-edit.js'
import { CheckoutFallback } from './checkout-fallback.js'
import { oauthRoutes } from './oauth-routes.js'
import { appUrlRoute } from './app-url-route.js'
import { adminDataRequestsRoute } from './admin-routes.js'
import { requireAdmin } from '../routes/admin-auth.js'
import { webhookRoutes } from './webhook-routes.js'
import { OrderReconciler } from '../analytics/orders.js'
import { PostgresAnalytics } from '../analytics/postgres-analytics.js'
import { customerIdForms } from './redaction.js'
import { PostgresStorage } from '../db/postgres-storage.js'

/** How far behind another instance's installs and uninstalls the registry's memory may be (README, docs/shopify.md). */
export const SHOPS_REFRESH_MS = 10_000
const PRUNE_MS = 3600_000
const DELIVERY_RETENTION_MS = 7 * 24 * 3600 * 1000

export type ShopifyPluginOptions = {
  /** The configuration validated at boot (loadConfig): the app's key and secret, and `shopify` (SHOPIFY_*). */
  config: Pick<Config, 'apiKey' | 'apiSecret' | 'shopify'>
  /** Overrides for tests (an Admin API origin on a fake, an app URL). */
  shopify?: Partial<ShopifyConfig>
  admin?: AdminGraphqlOptions
  /** Tests: how often the shop registry re-reads the shared table (SHOPS_REFRESH_MS). */
  shopsRefreshMs?: number
}

function resolveConfig(opts: ShopifyPluginOptions): ShopifyConfig {
  return { ...opts.config.shopify, apiKey: opts.config.apiKey, apiSecret: opts.config.apiSecret, ...opts.shopify }
}

export default fp<ShopifyPluginOptions>(
  async (fastify, opts) => {
    const config = resolveConfig(opts)
    const storage = fastify.storage
    const log = fastify.log.child({ component: 'shopify' })
    const shopify = createShopifyApi(config, log)
    // Sessions, shops, delivery ids and data-request reports live beside the offer service's rows: on PostgreSQL they
    // are shared by every instance.
    const store: ShopifyStore =
      storage instanceof PostgresStorage
        ? new PostgresShopifyStore(storage.pool)
        : new SqliteShopifyStore(fastify.database.db, fastify.database.sqlite)
    const sessions = store
    const shops = new ShopRegistry(store, config.requireInstall)
    await shops.refresh()
    const admin = new AdminGraphql(shopify, sessions, log, opts.admin)
    const catalog = new Catalog(admin, { ttlMs: config.catalogTtlMs })
    const editor = new OrderEditor(admin)
    const fallback = new CheckoutFallback(admin)
    const forgetShop = (shop: string) => {
      admin.forget(shop)
      catalog.forgetShop(shop)
    }

    // Only a shop that completed OAuth (and has not uninstalled) can hold a token. Asking the registry, in memory,
    // spares every other shop's checkout a session read and a shop-name validation (~3% of /api/offer's CPU).
    const installed = (shop: string) => shops.get(shop)?.uninstalledAt === null
    const integration: ShopifyIntegration = {
      isShopActive: (shop) => shops.isActive(shop),
      catalogFacts: async (shop, inputData, needs, deadline) =>
        installed(shop) ? catalog.catalogFacts(shop, inputData, needs, deadline) : undefined,
      variantInfo: async (shop, variantId, deadline) =>
        installed(shop) ? catalog.variantInfo(shop, variantId, deadline) : null,
      // The Thank-you page (docs/shopify.md, "Orders"): a shop that never installed has no token, hence no_session.
      lookUpOrder: (shop, orderId, deadline) => lookUpOrder(admin, shop, orderId, deadline),
      addToOrder: (shop, line, deadline) => editor.addToOrder(shop, line, deadline),
      singleUseCheckout: (shop, line, deadline) => fallback.singleUseCheckout(shop, line, deadline)
    }
    fastify.decorate('shopify', integration)

    // Customer data: behind the same requireAdmin hook as every /admin/* route (a shop's session token sees its own).
    await fastify.register(async (scope) => {
      scope.addHook('onRequest', requireAdmin)
      await scope.register(adminDataRequestsRoute(store))
    })

    // Other instances install and uninstall too: the registry re-reads the shared table (checkouts never wait on it).
    // A failed round (the database away) is logged and retried on the next tick.
    const every = (ms: number, what: string, work: () => Promise<unknown>) => {
      const timer = setInterval(() => work().catch((err: unknown) => log.warn({ err }, `${what} failed; retrying`)), ms)
      timer.unref()
      fastify.addHook('onClose', async () => clearInterval(timer))
    }
    every(opts.shopsRefreshMs ?? SHOPS_REFRESH_MS, 'shops refresh', () => shops.refresh())
    const prune = () => store.pruneDeliveries(Date.now() - DELIVERY_RETENTION_MS)
    await prune()
    every(PRUNE_MS, 'webhook ids pruning', prune)

    // Encapsulated: the raw-body parsers of the webhook routes apply to them alone.
    await fastify.register(async (scope) => {
      await scope.register(oauthRoutes, { shopify, sessions, shops, forgetShop })
      await scope.register(appUrlRoute, { shopify, sessions, shops })
      await scope.register(webhookRoutes, {
        shopify,
        deps: {
          store,
          shops,
          // PostgreSQL writes are not queued: nothing to flush there.
          flushWrites: () => (fastify.databaseKind === 'sqlite' ? fastify.database.flush() : undefined),
          forgetShop,
          forgetCustomer: (shop, customerId) => catalog.forgetCustomer(shop, customerId),
          // The analytics plugin (app.ts registers it first) keeps the roll-ups the order webhooks reconcile.
          ...(fastify.hasDecorator('analytics') && fastify.analytics.catchUpSync
            ? {
                orders: OrderReconciler.sqlite(fastify.database.sqlite),
                catchUpAnalytics: fastify.analytics.catchUpSync
              }
            : {}),
          // On PostgreSQL the order webhooks go to the shared database, where the analytics tables are.
          ...(fastify.hasDecorator('analytics') && fastify.analytics.applyOrder
            ? { sharedOrders: fastify.analytics.applyOrder }
            : {}),
          // On PostgreSQL the analytics tables are redacted by their own store, under the consumer's lease
          // (server/analytics/postgres-analytics.ts); on SQLite the Shopify store's transaction covers them.
          ...(storage instanceof PostgresStorage && fastify.hasDecorator('analytics')
            ? {
                redactElsewhere: ({ shop, customerId }) =>
                  fastify.analytics instanceof PostgresAnalytics
                    ? fastify.analytics.redact(shop, customerId === null ? null : customerIdForms(customerId))
                    : undefined
              }
            : {})
        }
      })
    })
  },
  { name: 'encore-shopify', fastify: '5.x', dependencies: ['encore-db'] }
)
