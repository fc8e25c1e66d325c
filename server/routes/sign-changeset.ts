// POST /api/sign-changeset: a changeset token built from the stored decision alone (never from client-sent changes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SignRequest, SignResponse } from '../../contract/wire.js'
import { errorResponses } from '../errors.js'

const signChangesetRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/sign-changeset',
    {
      schema: {
        // Anything else (notably `changes`) is refused, not ignored: the server alone decides what is signed.
        body: SignRequest,
        response: { 200: SignResponse, ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 422, 500, 503) }
      },
      preHandler: fastify.authenticateCheckout
    },
    async (request) => ({ token: await fastify.offers.sign(request.checkout, request.body, request.log) })
  )
}

export default signChangesetRoute
