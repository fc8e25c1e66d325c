// Whether a shop may get offers and signatures now; asked when an offer is made and again when it is signed.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'

/** Fails closed: no offer is better than one for a shop that may have uninstalled the app. */
export function shopIsActive(app: FastifyInstance, shopDomain: string, log: FastifyBaseLogger): boolean {
  try {
    return app.shopify.isShopActive(shopDomain)
  } catch (err) {
    log.error({ err }, 'isShopActive failed; treating the shop as inactive')
    return false
  }
}
