// GET /health: liveness, whether the database answers (`degraded` with 503 when it does not, so a load balancer takes
// the instance out), and which ruleset is being served.
import type { FastifyPluginAsync } from 'fastify'

const body = {
  type: 'object',
  required: ['status', 'database', 'rules'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    database: {
      type: 'object',
      required: ['kind', 'reachable'],
      properties: { kind: { type: 'string', enum: ['sqlite', 'postgres'] }, reachable: { type: 'boolean' } }
    },
    rules: {
      type: 'object',
      required: ['hash', 'count', 'loadedAt'],
      properties: { hash: { type: 'string' }, count: { type: 'integer' }, loadedAt: { type: 'string' } }
    }
  }
} as const

const healthRoute: FastifyPluginAsync = async (fastify) => {
  fastify.get('/health', { schema: { response: { 200: body, 503: body } } }, async (_request, reply) => {
    const r = fastify.rules.current()
    const reachable = await fastify.storage.ping()
    if (!reachable) reply.code(503)
    return {
      status: reachable ? 'ok' : 'degraded',
      database: { kind: fastify.databaseKind, reachable },
      rules: { hash: r.hash, count: r.count, loadedAt: r.loadedAt }
    }
  })
}

export default healthRoute
