// Webhook routes: raw body kept (in this encapsulated plugin only), HMAC verified by @shopify/shopify-api, then
// processed once.
import type { FastifyPluginAsync } from 'fastify'
import type { Shopify } from '@shopify/shopify-api'
import { ShopifyWebhookHmac, ShopifyWebhookInvalid, errorResponses } from '../errors.js'
import { processSharedOrderWebhook, processWebhook, type WebhookDeps } from './webhooks.js'

/** One URI per topic, as registered in shopify.app.toml; the X-Shopify-Topic header must match it. */
export const WEBHOOK_PATHS = {
  'app/uninstalled': '/webhooks/app/uninstalled',
  'app/scopes_update': '/webhooks/app/scopes_update',
  'customers/data_request': '/webhooks/customers/data_request',
  'customers/redact': '/webhooks/customers/redact',
  'shop/redact': '/webhooks/shop/redact',
  'orders/create': '/webhooks/orders/create',
  'orders/updated': '/webhooks/orders/updated',
  'refunds/create': '/webhooks/refunds/create'
} as const

const BODY_LIMIT = 1024 * 1024

export const webhookRoutes: FastifyPluginAsync<{ shopify: Shopify; deps: WebhookDeps }> = async (
  app,
  { shopify, deps }
) => {
  // The HMAC signs the exact bytes Shopify sent: keep them as a string, parse only after verification.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body))
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
    done(null, body)
  )

  for (const [topic, path] of Object.entries(WEBHOOK_PATHS)) {
    app.post(
      path,
      {
        schema: {
          response: {
            200: {
              type: 'object',
              properties: { status: { type: 'string', enum: ['processed', 'duplicate', 'ignored'] } },
              required: ['status']
            },
            ...errorResponses(400, 401, 503)
          }
        }
      },
      async (request, reply) => {
        const rawBody = typeof request.body === 'string' ? request.body : ''
        const check = await shopify.webhooks.validate({ rawBody, rawRequest: request.raw, rawResponse: reply.raw })
        if (!check.valid) {
          if (check.reason === 'missing_headers')
            throw new ShopifyWebhookInvalid(
              `missing headers ${'missingHeaders' in check ? check.missingHeaders.join(', ') : ''}`
            )
          request.log.warn({ path, reason: check.reason }, 'Webhook refused: HMAC missing or invalid')
          throw new ShopifyWebhookHmac()
        }
        const expected = topic.toUpperCase().replace(/\/|\./g, '_')
        if (check.topic !== expected)
          throw new ShopifyWebhookInvalid(`X-Shopify-Topic ${check.topic} does not match ${path}`)
        let payload: unknown
        try {
          payload = JSON.parse(rawBody)
        } catch {
          throw new ShopifyWebhookInvalid('the body is not JSON')
        }
        const delivery = { topic: check.topic, shop: check.domain, webhookId: check.webhookId, payload }
        const outcome = (await processSharedOrderWebhook(deps, delivery)) ?? (await processWebhook(deps, delivery))
        const log = { topic: check.topic, shop: check.domain, webhookId: check.webhookId, status: outcome.status }
        if (outcome.status === 'processed' && outcome.report) {
          // The merchant answers the customer from this log line (and the stored report).
          request.log.info(
            { ...log, report: outcome.report },
            'customers/data_request: report of what Encore holds about this customer'
          )
        } else if (outcome.status === 'processed' && outcome.reconciled) {
          // Skipped lines and refunds are also stored (analytics_skipped) with their reason.
          request.log.info({ ...log, reconciled: outcome.reconciled }, 'Order webhook reconciled')
        } else if (outcome.status === 'processed' && outcome.removed) {
          request.log.info({ ...log, removed: outcome.removed }, 'Webhook processed')
        } else {
          request.log.info(log, 'Webhook received')
        }
        return { status: outcome.status }
      }
    )
  }
}
