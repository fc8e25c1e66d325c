// The real offer service for local tools (preview, screenshots): development defaults, SQLite in memory, a free
// loopback port; optionally its Admin API calls sent to a local fake (SHOPIFY_ADMIN_API_ORIGIN).
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.js'
import { loadConfig } from '../../server/config.js'

export type LocalService = { url: string; app: FastifyInstance; close(): Promise<void> }

export async function startLocalService(opts: {
  rulesDir: string
  apiSecret: string
  apiKey: string
  adminToken: string
  /** Where the service's Admin API calls go (a local fake): the Thank-you page's order look-ups and edits. */
  adminApiOrigin?: string
}): Promise<LocalService> {
  const { adminApiOrigin, ...settings } = opts
  const { config } = loadConfig({ LOG_LEVEL: 'silent' })
  const shopify = adminApiOrigin ? { ...config.shopify, adminApiOrigin } : config.shopify
  // A local fake answers in milliseconds, but a busy machine should not turn the preview's look-ups into timeouts.
  const shopifyBudgetMs = adminApiOrigin ? 2000 : config.shopifyBudgetMs
  const app = await buildApp({
    config: { ...config, ...settings, shopify, shopifyBudgetMs, databasePath: ':memory:' }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() }
}
