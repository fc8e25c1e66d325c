// A small stand-in for the offer service, for the failure modes the real one cannot produce (slow, garbage).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import type { Change, Offer, OfferAnswer, OfferRequest, SignRequest, SignResponse } from '../../contract/wire.js'

export type FakeMode = 'offer' | 'no-offer' | 'slow' | 'garbage' | 'html' | 'error-500' | 'bad-offer'

export type FakeApi = {
  url: string
  requests: { path: string; body: unknown }[]
  mode: FakeMode
  close(): Promise<void>
}

/** An offer exactly as the wire contract describes it (contract/wire.ts). */
export function sampleOffer(overrides: Partial<Offer> = {}): Offer {
  return {
    id: 'offer-1',
    ruleId: 'socks',
    arm: null,
    variantId: 808950810,
    variants: [808950810, 808950811],
    quantity: { default: 1, min: 1, max: 3 },
    discount: { type: 'percentage', value: 20, title: '20% off' },
    content: {
      headline: 'Keep your feet warm',
      body: 'Add socks.',
      image: null,
      imageAlt: '',
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
    ...overrides
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  try {
    return text ? JSON.parse(text) : null
  } catch {
    return text
  }
}

export async function startFakeApi(opts: {
  mode: FakeMode
  secret?: string
  apiKey?: string
  offer?: Partial<Offer>
}): Promise<FakeApi> {
  const requests: FakeApi['requests'] = []
  const hanging = new Set<ServerResponse>()
  const sign = createSigner({ key: opts.secret ?? 'test-secret', algorithm: 'HS256' })
  const state = { mode: opts.mode }
  const server = createServer(async (req, res) => {
    // Under /nocors the fake forgets CORS, as a misconfigured service would.
    const noCors = (req.url ?? '').startsWith('/nocors/')
    if (!noCors) {
      res.setHeader('Access-Control-Allow-Origin', '*')
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type')
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS')
    }
    if (req.method === 'OPTIONS') return res.writeHead(204).end()
    const body = await readBody(req)
    const path = (req.url ?? '/').replace(/^\/nocors/, '')
    requests.push({ path, body })
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
    switch (state.mode) {
      case 'slow':
        hanging.add(res) // never answers while the test runs
        return
      case 'garbage':
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"render": tru')
      case 'html':
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>')
      case 'error-500':
        return json(500, { error: { code: 'INTERNAL', message: 'boom' } })
      case 'bad-offer':
        return json(200, { render: true, offer: { id: 7, headline: 'not an offer' } })
      case 'no-offer':
        return json(200, { render: false })
    }
    if (path === '/api/offer') {
      const answer: OfferAnswer = (body as OfferRequest | null)?.after
        ? { render: false }
        : { render: true, offer: sampleOffer(opts.offer) }
      return json(200, answer)
    }
    if (path === '/api/sign-changeset') {
      const b = body as SignRequest
      const changes: Change[] = [
        { type: 'add_variant', variantId: b.variantId ?? 808950810, quantity: b.quantity ?? 1 }
      ]
      const answer: SignResponse = {
        token: sign({ iss: opts.apiKey ?? 'test-key', sub: 'r-1', jti: randomUUID(), changes })
      }
      return json(200, answer)
    }
    if (path === '/api/events') return res.writeHead(204).end()
    return json(404, { error: { code: 'NOT_FOUND', message: path } })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get mode() {
      return state.mode
    },
    set mode(m: FakeMode) {
      state.mode = m
    },
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
