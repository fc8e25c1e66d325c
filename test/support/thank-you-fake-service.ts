// A local fake of the two Thank-you routes on loopback (Fastify), answering as shared/design/thank-you.md says, so the
// extension's real bundle can be tested before the real routes exist. Each test scripts the answers.
import cors from '@fastify/cors'
import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'

export type Recorded = { path: string; authorization: string | undefined; origin: string | undefined; body: unknown }

/** What a route does: answer with a status and body, or never answer (the extension's timeout must fire). */
export type Answer = { status: number; body: unknown } | 'hang'

export type FakeThankYouService = {
  url: string
  requests: Recorded[]
  offer: Answer
  accept: Answer
  /** Resolves when a hanging request's connection is closed by the client (the extension aborted it). */
  aborted(): Promise<void>
  close(): Promise<void>
}

/** A Thank-you offer: the offer object of POST /api/offer plus settle (and the proposed prices and orderName). */
export function thankYouOffer(overrides: Record<string, unknown> = {}) {
  return {
    id: 'ty-offer-1',
    ruleId: 'socks',
    arm: null,
    settle: 'order_edit',
    variantId: 808950810,
    variants: [808950810],
    quantity: { default: 1, min: 1, max: 1 },
    discount: { type: 'percentage', value: 20, title: '20% off' },
    content: {
      headline: 'Keep your feet warm',
      body: 'Merino socks that go with your boots.',
      image: 'https://cdn.shopify.com/s/files/socks.png',
      imageAlt: 'Grey merino socks',
      acceptLabel: 'Add to my order',
      declineLabel: 'No thanks'
    },
    expiresAt: null,
    changes: [
      {
        type: 'add_variant',
        variantId: 808950810,
        quantity: 1,
        discount: { value: 20, valueType: 'percentage', title: '20% off' }
      }
    ],
    prices: { '808950810': { amount: '6.48', originalAmount: '8.10', currencyCode: 'USD' } },
    ...overrides
  }
}

export async function startFakeThankYouService(): Promise<FakeThankYouService> {
  const app = Fastify({ logger: false })
  // The extension calls from Shopify's sandbox origin: the real service answers CORS with `*` (bearer auth, no cookie).
  await app.register(cors, {
    origin: '*',
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type']
  })
  const abortWaiters: (() => void)[] = []
  const service: FakeThankYouService = {
    url: '',
    requests: [],
    offer: { status: 200, body: { render: false } },
    accept: {
      status: 200,
      body: { status: 'added', amountDue: { amount: '6.48', currencyCode: 'USD' }, invoiceSent: true }
    },
    aborted: () => new Promise<void>((resolve) => abortWaiters.push(resolve)),
    close: () => app.close()
  }
  const route = (path: string, answer: () => Answer) =>
    app.post(path, async (request, reply) => {
      service.requests.push({
        path,
        authorization: request.headers.authorization,
        origin: request.headers.origin,
        body: request.body
      })
      const a = answer()
      if (a === 'hang') {
        request.raw.socket.once('close', () => abortWaiters.splice(0).forEach((resolve) => resolve()))
        return reply.hijack()
      }
      return reply.code(a.status).send(a.body)
    })
  route('/api/thank-you/offer', () => service.offer)
  route('/api/thank-you/accept', () => service.accept)
  await app.listen({ host: '127.0.0.1', port: 0 })
  service.url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  return service
}
