// Builds a Fastify app with the database and the real Shopify plugin (a fresh SQLite file, or the database given),
// pointed at a fake Admin API.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import errorHandler from '../../server/plugins/error-handler.js'
import database from '../../server/plugins/database.js'
import analytics from '../../server/analytics/plugin.js'
import shopifyPlugin from '../../server/shopify/plugin.js'
import type { AdminGraphqlOptions } from '../../server/shopify/admin-graphql.js'
import type { ShopifyConfig } from '../../server/shopify/config.js'
import { testConfig } from './test-config.js'
import { PostgresStorage } from '../../server/db/postgres-storage.js'
import type { Config } from '../../server/config.js'
import { startFakeAdminApi, type FakeAdminApi } from './shopify-fake-admin.js'

export const SHOPIFY_TEST_KEY = 'encore-test-api-key'
export const SHOPIFY_TEST_SECRET = 'encore-test-secret-0123456789abcdef'

export type ShopifyWorld = {
  app: FastifyInstance
  fake: FakeAdminApi
  dir: string
  logs: Record<string, unknown>[]
  /** Rows of a query without parameters, on whichever database the app uses (portable SQL only). */
  sql(text: string): Promise<Record<string, unknown>[]>
  close(): Promise<void>
}

export async function shopifyWorld(
  opts: {
    admin?: AdminGraphqlOptions
    shopify?: Partial<ShopifyConfig>
    bucketSize?: number
    restoreRate?: number
    /** PostgreSQL (the offer service's tables and the Shopify ones). */
    databaseUrl?: string
    /** Registers the analytics plugin too (as the app does): order webhooks and redactions reach its tables. */
    analytics?: boolean
    /** A database shared with another world (eachDatabase's config): two instances on one database. */
    database?: Pick<Config, 'databasePath' | 'databaseUrl'>
    shopsRefreshMs?: number
  } = {}
): Promise<ShopifyWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'encore-shopify-'))
  const fake = await startFakeAdminApi({
    apiKey: SHOPIFY_TEST_KEY,
    apiSecret: SHOPIFY_TEST_SECRET,
    ...(opts.bucketSize ? { bucketSize: opts.bucketSize } : {}),
    ...(opts.restoreRate ? { restoreRate: opts.restoreRate } : {})
  })
  const logs: Record<string, unknown>[] = []
  const app = Fastify({
    logger: {
      level: 'info',
      stream: {
        write: (line: string) => {
          logs.push(JSON.parse(line) as Record<string, unknown>)
        }
      }
    }
  })
  try {
    await app.register(errorHandler, { bodyLimit: 16 * 1024 })
    await app.register(database, {
      databasePath: opts.database?.databasePath ?? join(dir, 'encore.db'),
      retentionDays: 90,
      databaseUrl: opts.database?.databaseUrl ?? opts.databaseUrl ?? null
    })
    if (opts.analytics) await app.register(analytics)
    await app.register(shopifyPlugin, {
      config: testConfig({ apiKey: SHOPIFY_TEST_KEY, apiSecret: SHOPIFY_TEST_SECRET }),
      shopify: { adminApiOrigin: fake.origin, appUrl: new URL('https://encore.example.com'), ...opts.shopify },
      ...(opts.admin ? { admin: opts.admin } : {}),
      ...(opts.shopsRefreshMs ? { shopsRefreshMs: opts.shopsRefreshMs } : {})
    })
    await app.ready()
  } catch (err) {
    // A plugin that refuses to boot must not leave the fake listening or the temp dir behind.
    await app.close().catch(() => {})
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return {
    app,
    fake,
    dir,
    logs,
    async sql(text) {
      const { storage } = app
      if (storage instanceof PostgresStorage) return (await storage.pool.query(text)).rows
      return app.database.sqlite.prepare(text).all() as Record<string, unknown>[]
    },
    async close() {
      await app.close()
      await fake.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
