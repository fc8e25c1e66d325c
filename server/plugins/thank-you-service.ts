// `fastify.thankYou`: the Thank-you page's offer and accept logic, built from explicit dependencies once per app.
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createThankYouOffers, type ThankYouOffers } from '../thank-you/decide-thank-you.js'
import { createThankYouAccept, type ThankYouAccept } from '../thank-you/accept-thank-you.js'

export type ThankYou = ThankYouOffers & ThankYouAccept

declare module 'fastify' {
  interface FastifyInstance {
    thankYou: ThankYou
  }
}

export default fp<{ config: Config }>(
  async (fastify, opts) => {
    const deps = {
      storage: fastify.storage,
      rules: fastify.rules,
      shopify: fastify.shopify,
      config: opts.config,
      log: fastify.log,
      // The checkout an order webhook linked to the order (server/analytics/orders.ts matches its checkout_token,
      // token, checkout_id, cart_token, id and confirmation_number): the Admin API's order names none of the tokens.
      linkedCheckout: (shop: string, orderId: string) => fastify.analytics.checkoutOfOrder(orderId, shop)
    }
    fastify.decorate('thankYou', { ...createThankYouOffers(deps), ...createThankYouAccept(deps) })
  },
  {
    name: 'encore-thank-you',
    fastify: '5.x',
    dependencies: ['encore-db', 'encore-analytics', 'encore-rules', 'encore-shopify']
  }
)
