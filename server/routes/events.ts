// POST /api/events: what the buyer saw and what applyChangeset answered, stored for reporting.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EventBody } from '../../contract/wire.js'
import { errorResponses } from '../errors.js'

const eventsRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/events',
    {
      schema: {
        body: EventBody,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404, 413, 415, 500, 503) }
      },
      preHandler: fastify.authenticateCheckout
    },
    async (request, reply) => {
      await fastify.offers.recordEvent(request.checkout, request.body)
      return reply.code(204).send(null)
    }
  )
}

export default eventsRoute
