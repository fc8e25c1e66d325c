// GET /admin/decisions/:id: every decision for a checkout (by reference id, or by the order id Shopify's webhooks
// linked to it), with its explanation recomputed from the stored ruleset; a shop's session token sees its own only.
import type { FastifyPluginAsync } from 'fastify'
import { CheckoutDecisions } from '../../contract/admin.js'
import { errorResponses } from '../errors.js'
import { explainCheckout } from '../offers/explain-decisions.js'
import { shopQuerySchema, shopScope } from './admin-auth.js'

const adminDecisionsRoute: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Params: { referenceId: string }; Querystring: { shop?: string } }>(
    '/admin/decisions/:referenceId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['referenceId'],
          properties: { referenceId: { type: 'string', minLength: 1, maxLength: 200 } }
        },
        querystring: { type: 'object', additionalProperties: false, properties: { shop: shopQuerySchema } },
        response: {
          200: CheckoutDecisions,
          ...errorResponses(400, 401, 403, 503)
        }
      }
    },
    async (request): Promise<CheckoutDecisions> => {
      const shop = shopScope(request, request.query.shop)
      const asked = request.params.referenceId
      const own = async (ref: string) =>
        (await fastify.storage.decisionsFor(ref)).filter((d) => shop === null || d.shopDomain === shop)
      let referenceId = asked
      let orderId: string | null = null
      if ((await own(asked)).length === 0) {
        const order = asked.replace(/^gid:\/\/shopify\/Order\//, '').replace(/^#/, '')
        // An order id (as the merchant sees it in the admin: the number, or its GID) names at most one checkout per
        // shop.
        await fastify.analytics.catchUp()
        const hit = await fastify.analytics.checkoutOfOrder(order, shop)
        if (hit !== null) {
          referenceId = hit
          orderId = order
        }
      }
      const ids = new Set((await own(referenceId)).map((d) => d.id))
      return {
        referenceId,
        orderId,
        decisions:
          ids.size === 0
            ? []
            : (await explainCheckout(fastify.storage, fastify.rules, referenceId)).filter((d) => ids.has(d.id))
      }
    }
  )
}

export default adminDecisionsRoute
