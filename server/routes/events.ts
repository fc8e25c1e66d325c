// POST /api/events: what the buyer saw and what applyChangeset answered, stored for reporting.
import type { FastifyPluginAsync } from 'fastify'
import { authenticateCheckout } from '../plugins/checkout-auth.js'
import { errorResponses, httpError } from '../errors.js'

type EventBody = {
  offerId: string
  type: 'viewed' | 'accepted' | 'declined' | 'applied' | 'failed'
  status?: string
  errors?: { code: string; message: string }[]
  amount?: string
}

const bodySchema = {
  type: 'object',
  required: ['offerId', 'type'],
  properties: {
    offerId: { type: 'string', minLength: 1, maxLength: 100 },
    type: { type: 'string', enum: ['viewed', 'accepted', 'declined', 'applied', 'failed'] },
    status: { type: 'string', maxLength: 100 },
    errors: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string', maxLength: 100 }, message: { type: 'string', maxLength: 1000 } }
      }
    },
    amount: { type: 'string', pattern: '^-?[0-9]{1,12}(\\.[0-9]{1,6})?$' }
  }
} as const

const eventsRoute: FastifyPluginAsync = async (fastify) => {
  fastify.post<{ Body: EventBody }>(
    '/api/events',
    {
      schema: {
        body: bodySchema,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404, 413, 415, 500) }
      },
      preHandler: authenticateCheckout
    },
    async (request, reply) => {
      const { store } = fastify
      const { checkout, body } = request
      const row = store.decision(body.offerId, checkout.referenceId)
      if (!row || row.offer === null) throw httpError('OFFER_NOT_FOUND', body.offerId)
      const writes = [
        store.saveEvent({
          offerId: row.id,
          referenceId: checkout.referenceId,
          shopDomain: checkout.shopDomain,
          customerId: checkout.customerId,
          ruleId: row.ruleId,
          arm: row.arm,
          type: body.type,
          status: body.status ?? null,
          errors: body.errors ? JSON.stringify(body.errors.map((e) => ({ code: e.code, message: e.message }))) : null,
          amount: body.amount ?? null,
          createdAt: Date.now()
        })
      ]
      if ((body.type === 'accepted' || body.type === 'declined') && row.answer === null)
        writes.push(store.setAnswer(row.id, body.type))
      await Promise.all(writes)
      return reply.code(204).send()
    }
  )
}

export default eventsRoute
