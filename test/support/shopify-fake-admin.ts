// A local fake of Shopify's Admin API (OAuth token exchange + GraphQL) on 127.0.0.1, for tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { answerGraphql, orderRootFields, type FakeStore } from './shopify-fake-graphql.js'
import { FakeOrders, type FakeCommittedEdit, type FakeOrder } from './shopify-fake-orders.js'

export type { FakeOrder, FakeOrderLine, FakeCommittedEdit, FakeDraftOrder } from './shopify-fake-orders.js'

export type FakeProduct = {
  id: number
  title: string
  tags?: string[]
  vendor?: string | null
  productType?: string
  collections?: { handle: string; title: string }[]
  image?: { url: string; altText: string | null } | null
  variants: {
    id: number
    title: string
    price: string
    compareAtPrice?: string | null
    availableForSale?: boolean
    image?: { url: string; altText: string | null } | null
  }[]
}
export type FakeCustomer = { id: number; tags?: string[]; numberOfOrders?: number }

/**
 * How the fake behaves: `ok`; `slow` (answers after `delayMs`); `down` (503 from the edge);
 * `reset` (drops the connection); `throttled` (GraphQL `THROTTLED` with an empty cost bucket);
 * `http429` (429 with Retry-After); `graphql-error` (200 with an INTERNAL_SERVER_ERROR error).
 */
export type FakeMode = 'ok' | 'slow' | 'down' | 'reset' | 'throttled' | 'http429' | 'graphql-error'

export type FakeAdminOptions = { apiKey: string; apiSecret: string; bucketSize?: number; restoreRate?: number }

export type FakeRequest = {
  path: string
  shop: string | null
  operationName: string | null
  variables: Record<string, unknown>
}

export class FakeAdminApi {
  readonly store: FakeStore
  readonly requests: FakeRequest[] = []
  mode: FakeMode = 'ok'
  delayMs = 2000
  /**
   * Root fields (e.g. `orderEditCommit`) whose answer is sent only after this many ms, the operation having been
   * applied already: a client that gives up first sees a timeout although Shopify did the work.
   */
  readonly slowFields = new Map<string, number>()
  private server: Server | null = null
  private readonly codes = new Map<string, { shop: string; scope: string }>()
  private readonly tokens = new Map<string, { shop: string; scope: string }>()
  /** Leaky bucket per shop, like Shopify's calculated query cost limit. */
  private readonly buckets = new Map<string, { available: number; at: number }>()
  private readonly pending = new Set<ServerResponse>()

  constructor(private readonly opts: FakeAdminOptions) {
    const products = new Map<number, FakeProduct>()
    this.store = { products, customers: new Map(), orders: new FakeOrders(products) }
  }

  get origin(): string {
    const addr = this.server?.address() as AddressInfo | null
    if (!addr) throw new Error('fake Admin API not started')
    return `http://127.0.0.1:${addr.port}`
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res)
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    return this
  }

  async close(): Promise<void> {
    for (const res of this.pending) res.destroy()
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  addProduct(p: FakeProduct): void {
    this.store.products.set(p.id, p)
  }
  addCustomer(c: FakeCustomer): void {
    this.store.customers.set(c.id, c)
  }
  /** A paid order the shop can look up and edit (see FakeOrder for the defaults). */
  addOrder(o: FakeOrder): void {
    this.store.orders.add(o)
  }
  /** Changes an order after the fact: cancel it (`cancelledAt`), archive it (`closed`), make it not editable. */
  updateOrder(id: number, patch: Partial<Omit<FakeOrder, 'id' | 'lineItems'>>): void {
    this.store.orders.update(id, patch)
  }
  /** The order edits committed on this order (`gid://shopify/Order/<id>`), oldest first. */
  committedEdits(orderGid: string): FakeCommittedEdit[] {
    return this.store.orders.committedEdits(orderGid)
  }
  /** How many invoices `orderInvoiceSend` sent for this order. */
  invoicesSent(orderGid: string): number {
    return this.store.orders.invoicesSent(orderGid)
  }

  /** What Shopify's authorize screen does when the merchant approves: a one-time code for the callback. */
  authorize(shop: string, scope: string): string {
    const code = randomBytes(16).toString('hex')
    this.codes.set(code, { shop, scope })
    return code
  }

  /** Installs a shop directly (no OAuth): returns its access token. */
  issueToken(
    shop: string,
    scope = 'read_products,read_customers,write_orders,write_order_edits,write_draft_orders'
  ): string {
    const token = `shpat_${randomBytes(16).toString('hex')}`
    this.tokens.set(token, { shop, scope })
    return token
  }

  revokeTokens(shop: string): void {
    for (const [token, t] of this.tokens) if (t.shop === shop) this.tokens.delete(token)
  }

  graphqlRequests(): FakeRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/graphql.json'))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const isGraphql = req.method === 'POST' && /^\/admin\/api\/[^/]+\/graphql\.json$/.test(path)
    if (isGraphql) this.record(req, path, body)
    if (this.mode === 'reset') {
      req.socket.destroy()
      return
    }
    if (this.mode === 'slow') {
      this.pending.add(res)
      // A client that gives up (or close()) ends the wait: no timer outlives the test.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.delayMs)
        res.on('close', () => {
          clearTimeout(timer)
          resolve()
        })
      })
      this.pending.delete(res)
      if (res.destroyed) return
    }
    if (this.mode === 'down') return send(res, 503, { errors: 'Service Unavailable' })
    if (req.method === 'POST' && path === '/admin/oauth/access_token') return this.exchangeCode(res, body)
    if (isGraphql) return this.graphql(req, res, body)
    send(res, 404, { errors: 'Not Found' })
  }

  private exchangeCode(res: ServerResponse, body: string): void {
    const params = parseJson(body)
    const grant = typeof params?.code === 'string' ? this.codes.get(params.code) : undefined
    if (params?.client_id !== this.opts.apiKey || params?.client_secret !== this.opts.apiSecret || !grant) {
      return send(res, 400, {
        error: 'invalid_request',
        error_description: 'The authorization code was not found or was already used'
      })
    }
    this.codes.delete(params.code as string)
    const accessToken = this.issueToken(grant.shop, grant.scope)
    send(res, 200, { access_token: accessToken, scope: grant.scope })
  }

  private grantOf(req: IncomingMessage): { shop: string; scope: string } | undefined {
    const token = req.headers['x-shopify-access-token']
    return typeof token === 'string' ? this.tokens.get(token) : undefined
  }

  private record(req: IncomingMessage, path: string, body: string): void {
    const parsed = parseJson(body)
    const query = typeof parsed?.query === 'string' ? parsed.query : ''
    const operationName = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null
    this.requests.push({
      path,
      shop: this.grantOf(req)?.shop ?? null,
      operationName,
      variables: (parsed?.variables ?? {}) as Record<string, unknown>
    })
  }

  private async graphql(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const grant = this.grantOf(req)
    const parsed = parseJson(body)
    const query = typeof parsed?.query === 'string' ? parsed.query : ''
    const variables = (parsed?.variables ?? {}) as Record<string, unknown>
    if (!grant)
      return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' })
    if (this.mode === 'http429')
      return send(
        res,
        429,
        { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
        { 'Retry-After': '2.0' }
      )
    if (this.mode === 'graphql-error') {
      return send(res, 200, {
        errors: [
          {
            message: 'Internal error. Looks like something went wrong on our end.',
            extensions: { code: 'INTERNAL_SERVER_ERROR' }
          }
        ]
      })
    }
    // Shopify charges 10 points per mutation; a query for an order with its lines costs about 1 + 1 per line asked.
    const isMutation = /^\s*mutation\b/.test(query)
    const orderFields = orderRootFields(query, variables)
    const cost = isMutation
      ? 10 * Math.max(1, orderFields.length)
      : 1 +
        (Array.isArray(variables.productIds) ? variables.productIds.length * 3 : 0) +
        (variables.customerId ? 1 : 0) +
        (variables.variantId ? 2 : 0) +
        (orderFields.length ? 20 : 0)
    const bucket = this.takeFromBucket(grant.shop, this.mode === 'throttled' ? Infinity : cost)
    if (!bucket.ok) {
      return send(res, 200, {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' }
          }
        ],
        extensions: { cost: this.costBlock(cost, null, bucket.available) }
      })
    }
    const answer = answerGraphql(this.store, query, variables, grant.scope, grant.shop)
    const reply = { ...answer, extensions: { cost: this.costBlock(cost, cost - 1, bucket.available) } }
    const delay = Math.max(0, ...orderFields.map((f) => this.slowFields.get(f.field) ?? 0))
    if (delay > 0) await this.hold(res, delay)
    if (!res.destroyed) send(res, 200, reply)
  }

  /** Waits before answering; a client that gives up (or close()) ends the wait, so no timer outlives a test. */
  private async hold(res: ServerResponse, ms: number): Promise<void> {
    this.pending.add(res)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      res.on('close', () => {
        clearTimeout(timer)
        resolve()
      })
    })
    this.pending.delete(res)
  }

  private takeFromBucket(shop: string, cost: number): { ok: boolean; available: number } {
    const size = this.opts.bucketSize ?? 2000
    const rate = this.opts.restoreRate ?? 100
    const now = Date.now()
    const b = this.buckets.get(shop) ?? { available: size, at: now }
    b.available = Math.min(size, b.available + ((now - b.at) / 1000) * rate)
    b.at = now
    this.buckets.set(shop, b)
    if (this.mode === 'throttled') b.available = 0
    if (cost > b.available) return { ok: false, available: Math.floor(b.available) }
    b.available -= cost
    return { ok: true, available: Math.floor(b.available) }
  }

  private costBlock(requested: number, actual: number | null, available: number) {
    return {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: {
        maximumAvailable: this.opts.bucketSize ?? 2000,
        currentlyAvailable: available,
        restoreRate: this.opts.restoreRate ?? 100
      }
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      data += c
    })
    req.on('end', () => resolve(data))
    req.on('error', () => resolve(data))
  })
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text)
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Request-Id': randomBytes(8).toString('hex'),
    ...headers
  })
  res.end(JSON.stringify(body))
}

export async function startFakeAdminApi(opts: FakeAdminOptions): Promise<FakeAdminApi> {
  return new FakeAdminApi(opts).start()
}
