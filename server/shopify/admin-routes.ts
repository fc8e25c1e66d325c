// GET /admin/data-requests?shop&limit: the customers/data_request reports received, newest first, for the merchant to
// answer the customer.
// Registered by the Shopify plugin behind requireAdmin (server/routes/admin-auth.ts): a session token sees its shop.
import type { FastifyPluginAsync } from 'fastify'
import { InvalidQuery, errorResponses } from '../errors.js'
import { shopScope, shopQuerySchema } from '../routes/admin-auth.js'
import { listDataRequestReports } from './data-request-reports.js'
import type { ShopifyStore } from './store.js'

export const DATA_REQUESTS_PATH = '/admin/data-requests'
const DEFAULT_LIMIT = 50
const MAX_LIMIT = 500

const nullableString = { type: ['string', 'null'] } as const

/** The stored report exactly as data-request.ts builds it (see DataRequestReport). */
const reportSchema = {
  type: 'object',
  required: ['shop', 'customerId', 'requestId', 'ordersRequested', 'generatedAt', 'categories', 'counts', 'checkouts'],
  properties: {
    shop: { type: 'string' },
    customerId: { type: 'string' },
    requestId: nullableString,
    ordersRequested: { type: 'array', items: { type: 'integer' } },
    generatedAt: { type: 'string' },
    categories: { type: 'array', items: { type: 'string' } },
    counts: {
      type: 'object',
      required: ['decisions', 'acceptances', 'events'],
      properties: { decisions: { type: 'integer' }, acceptances: { type: 'integer' }, events: { type: 'integer' } }
    },
    checkouts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['referenceId', 'decisions', 'acceptances', 'events'],
        properties: {
          referenceId: { type: 'string' },
          decisions: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                at: { type: 'string' },
                ruleId: nullableString,
                arm: nullableString,
                offered: { type: 'boolean' },
                answer: nullableString
              }
            }
          },
          acceptances: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                at: { type: 'string' },
                ruleId: { type: 'string' },
                variantId: { type: 'integer' },
                quantity: { type: 'integer' }
              }
            }
          },
          events: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                at: { type: 'string' },
                type: { type: 'string' },
                status: nullableString,
                amount: nullableString
              }
            }
          }
        }
      }
    }
  }
} as const

function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN
  if (!(n >= 1 && n <= MAX_LIMIT)) throw new InvalidQuery(`limit must be an integer from 1 to ${MAX_LIMIT}`)
  return n
}

export function adminDataRequestsRoute(store: ShopifyStore): FastifyPluginAsync {
  return async (fastify) => {
    fastify.get<{ Querystring: { shop?: string; limit?: string } }>(
      DATA_REQUESTS_PATH,
      {
        schema: {
          querystring: {
            type: 'object',
            // A misspelt filter (`shop_domain=`) must not silently list every shop's customers.
            additionalProperties: false,
            properties: {
              shop: shopQuerySchema,
              // A string: the app does not coerce query values (see app.ts), so the number is read here.
              limit: { type: 'string' }
            }
          },
          response: {
            200: {
              type: 'object',
              required: ['dataRequests'],
              properties: {
                dataRequests: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: [
                      'id',
                      'webhookId',
                      'shop',
                      'customerId',
                      'requestId',
                      'ordersRequested',
                      'receivedAt',
                      'report'
                    ],
                    properties: {
                      id: { type: 'integer' },
                      webhookId: { type: 'string' },
                      shop: { type: 'string' },
                      customerId: { type: 'string' },
                      requestId: nullableString,
                      ordersRequested: { type: 'array', items: { type: 'integer' } },
                      receivedAt: { type: 'string' },
                      report: reportSchema
                    }
                  }
                }
              }
            },
            ...errorResponses(400, 401, 403, 503)
          }
        }
      },
      async (request) => ({
        dataRequests: await listDataRequestReports(store, {
          shop: shopScope(request, request.query.shop),
          limit: parseLimit(request.query.limit)
        })
      })
    )
  }
}
