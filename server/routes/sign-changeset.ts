// POST /api/sign-changeset: a changeset token built from the stored decision alone (never from client-sent changes).
import type { FastifyPluginAsync } from 'fastify'
import { authenticateCheckout } from '../plugins/checkout-auth.js'
import { errorResponses } from '../errors.js'
import type { SignRequest } from '../offers/sign-offer.js'

const bodySchema = {
  type: 'object',
  required: ['offerId'],
  // Anything else (notably `changes`) is refused, not ignored: the server alone decides what is signed.
  additionalProperties: false,
  properties: {
    offerId: { type: 'string', minLength: 1, maxLength: 100 },
    quantity: { type: 'integer', minimum: 1, maximum: 1000 },
    variantId: { type: 'integer', minimum: 1 }
  }
} as const

const signChangesetRoute: FastifyPluginAsync = async (fastify) => {
  fastify.post<{ Body: SignRequest }>(
    '/api/sign-changeset',
    {
      schema: {
        body: bodySchema,
        response: {
          200: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
          ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 422, 500)
        }
      },
      preHandler: authenticateCheckout
    },
    async (request) => ({ token: await fastify.offers.sign(request.checkout, request.body, request.log) })
  )
}

export default signChangesetRoute
