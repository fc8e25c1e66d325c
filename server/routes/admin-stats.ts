// GET /admin/stats?from&to&shop&bucket: per rule, arm and currency, counts of checkouts, rates and revenue with 95 %
// intervals and the lift over a holdout arm (docs/analytics.md); the answer's shape is contract/admin.ts.
import type { FastifyPluginAsync } from 'fastify'
import { StatsReport } from '../../contract/admin.js'
import { ShopUnknown, errorResponses } from '../errors.js'
import { parseRange } from '../analytics/time-range.js'
import { shopQuerySchema, shopScope } from './admin-auth.js'

type Query = { from?: string; to?: string; shop?: string; bucket?: string }

const adminStatsRoute: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Querystring: Query }>(
    '/admin/stats',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'string', maxLength: 40 },
            to: { type: 'string', maxLength: 40 },
            shop: shopQuerySchema,
            bucket: { type: 'string', enum: ['day', 'hour'] }
          }
        },
        response: { 200: StatsReport, ...errorResponses(400, 401, 403, 404, 503) }
      }
    },
    async (request): Promise<StatsReport> => {
      const now = Date.now()
      const range = parseRange(request.query, now)
      const shop = shopScope(request, request.query.shop)
      // The operator naming a shop this instance never saw is a typo, not an empty report; a shop's own page is
      // empty until its first checkout.
      if (shop !== null && request.admin?.kind === 'operator' && !(await fastify.analytics.knownShop(shop))) {
        throw new ShopUnknown(shop)
      }
      await fastify.analytics.catchUp()
      return fastify.analytics.report(range, shop, now)
    }
  )
}

export default adminStatsRoute
