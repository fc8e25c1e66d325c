// GET /health: liveness plus which ruleset is being served.
import type { FastifyPluginAsync } from 'fastify'

const healthRoute: FastifyPluginAsync = async (fastify) => {
  fastify.get(
    '/health',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['status', 'rules'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              rules: {
                type: 'object',
                required: ['hash', 'count', 'loadedAt'],
                properties: { hash: { type: 'string' }, count: { type: 'integer' }, loadedAt: { type: 'string' } }
              }
            }
          }
        }
      }
    },
    async () => {
      const r = fastify.rules.current()
      return { status: 'ok', rules: { hash: r.hash, count: r.count, loadedAt: r.loadedAt } }
    }
  )
}

export default healthRoute
