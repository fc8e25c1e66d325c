// POST /admin/rules/reload: reload RULES_DIR now; answers with what changed, or the errors (the last good ruleset
// stays).
import type { FastifyPluginAsync } from 'fastify'
import { ErrorBody } from '../../contract/wire.js'
import { RulesInvalid, errorBody, errorResponses } from '../errors.js'

const diagnostic = {
  type: 'object',
  properties: {
    severity: { type: 'string' },
    code: { type: 'string' },
    file: { type: 'string' },
    pointer: { type: 'string' },
    line: { type: 'integer' },
    column: { type: 'integer' },
    message: { type: 'string' }
  }
} as const

const adminReloadRoute: FastifyPluginAsync = async (fastify) => {
  fastify.post(
    '/admin/rules/reload',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              hash: { type: 'string' },
              count: { type: 'integer' },
              loadedAt: { type: 'string' },
              unchanged: { type: 'boolean' },
              added: { type: 'array', items: { type: 'string' } },
              changed: { type: 'array', items: { type: 'string' } },
              removed: { type: 'array', items: { type: 'string' } },
              warnings: { type: 'array', items: diagnostic },
              ms: { type: 'number' }
            }
          },
          422: {
            type: 'object',
            required: ['error'],
            properties: {
              error: ErrorBody.properties.error,
              errors: { type: 'array', items: diagnostic },
              warnings: { type: 'array', items: diagnostic },
              report: { type: 'string' }
            }
          },
          ...errorResponses(401, 503)
        }
      }
    },
    async (_request, reply) => {
      const outcome = await fastify.rules.reload()
      if (outcome.ok) return outcome
      return reply.code(422).send({
        ...errorBody(new RulesInvalid()),
        errors: outcome.errors,
        warnings: outcome.warnings,
        report: outcome.report
      })
    }
  )
}

export default adminReloadRoute
