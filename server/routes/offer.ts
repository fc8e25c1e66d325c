// POST /api/offer: the offer to show this checkout, if any (the logic: offers/decide-offer.ts, as `fastify.offers`).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OfferRequest, OfferResponse } from '../../contract/wire.js'
import { errorResponses } from '../errors.js'

const offerRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/offer',
    {
      schema: {
        body: OfferRequest,
        response: { 200: OfferResponse, ...errorResponses(400, 401, 404, 413, 415, 500, 503) }
      },
      // An empty POST is the same as `{}`.
      preValidation: (request, _reply, done) => {
        if (request.body === undefined || request.body === null) request.body = {}
        done()
      },
      preHandler: fastify.authenticateCheckout
    },
    async (request) => fastify.offers.offerFor(request.checkout, request.body.after, request.log)
  )
}

export default offerRoute
