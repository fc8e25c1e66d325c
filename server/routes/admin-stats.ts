// GET /admin/stats?from&to: per rule and arm outcomes over a time window (ISO times or epoch ms; default: everything).
import type { FastifyPluginAsync } from 'fastify'
import { InvalidQuery, errorResponses } from '../errors.js'
import { statsBetween } from '../offers/stats.js'

function parseTime(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)
  if (!Number.isFinite(n)) throw new InvalidQuery(`${name} must be an ISO time or epoch milliseconds`)
  return n
}

const adminStatsRoute: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Querystring: { from?: string; to?: string } }>(
    '/admin/stats',
    {
      schema: {
        querystring: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } },
        response: {
          200: {
            type: 'object',
            required: ['from', 'to', 'rules'],
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              rules: { type: 'array', items: { type: 'object', additionalProperties: true } }
            }
          },
          ...errorResponses(400, 401, 503)
        }
      }
    },
    async (request) => {
      const from = parseTime('from', request.query.from, 0)
      const to = parseTime('to', request.query.to, Date.now() + 1)
      if (to < from) throw new InvalidQuery('to must not be before from')
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        rules: statsBetween(fastify.database.db, from, to)
      }
    }
  )
}

export default adminStatsRoute
