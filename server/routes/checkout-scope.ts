// The checkout endpoints called by the extensions from Shopify's sandbox (the post-purchase page's and the Thank-you
// page's): CORS for any origin (bearer auth, no cookies), then the routes.
import cors from '@fastify/cors'
import type { FastifyPluginAsync } from 'fastify'
import offerRoute from './offer.js'
import signChangesetRoute from './sign-changeset.js'
import eventsRoute from './events.js'
import thankYouRoutes from './thank-you.js'

const checkoutScope: FastifyPluginAsync = async (fastify) => {
  // Preflights carry no Authorization header: @fastify/cors answers them before any authentication runs.
  await fastify.register(cors, {
    origin: '*',
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600
  })
  await fastify.register(offerRoute)
  await fastify.register(signChangesetRoute)
  await fastify.register(eventsRoute)
  await fastify.register(thankYouRoutes)
}

export default checkoutScope
