// POST /admin/rules/reload: reload RULES_DIR now; answers with what changed, or the errors (the last good ruleset
// stays).
import type { FastifyPluginAsync } from 'fastify'
import { RulesReloaded, RulesReloadFailed } from '../../contract/admin.js'
import { RulesInvalid, errorBody, errorResponses } from '../errors.js'

const adminReloadRoute: FastifyPluginAsync = async (fastify) => {
  fastify.post(
    '/admin/rules/reload',
    {
      schema: {
        response: {
          200: RulesReloaded,
          422: RulesReloadFailed,
          ...errorResponses(401, 503)
        }
      }
    },
    async (_request, reply) => {
      const outcome = await fastify.rules.reload()
      if (outcome.ok) return outcome satisfies RulesReloaded
      return reply.code(422).send({
        ...errorBody(new RulesInvalid()),
        errors: outcome.errors,
        warnings: outcome.warnings,
        report: outcome.report
      } satisfies RulesReloadFailed)
    }
  )
}

export default adminReloadRoute
