// GET /admin/rules: the ruleset being served (hash, rules, experiments) and its warnings, for the dashboard.
import type { FastifyPluginAsync } from 'fastify'
import { errorResponses } from '../errors.js'
import { loadRulesFromFiles, type Diagnostic } from '../rules/index.js'

const adminRulesRoute: FastifyPluginAsync = async (fastify) => {
  // Warnings of a ruleset never change: computed once per hash from the files it was loaded from.
  let cached: { hash: string; warnings: Diagnostic[] } | null = null
  fastify.get(
    '/admin/rules',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['hash', 'loadedAt', 'count', 'rules', 'warnings'],
            properties: {
              hash: { type: 'string' },
              loadedAt: { type: 'string' },
              count: { type: 'integer' },
              rules: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'priority', 'enabled', 'experiment'],
                  properties: {
                    id: { type: 'string' },
                    priority: { type: 'number' },
                    enabled: { type: 'boolean' },
                    experiment: {
                      type: ['object', 'null'],
                      properties: { name: { type: 'string' }, arms: { type: 'array', items: { type: 'string' } } }
                    }
                  }
                }
              },
              warnings: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    code: { type: 'string' },
                    file: { type: 'string' },
                    line: { type: 'integer' },
                    message: { type: 'string' }
                  }
                }
              }
            }
          },
          ...errorResponses(401, 503)
        }
      }
    },
    async () => {
      const r = fastify.rules.current()
      if (cached?.hash !== r.hash) {
        const loaded = loadRulesFromFiles(r.files)
        cached = { hash: r.hash, warnings: loaded.warnings }
      }
      return {
        hash: r.hash,
        loadedAt: r.loadedAt,
        count: r.count,
        // The same rules for every shop (rules are files of this instance), so a shop may read them.
        rules: r.rules.map((rule) => ({
          id: rule.id,
          priority: rule.priority,
          enabled: rule.enabled,
          experiment: rule.experiment
            ? {
                name: rule.experiment.name,
                arms: rule.experiment.arms.map((a) => (a.holdout ? `${a.id} (holdout)` : a.id))
              }
            : null
        })),
        warnings: cached.warnings
      }
    }
  )
}

export default adminRulesRoute
