// `fastify.analytics`: the store that keeps the roll-ups current (on a short timer, and before every report) and
// answers the reports, on whichever database the service runs.
import fp from 'fastify-plugin'
import { PostgresStorage } from '../db/postgres-storage.js'
import { PostgresAnalytics } from './postgres-analytics.js'
import { SqliteAnalytics } from './sqlite-analytics.js'
import type { AnalyticsStore } from './store.js'
import type { OrderDelivery, Reconciliation } from './orders.js'

const INTERVAL_MS = 2000

export type Analytics = AnalyticsStore & {
  /**
   * SQLite only (null on PostgreSQL): the synchronous catch-up the order webhooks' SQLite transaction runs first, so
   * every acceptance answered before the webhook is known.
   */
  catchUpSync: (() => void) | null
  /** PostgreSQL only (null on SQLite): records and reconciles an order webhook on the shared database. */
  applyOrder: ((delivery: OrderDelivery) => Promise<Reconciliation | null>) | null
}

declare module 'fastify' {
  interface FastifyInstance {
    analytics: Analytics
  }
}

export default fp(
  async (fastify) => {
    const storage = fastify.storage
    let analytics: Analytics
    if (storage instanceof PostgresStorage) {
      const store = new PostgresAnalytics(storage.pool)
      analytics = Object.assign(store, { catchUpSync: null, applyOrder: store.applyOrder.bind(store) })
    } else {
      const store = new SqliteAnalytics(fastify.database.sqlite, () => fastify.database.flush())
      analytics = Object.assign(store, { catchUpSync: store.catchUpSync.bind(store), applyOrder: null })
    }
    fastify.decorate('analytics', analytics)
    let closing = false
    let running: Promise<void> | null = null
    const timer = setInterval(() => {
      if (closing || running) return
      running = analytics
        .tick()
        .catch((err: unknown) => {
          // A busy or unreachable database is retried on the next tick; reports catch up themselves.
          fastify.log.warn({ err }, 'analytics catch-up failed; retrying')
        })
        .finally(() => {
          running = null
        })
    }, INTERVAL_MS)
    timer.unref()
    fastify.addHook('onClose', async () => {
      closing = true
      clearInterval(timer)
      await running
    })
  },
  { name: 'encore-analytics', fastify: '5.x', dependencies: ['encore-db'] }
)
