// GET /admin/rules: the ruleset being served (hash, rules, experiments) and its warnings, for the dashboard.
import type { FastifyPluginAsync } from 'fastify'
import { ServedRuleset } from '../../contract/admin.js'
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
          200: ServedRuleset,
          ...errorResponses(401, 503)
        }
      }
    },
    async (): Promise<ServedRuleset> => {
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
