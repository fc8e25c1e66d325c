// `fastify.offers`: the offer logic built from explicit dependencies (storage, rules, Shopify, config), once per app.
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createOfferService, type OfferService } from '../offers/decide-offer.js'
import { createOfferSigner, type OfferSigner } from '../offers/sign-offer.js'
import { createEventRecorder } from '../offers/record-event.js'

export type Offers = OfferService & {
  sign: OfferSigner
  recordEvent: ReturnType<typeof createEventRecorder>
}

declare module 'fastify' {
  interface FastifyInstance {
    offers: Offers
  }
}

export default fp<{ config: Config }>(
  async (fastify, opts) => {
    const deps = {
      storage: fastify.storage,
      rules: fastify.rules,
      shopify: fastify.shopify,
      config: opts.config,
      log: fastify.log
    }
    fastify.decorate('offers', {
      ...createOfferService(deps),
      sign: createOfferSigner(deps),
      recordEvent: createEventRecorder(deps)
    })
  },
  { name: 'encore-offers', fastify: '5.x', dependencies: ['encore-db', 'encore-rules', 'encore-shopify'] }
)
