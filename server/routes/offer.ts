// POST /api/offer: the offer to show this checkout, if any (the logic: offers/decide-offer.ts, as `fastify.offers`).
import type { FastifyPluginAsync } from 'fastify'
import { authenticateCheckout } from '../plugins/checkout-auth.js'
import { errorResponses } from '../errors.js'
import type { After } from '../offers/decide-offer.js'
import { offerSchema } from '../offers/offer.js'

const bodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: {
      type: 'object',
      required: ['offerId', 'outcome'],
      additionalProperties: false,
      properties: {
        offerId: { type: 'string', minLength: 1, maxLength: 100 },
        outcome: { type: 'string', enum: ['accepted', 'declined'] }
      }
    }
  }
} as const

const responseSchema = {
  200: {
    type: 'object',
    required: ['render'],
    properties: { render: { type: 'boolean' }, offer: offerSchema }
  },
  ...errorResponses(400, 401, 404, 413, 415, 500)
}

const offerRoute: FastifyPluginAsync = async (fastify) => {
  fastify.post<{ Body: { after?: After } }>(
    '/api/offer',
    {
      schema: { body: bodySchema, response: responseSchema },
      // An empty POST is the same as `{}`.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {}
      },
      preHandler: authenticateCheckout
    },
    async (request) => fastify.offers.offerFor(request.checkout, request.body.after, request.log)
  )
}

export default offerRoute
