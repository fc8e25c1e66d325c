// POST /api/thank-you/offer and /api/thank-you/accept: the Thank-you page's offer, authenticated by the session token
// of a checkout UI extension (the logic: thank-you/, as `fastify.thankYou`).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ThankYouAcceptRequest,
  ThankYouAcceptResponse,
  ThankYouOfferRequest,
  ThankYouOfferResponse
} from '../../contract/wire.js'
import { errorResponses } from '../errors.js'

const thankYouRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/thank-you/offer',
    {
      schema: {
        body: ThankYouOfferRequest,
        response: { 200: ThankYouOfferResponse, ...errorResponses(400, 401, 403, 413, 415, 500, 503) }
      },
      preHandler: fastify.authenticateBuyer
    },
    async (request) => fastify.thankYou.offerFor(request.buyer, request.body, request.log)
  )
  fastify.post(
    '/api/thank-you/accept',
    {
      schema: {
        body: ThankYouAcceptRequest,
        response: {
          200: ThankYouAcceptResponse,
          ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 422, 500, 503)
        }
      },
      preHandler: fastify.authenticateBuyer
    },
    async (request) => fastify.thankYou.accept(request.buyer, request.body, request.log)
  )
}

export default thankYouRoutes
