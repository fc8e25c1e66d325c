// POST /api/events: what the buyer saw and what applyChangeset answered, stored for reporting.
import type { FastifyPluginAsync } from 'fastify'
import { authenticateCheckout } from '../plugins/checkout-auth.js'
import { errorResponses } from '../errors.js'
import type { EventBody } from '../offers/record-event.js'

const bodySchema = {
  type: 'object',
  required: ['offerId', 'type'],
  properties: {
    offerId: { type: 'string', minLength: 1, maxLength: 100 },
    type: { type: 'string', enum: ['viewed', 'accepted', 'declined', 'applied', 'failed'] },
    status: { type: 'string', maxLength: 100 },
    errors: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string', maxLength: 100 }, message: { type: 'string', maxLength: 1000 } }
      }
    },
    amount: { type: 'string', pattern: '^-?[0-9]{1,12}(\\.[0-9]{1,6})?$' }
  }
} as const

const eventsRoute: FastifyPluginAsync = async (fastify) => {
  fastify.post<{ Body: EventBody }>(
    '/api/events',
    {
      schema: {
        body: bodySchema,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404, 413, 415, 500) }
      },
      preHandler: authenticateCheckout
    },
    async (request, reply) => {
      await fastify.offers.recordEvent(request.checkout, request.body)
      return reply.code(204).send()
    }
  )
}

export default eventsRoute
