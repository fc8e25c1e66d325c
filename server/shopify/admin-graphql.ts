// Calls the Admin GraphQL API for a shop within a deadline; outages, slowness and throttling come back as values, never
// throws.
import {
  GraphqlQueryError,
  HttpResponseError,
  HttpThrottlingError,
  type Session,
  type Shopify
} from '@shopify/shopify-api'
import type { SessionStorage } from './store.js'

/**
 * `denied`: the token itself was refused (HTTP 401/403); `access_denied`: GraphQL ACCESS_DENIED, the token lacks a
 * scope the fields or mutations need (the shop has not granted it yet).
 */
export type AdminFailure =
  'no_session' | 'backoff' | 'timeout' | 'throttled' | 'unavailable' | 'denied' | 'access_denied' | 'error'
export type AdminResult<T> = { ok: true; data: T; errors: GraphqlError[] } | { ok: false; reason: AdminFailure }

export type GraphqlError = { message?: string; path?: unknown[]; extensions?: { code?: string } }

type Cost = {
  requestedQueryCost?: number
  throttleStatus?: { maximumAvailable?: number; currentlyAvailable?: number; restoreRate?: number }
}

type Log = { warn: (o: object, m: string) => void; debug: (o: object, m: string) => void }

export type AdminGraphqlOptions = {
  /** Below this many ms left before the deadline, no call is started. */
  minBudgetMs?: number
  /**
   * After a timeout, 5xx or network error, calls for that shop are skipped this long (a checkout should not wait on a
   * dead API).
   */
  outageBackoffMs?: number
  /**
   * Keep this much of the cost bucket free: under it, calls wait for the bucket to refill (other app work may need it).
   */
  reserveCost?: number
  now?: () => number
}

const DEFAULTS = { minBudgetMs: 15, outageBackoffMs: 5_000, reserveCost: 100 }
const SAFETY_MS = 10

export class AdminGraphql {
  private readonly blockedUntil = new Map<string, number>()
  private readonly clients = new Map<string, { token: string; client: InstanceType<Shopify['clients']['Graphql']> }>()
  private readonly opts: Required<Omit<AdminGraphqlOptions, 'now'>>
  private readonly now: () => number

  constructor(
    private readonly shopify: Shopify,
    private readonly sessions: SessionStorage,
    private readonly log: Log,
    opts: AdminGraphqlOptions = {}
  ) {
    this.opts = { ...DEFAULTS, ...opts }
    this.now = opts.now ?? Date.now
  }

  /**
   * Whether a call for this shop could be made now (no backoff is running), without a database read: the session is
   * read by `query` itself, right before the call it is needed for (callers ask only for installed shops).
   */
  canCall(shop: string): boolean {
    return (this.blockedUntil.get(shop) ?? 0) <= this.now()
  }

  /** Whether the shop has an offline token at all (one read: the token is shared by every instance). */
  async hasSession(shop: string): Promise<boolean> {
    return (await this.session(shop)) !== undefined
  }

  /** Whether the shop's offline token covers these scopes (a write scope covers its read scope: the library's rule). */
  async hasScopes(shop: string, scopes: string | string[]): Promise<boolean> {
    return (await this.session(shop))?.isScopeIncluded(scopes) === true
  }

  /** Forgets the shop's client and backoff (uninstall, new token). */
  forget(shop: string): void {
    this.clients.delete(shop)
    this.blockedUntil.delete(shop)
  }

  async query<T>(
    shop: string,
    query: string,
    variables: Record<string, unknown>,
    deadline: number
  ): Promise<AdminResult<T>> {
    let session: Session | undefined
    try {
      session = await this.session(shop)
    } catch (err) {
      // The database (not Shopify) is away: no call, and no backoff for the shop.
      this.log.warn({ shop, err }, 'Admin API call skipped: the session could not be read')
      return { ok: false, reason: 'unavailable' }
    }
    if (!session?.accessToken) return { ok: false, reason: 'no_session' }
    const start = this.now()
    if ((this.blockedUntil.get(shop) ?? 0) > start) return { ok: false, reason: 'backoff' }
    // Timers fire a little late under load: stop early enough to hand control back before the deadline.
    const budget = deadline - start - SAFETY_MS
    if (budget < this.opts.minBudgetMs) return { ok: false, reason: 'timeout' }

    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    // The race guarantees the deadline even if the library were slow to honour the abort.
    const timeout = new Promise<AdminResult<T>>((resolve) => {
      timer = setTimeout(() => {
        controller.abort()
        resolve({ ok: false, reason: 'timeout' })
      }, budget)
    })
    const call = this.call<T>(shop, session, query, variables, controller.signal)
    try {
      const result = await Promise.race([call, timeout])
      if (!result.ok && result.reason === 'timeout') this.block(shop, this.opts.outageBackoffMs, 'timeout')
      return result
    } finally {
      clearTimeout(timer)
    }
  }

  /** Read each time (one indexed read before a network call): another instance may have replaced the token. */
  private async session(shop: string): Promise<Session | undefined> {
    const session = await this.sessions.loadSession(this.shopify.session.getOfflineId(shop))
    return session?.accessToken ? session : undefined
  }

  private client(shop: string, session: Session) {
    const cached = this.clients.get(shop)
    if (cached && cached.token === session.accessToken) return cached.client
    const client = new this.shopify.clients.Graphql({ session })
    this.clients.set(shop, { token: session.accessToken ?? '', client })
    return client
  }

  private async call<T>(
    shop: string,
    session: Session,
    query: string,
    variables: Record<string, unknown>,
    signal: AbortSignal
  ): Promise<AdminResult<T>> {
    try {
      const res = await this.client(shop, session).request<T>(query, { variables, signal, retries: 0 })
      this.noteCost(shop, res.extensions?.cost as Cost | undefined)
      if (res.data === undefined) return { ok: false, reason: 'error' }
      return { ok: true, data: res.data, errors: [] }
    } catch (err) {
      if (signal.aborted) return { ok: false, reason: 'timeout' }
      return this.failure<T>(shop, err)
    }
  }

  private failure<T>(shop: string, err: unknown): AdminResult<T> {
    if (err instanceof GraphqlQueryError) {
      const body = err.body as
        { data?: T; errors?: { graphQLErrors?: GraphqlError[] }; extensions?: { cost?: Cost } } | undefined
      const errors = body?.errors?.graphQLErrors ?? []
      if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
        this.noteCost(shop, body?.extensions?.cost, true)
        return { ok: false, reason: 'throttled' }
      }
      this.noteCost(shop, body?.extensions?.cost)
      // Partial data (e.g. customer ACCESS_DENIED next to products) is still data.
      if (body?.data && Object.values(body.data).some((v) => v !== null)) return { ok: true, data: body.data, errors }
      // A missing scope is not an outage: other calls (the catalog's) still work, so nothing is paused.
      if (errors.length > 0 && errors.every((e) => e.extensions?.code === 'ACCESS_DENIED')) {
        this.log.warn({ shop, errors: errors.map((e) => e.message) }, 'Admin API: access denied (a scope is missing)')
        return { ok: false, reason: 'access_denied' }
      }
      this.log.warn(
        { shop, errors: errors.map((e) => e.extensions?.code ?? e.message) },
        'Admin API answered with errors only'
      )
      this.block(shop, this.opts.outageBackoffMs, 'GraphQL errors')
      return { ok: false, reason: 'error' }
    }
    if (err instanceof HttpThrottlingError) {
      this.block(shop, (err.response.retryAfter ?? 1) * 1000, 'throttled (429)')
      return { ok: false, reason: 'throttled' }
    }
    if (err instanceof HttpResponseError && err.response.code < 500) {
      // 401/403/404: a revoked token or a closed shop; retrying at every checkout would only add load.
      this.block(shop, this.opts.outageBackoffMs * 6, `HTTP ${err.response.code}`)
      return { ok: false, reason: err.response.code === 401 || err.response.code === 403 ? 'denied' : 'error' }
    }
    // 5xx, network errors, unreadable bodies.
    this.block(
      shop,
      this.opts.outageBackoffMs,
      err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : 'unknown error'
    )
    return { ok: false, reason: 'unavailable' }
  }

  /** Shopify's leaky bucket: when what is left cannot pay for a call plus the reserve, wait until it refills. */
  private noteCost(shop: string, cost: Cost | undefined, throttled = false): void {
    const status = cost?.throttleStatus
    if (
      !status ||
      typeof status.currentlyAvailable !== 'number' ||
      typeof status.restoreRate !== 'number' ||
      status.restoreRate <= 0
    ) {
      if (throttled) this.block(shop, 1000, 'throttled')
      return
    }
    const need = (cost?.requestedQueryCost ?? 50) + this.opts.reserveCost
    if (throttled || status.currentlyAvailable < need) {
      const waitMs = Math.ceil((Math.max(need - status.currentlyAvailable, 1) / status.restoreRate) * 1000)
      this.block(shop, waitMs, throttled ? 'throttled' : 'cost bucket low')
    }
  }

  private block(shop: string, ms: number, why: string): void {
    const until = this.now() + ms
    if ((this.blockedUntil.get(shop) ?? 0) < until) this.blockedUntil.set(shop, until)
    this.log.debug({ shop, ms, why }, 'Admin API calls paused for this shop')
  }
}
