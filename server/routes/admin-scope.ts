// /admin/*: operator endpoints behind `Authorization: Bearer $ADMIN_TOKEN`; 503 until ADMIN_TOKEN is set.
import { timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { AdminDisabled, AdminUnauthorized } from '../errors.js'
import adminDecisionsRoute from './admin-decisions.js'
import adminStatsRoute from './admin-stats.js'
import adminReloadRoute from './admin-reload.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Routes other plugins contribute to /admin/* (the Shopify integration's data-request reports): this scope
     * registers them behind its ADMIN_TOKEN check, so plugins registered before it (app.ts order) need no auth code.
     */
    adminRoutes?: FastifyPluginAsync[]
  }
}

/** Compares digests so neither the length nor the content of the token leaks through timing. */
function sameToken(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}

const adminScope: FastifyPluginAsync = async (fastify) => {
  const expected = fastify.config.adminToken
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if (expected === null) throw new AdminDisabled()
    const header = request.headers.authorization
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
    if (!match || !sameToken(match[1] ?? '', expected)) throw new AdminUnauthorized()
  })
  await fastify.register(adminDecisionsRoute)
  await fastify.register(adminStatsRoute)
  await fastify.register(adminReloadRoute)
  for (const route of fastify.adminRoutes ?? []) await fastify.register(route)
}

export default adminScope
