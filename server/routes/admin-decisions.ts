// GET /admin/decisions/:referenceId: every decision for a checkout, with its explanation recomputed from the stored
// ruleset.
import type { FastifyPluginAsync } from 'fastify'
import { errorResponses } from '../errors.js'
import { explainCheckout } from '../offers/explain-decisions.js'

const adminDecisionsRoute: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Params: { referenceId: string } }>(
    '/admin/decisions/:referenceId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['referenceId'],
          properties: { referenceId: { type: 'string', minLength: 1, maxLength: 200 } }
        },
        response: {
          200: {
            type: 'object',
            required: ['referenceId', 'decisions'],
            properties: {
              referenceId: { type: 'string' },
              // Decision reports are built from typed rows (offers/explain-decisions.ts); explanations are the rules
              // module's shape.
              decisions: { type: 'array', items: { type: 'object', additionalProperties: true } }
            }
          },
          ...errorResponses(400, 401, 503)
        }
      }
    },
    async (request) => ({
      referenceId: request.params.referenceId,
      decisions: await explainCheckout(fastify.storage, fastify.rules, request.params.referenceId)
    })
  )
}

export default adminDecisionsRoute
