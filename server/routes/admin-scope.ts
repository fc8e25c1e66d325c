// /admin/*: operator and merchant endpoints behind requireAdmin (ADMIN_TOKEN for every shop, a session token for one).
import type { FastifyPluginAsync } from 'fastify'
import { requireAdmin } from './admin-auth.js'
import adminDecisionsRoute from './admin-decisions.js'
import adminStatsRoute from './admin-stats.js'
import adminReloadRoute from './admin-reload.js'
import adminRulesRoute from './admin-rules.js'

const adminScope: FastifyPluginAsync = async (fastify) => {
  fastify.addHook('onRequest', requireAdmin)
  await fastify.register(adminDecisionsRoute)
  await fastify.register(adminStatsRoute)
  await fastify.register(adminReloadRoute)
  await fastify.register(adminRulesRoute)
}

export default adminScope
