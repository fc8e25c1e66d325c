// GET /admin/stats?from&to&shop&bucket: per rule, arm and currency, counts of checkouts, rates and revenue with 95 %
// intervals and the lift over a holdout arm (docs/analytics.md).
import type { FastifyPluginAsync } from 'fastify'
import { ShopUnknown, errorResponses } from '../errors.js'
import { parseRange } from '../analytics/time-range.js'
import { shopQuerySchema, shopScope } from './admin-auth.js'

type Query = { from?: string; to?: string; shop?: string; bucket?: string }

const interval = {
  type: ['object', 'null'],
  required: ['value', 'low', 'high'],
  properties: { value: { type: 'number' }, low: { type: 'number' }, high: { type: 'number' } }
} as const
const nullableString = { type: ['string', 'null'] } as const
const lift = {
  type: ['object', 'null'],
  required: ['vsArm', 'value', 'low', 'high', 'significant'],
  properties: {
    vsArm: { type: 'string' },
    value: { type: 'number' },
    low: { type: 'number' },
    high: { type: 'number' },
    significant: { type: 'boolean' }
  }
} as const

export const statsResponseSchema = {
  type: 'object',
  required: ['from', 'to', 'shop', 'bucket', 'rows', 'series', 'surfaces'],
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    shop: nullableString,
    bucket: { type: 'string' },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ruleId', 'arm', 'holdout', 'currency', 'checkouts', 'offers', 'views', 'accepts', 'declines'],
        properties: {
          ruleId: { type: 'string' },
          arm: nullableString,
          holdout: { type: 'boolean' },
          currency: nullableString,
          checkouts: { type: 'integer' },
          offers: { type: 'integer' },
          views: { type: 'integer' },
          accepts: { type: 'integer' },
          declines: { type: 'integer' },
          applied: { type: 'integer' },
          confirmed: { type: 'integer' },
          acceptRate: interval,
          revenue: { type: 'number' },
          revenueConfirmed: { type: 'number' },
          revenuePerCheckout: interval,
          lift,
          verdict: nullableString,
          followOn: {
            type: ['object', 'null'],
            required: [
              'checkouts',
              'excludedGuests',
              'excludedRecent',
              'ordersPerCheckout',
              'revenuePerCheckout',
              'lift'
            ],
            properties: {
              checkouts: { type: 'integer' },
              excludedGuests: { type: 'integer' },
              excludedRecent: { type: 'integer' },
              ordersPerCheckout: { type: ['number', 'null'] },
              revenuePerCheckout: interval,
              lift
            }
          }
        }
      }
    },
    series: {
      type: 'array',
      items: {
        type: 'object',
        required: ['t', 'ruleId', 'arm', 'checkouts', 'accepts', 'revenue'],
        properties: {
          t: { type: 'string' },
          ruleId: { type: 'string' },
          arm: nullableString,
          currency: nullableString,
          checkouts: { type: 'integer' },
          accepts: { type: 'integer' },
          revenue: { type: 'number' }
        }
      }
    },
    surfaces: {
      type: 'array',
      items: {
        type: 'object',
        required: ['surface', 'currency', 'offers', 'accepts', 'revenue'],
        properties: {
          surface: { type: 'string', enum: ['post_purchase', 'thank_you'] },
          currency: nullableString,
          offers: { type: 'integer' },
          accepts: { type: 'integer' },
          revenue: { type: 'number' }
        }
      }
    }
  }
} as const

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
        response: { 200: statsResponseSchema, ...errorResponses(400, 401, 403, 404, 503) }
      }
    },
    async (request) => {
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
