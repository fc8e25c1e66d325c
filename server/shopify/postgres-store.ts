// The Shopify integration's tables on the PostgreSQL every instance shares: sessions and shops written by one instance
// are read by all, and a webhook delivery is processed once whichever instances receive it (the primary key on its id,
// inserted in the transaction that runs its effect).
import type pg from 'pg'
import type { Session } from '@shopify/shopify-api'
import { inTransaction } from '../db/pg-transaction.js'
import { asDatabaseError } from '../db/unavailable.js'
import { sessionFromRow, sessionToRow, type SessionRow } from './session-storage.js'
import { installedShop, redactedShop, rescopedShop, uninstalledShop } from './shops.js'
import { customerIdForms, type RedactionCounts } from './redaction.js'
import { buildDataRequestReport } from './data-request.js'
import type {
  CustomerRows,
  DataRequestRow,
  DeliveryEffect,
  DeliveryRecord,
  EffectResult,
  ShopifyStore,
  ShopState
} from './store.js'

const SESSION_COLUMNS = `id, shop, state, is_online AS "isOnline", scope, expires, access_token AS "accessToken",
  refresh_token AS "refreshToken", refresh_token_expires AS "refreshTokenExpires",
  online_access_info AS "onlineAccessInfo", updated_at AS "updatedAt"`
const SHOP_COLUMNS = `domain, scopes, installed_at AS "installedAt", uninstalled_at AS "uninstalledAt",
  redacted_at AS "redactedAt"`

/** Statements by name (each connection plans one once); a name always stands for the same text. */
const Q = {
  upsertSession: `INSERT INTO shopify_sessions (id, shop, state, is_online, scope, expires, access_token, refresh_token,
      refresh_token_expires, online_access_info, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (id) DO UPDATE SET shop = EXCLUDED.shop, state = EXCLUDED.state, is_online = EXCLUDED.is_online,
      scope = EXCLUDED.scope, expires = EXCLUDED.expires, access_token = EXCLUDED.access_token,
      refresh_token = EXCLUDED.refresh_token, refresh_token_expires = EXCLUDED.refresh_token_expires,
      online_access_info = EXCLUDED.online_access_info, updated_at = EXCLUDED.updated_at`,
  sessionById: `SELECT ${SESSION_COLUMNS} FROM shopify_sessions WHERE id = $1`,
  sessionsByShop: `SELECT ${SESSION_COLUMNS} FROM shopify_sessions WHERE shop = $1 ORDER BY id`,
  deleteSessions: 'DELETE FROM shopify_sessions WHERE id = ANY($1)',
  deleteShopSessions: 'DELETE FROM shopify_sessions WHERE shop = $1',
  rescopeSessions: 'UPDATE shopify_sessions SET scope = $2, updated_at = $3 WHERE shop = $1',

  shops: `SELECT ${SHOP_COLUMNS} FROM shopify_shops`,
  shop: `SELECT ${SHOP_COLUMNS} FROM shopify_shops WHERE domain = $1`,
  // Inside a delivery's transaction: another delivery for the same shop waits rather than writing over this one.
  shopForUpdate: `SELECT ${SHOP_COLUMNS} FROM shopify_shops WHERE domain = $1 FOR UPDATE`,
  upsertShop: `INSERT INTO shopify_shops (domain, scopes, installed_at, uninstalled_at, redacted_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (domain) DO UPDATE SET scopes = EXCLUDED.scopes, installed_at = EXCLUDED.installed_at,
      uninstalled_at = EXCLUDED.uninstalled_at, redacted_at = EXCLUDED.redacted_at, updated_at = EXCLUDED.updated_at`,

  recordDelivery: `INSERT INTO shopify_webhook_deliveries (webhook_id, topic, shop, received_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (webhook_id) DO NOTHING`,
  pruneDeliveries: 'DELETE FROM shopify_webhook_deliveries WHERE received_at < $1',

  customerDecisions: `SELECT reference_id AS "referenceId", created_at AS "createdAt", rule_id AS "ruleId", arm, offer,
    answer FROM decisions WHERE shop_domain = $1 AND customer_id = ANY($2) ORDER BY created_at, id`,
  customerAcceptances: `SELECT reference_id AS "referenceId", created_at AS "createdAt", rule_id AS "ruleId",
    variant_id AS "variantId", quantity FROM acceptances WHERE shop_domain = $1 AND customer_id = ANY($2)
    ORDER BY created_at, id`,
  customerEvents: `SELECT reference_id AS "referenceId", created_at AS "createdAt", type, status, amount FROM events
    WHERE shop_domain = $1 AND customer_id = ANY($2) ORDER BY created_at, id`,
  insertDataRequest: `INSERT INTO shopify_data_requests (webhook_id, shop, customer_id, request_id, report, created_at)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  dataRequests: `SELECT id, webhook_id AS "webhookId", shop, customer_id AS "customerId", request_id AS "requestId",
    report, created_at AS "createdAt" FROM shopify_data_requests WHERE ($1::text IS NULL OR shop = $1)
    ORDER BY created_at DESC, id DESC LIMIT $2`,

  // customers/redact: every row of the customer in the shop, under each form of the id ($2), and their reports ($3).
  redactCustomer: `WITH d AS (
      DELETE FROM decisions WHERE shop_domain = $1 AND customer_id = ANY($2) RETURNING 1
    ), ck AS (
      DELETE FROM checkouts WHERE shop_domain = $1 AND customer_id = ANY($2) RETURNING reference_id
    ), f AS (
      DELETE FROM checkout_facts WHERE reference_id IN (SELECT reference_id FROM ck) RETURNING 1
    ), a AS (
      DELETE FROM acceptances WHERE shop_domain = $1 AND customer_id = ANY($2) RETURNING 1
    ), e AS (
      DELETE FROM events WHERE shop_domain = $1 AND customer_id = ANY($2) RETURNING 1
    ), r AS (
      DELETE FROM shopify_data_requests WHERE shop = $1 AND customer_id = $3 RETURNING 1
    )
    SELECT (SELECT COUNT(*) FROM d) AS decisions, (SELECT COUNT(*) FROM f) AS "checkoutFacts",
      (SELECT COUNT(*) FROM ck) AS checkouts, (SELECT COUNT(*) FROM a) AS acceptances, (SELECT COUNT(*) FROM e) AS events,
      (SELECT COUNT(*) FROM r) AS "dataRequests"`,
  // shop/redact: every row of the shop; this delivery's own id ($2) stays, so a redelivery is still a duplicate.
  redactShop: `WITH d AS (
      DELETE FROM decisions WHERE shop_domain = $1 RETURNING 1
    ), ck AS (
      DELETE FROM checkouts WHERE shop_domain = $1 RETURNING reference_id
    ), f AS (
      DELETE FROM checkout_facts WHERE reference_id IN (SELECT reference_id FROM ck) RETURNING 1
    ), a AS (
      DELETE FROM acceptances WHERE shop_domain = $1 RETURNING 1
    ), e AS (
      DELETE FROM events WHERE shop_domain = $1 RETURNING 1
    ), s AS (
      DELETE FROM shopify_sessions WHERE shop = $1 RETURNING 1
    ), r AS (
      DELETE FROM shopify_data_requests WHERE shop = $1 RETURNING 1
    ), w AS (
      DELETE FROM shopify_webhook_deliveries WHERE shop = $1 AND webhook_id <> $2 RETURNING 1
    )
    SELECT (SELECT COUNT(*) FROM d) AS decisions, (SELECT COUNT(*) FROM f) AS "checkoutFacts",
      (SELECT COUNT(*) FROM ck) AS checkouts, (SELECT COUNT(*) FROM a) AS acceptances, (SELECT COUNT(*) FROM e) AS events,
      (SELECT COUNT(*) FROM s) AS sessions, (SELECT COUNT(*) FROM r) AS "dataRequests",
      (SELECT COUNT(*) FROM w) AS "webhookDeliveries"`
} as const

type Name = keyof typeof Q
type Query = <R extends pg.QueryResultRow>(name: Name, values: unknown[]) => Promise<pg.QueryResult<R>>

/**
 * Shopify gives a webhook 5 s before it retries: a delivery's transaction (a whole shop's redaction, or waiting for
 * another instance that holds the same delivery id) may use most of them, not just a checkout's 1 s.
 */
export const DELIVERY_TIMEOUT_MS = 4000

/**
 * How many delivery transactions one instance runs at once: a quarter of its pool (at least one). A burst of webhooks
 * (order webhooks arrive with every order) must not take the connections checkouts need; the others wait their turn
 * in memory, within Shopify's 5 s.
 */
export const deliverySlots = (poolMax: number) => Math.max(1, Math.floor(poolMax / 4))

export class PostgresShopifyStore implements ShopifyStore {
  private free: number
  private readonly waiting: (() => void)[] = []

  constructor(private readonly pool: pg.Pool) {
    this.free = deliverySlots(pool.options.max ?? 10)
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await work()
    } finally {
      // The slot passes straight to the next waiter, if any.
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }

  private readonly run: Query = async (name, values) => {
    try {
      return await this.pool.query({ name, text: Q[name], values })
    } catch (err) {
      throw asDatabaseError(err)
    }
  }

  /** `work` inside BEGIN/COMMIT on one connection; a connection that failed is closed, not reused. */
  private async transaction<T>(timeoutMs: number, work: (q: Query) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, 'BEGIN', async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`)
      // The client-side timeout follows the server-side one, a little later (as the pool's defaults do).
      return work((name, values) =>
        client.query({ name, text: Q[name], values, query_timeout: timeoutMs + 250 } as pg.QueryConfig)
      )
    })
  }

  async storeSession(session: Session): Promise<boolean> {
    const r = sessionToRow(session, Date.now())
    await this.run('upsertSession', [
      r.id,
      r.shop,
      r.state,
      r.isOnline,
      r.scope,
      r.expires,
      r.accessToken,
      r.refreshToken,
      r.refreshTokenExpires,
      r.onlineAccessInfo,
      r.updatedAt
    ])
    return true
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = (await this.run<SessionRow>('sessionById', [id])).rows[0]
    return row ? sessionFromRow(row) : undefined
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.deleteSessions([id])
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    if (ids.length) await this.run('deleteSessions', [ids])
    return true
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return (await this.run<SessionRow>('sessionsByShop', [shop])).rows.map(sessionFromRow)
  }

  async shops(): Promise<ShopState[]> {
    return (await this.run<ShopState>('shops', [])).rows
  }

  async shop(domain: string): Promise<ShopState | undefined> {
    return (await this.run<ShopState>('shop', [domain])).rows[0]
  }

  async markInstalled(domain: string, scopes: string | null, now: number): Promise<ShopState> {
    return writeShop(this.run, installedShop(domain, scopes, now), now)
  }

  processDelivery(d: DeliveryRecord, effect: DeliveryEffect): Promise<EffectResult | null> {
    return this.slot(() =>
      this.transaction(DELIVERY_TIMEOUT_MS, async (q) => {
        // A concurrent insert of the same id on another instance waits here for that transaction: once it commits,
        // this one inserts nothing (a duplicate); if it rolls back, this one processes the delivery.
        const { rowCount } = await q('recordDelivery', [d.webhookId, d.topic, d.shop, d.receivedAt])
        return rowCount === 1 ? apply(q, d, effect) : null
      })
    )
  }

  async pruneDeliveries(olderThan: number): Promise<number> {
    return (await this.run('pruneDeliveries', [olderThan])).rowCount ?? 0
  }

  async dataRequests(opts: { shop: string | null; limit: number }): Promise<DataRequestRow[]> {
    return (await this.run<DataRequestRow>('dataRequests', [opts.shop, opts.limit])).rows
  }
}

async function writeShop(q: Query, state: ShopState, now: number): Promise<ShopState> {
  await q('upsertShop', [state.domain, state.scopes, state.installedAt, state.uninstalledAt, state.redactedAt, now])
  return state
}

const prevShop = async (q: Query, shop: string) => (await q<ShopState>('shopForUpdate', [shop])).rows[0]

async function apply(q: Query, d: DeliveryRecord, effect: DeliveryEffect): Promise<EffectResult> {
  const { shop, receivedAt: now } = d
  switch (effect.kind) {
    case 'uninstalled': {
      const sessions = (await q('deleteShopSessions', [shop])).rowCount ?? 0
      return {
        removed: { sessions },
        shop: await writeShop(q, uninstalledShop(await prevShop(q, shop), shop, now), now)
      }
    }
    case 'scopes': {
      if (effect.scopes === null) return {}
      await q('rescopeSessions', [shop, effect.scopes, now])
      const next = rescopedShop(await prevShop(q, shop), effect.scopes, now)
      return next ? { shop: await writeShop(q, next, now) } : {}
    }
    case 'data-request': {
      const ids = customerIdForms(effect.customerId)
      const rows: CustomerRows = {
        decisions: (await q<CustomerRows['decisions'][number]>('customerDecisions', [shop, ids])).rows,
        acceptances: (await q<CustomerRows['acceptances'][number]>('customerAcceptances', [shop, ids])).rows,
        events: (await q<CustomerRows['events'][number]>('customerEvents', [shop, ids])).rows
      }
      const report = buildDataRequestReport(
        rows,
        { shop, customerId: effect.customerId, requestId: effect.requestId, ordersRequested: effect.ordersRequested },
        new Date(now)
      )
      await q('insertDataRequest', [
        d.webhookId,
        shop,
        effect.customerId,
        report.requestId,
        JSON.stringify(report),
        now
      ])
      return { report }
    }
    case 'redact-customer': {
      const ids = customerIdForms(effect.customerId)
      return { removed: (await q<RedactionCounts>('redactCustomer', [shop, ids, effect.customerId])).rows[0] ?? {} }
    }
    case 'redact-shop': {
      const removed = (await q<RedactionCounts>('redactShop', [shop, d.webhookId])).rows[0] ?? {}
      return { removed, shop: await writeShop(q, redactedShop(await prevShop(q, shop), shop, now), now) }
    }
    case 'order':
      return { reconciled: effect.apply() }
  }
}
