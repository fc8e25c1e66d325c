// Whether a shop may get offers and signatures now; asked when an offer is made and again when it is signed.
import type { ShopifyIntegration } from '../plugins/shopify-default.js'

/** The logging the offer logic needs (pino's and Fastify's loggers fit), so it depends on no framework. */
export type Log = {
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** Fails closed: no offer is better than one for a shop that may have uninstalled the app. */
export function shopIsActive(shopify: Pick<ShopifyIntegration, 'isShopActive'>, shopDomain: string, log: Log): boolean {
  try {
    return shopify.isShopActive(shopDomain)
  } catch (err) {
    log.error({ err }, 'isShopActive failed; treating the shop as inactive')
    return false
  }
}
