// Starts the real offer service on SQLite in memory (or a file the test names), listening on 127.0.0.1 port 0: for
// harness and HTTP tests.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.js'
import { testConfig } from './test-config.js'
import type { ShopifyIntegration } from '../../server/plugins/shopify-default.js'
import type { Teardown } from './server-world.js'

export const SAMPLE_RULES_DIR = resolve(fileURLToPath(new URL('../../rules', import.meta.url)))
export const TEST_API_SECRET = 'encore-test-secret-0123456789abcdef'
export const TEST_API_KEY = 'encore-test-api-key'
export const TEST_ADMIN_TOKEN = 'encore-test-admin-token-0123456789'

export type StartOptions = {
  rulesDir?: string
  databasePath?: string
  apiSecret?: string
  apiKey?: string
  adminToken?: string
  shopify?: ShopifyIntegration
}

export type RunningService = { url: string; app: FastifyInstance; close(): Promise<void> }

/** Starts the service for the test `t` (stopped when it ends); SQLite in memory unless `databasePath` names a file. */
export async function startService(t: Teardown, opts: StartOptions = {}): Promise<RunningService> {
  const config = testConfig({
    rulesDir: opts.rulesDir ?? SAMPLE_RULES_DIR,
    databasePath: opts.databasePath ?? ':memory:',
    apiSecret: opts.apiSecret ?? TEST_API_SECRET,
    apiKey: opts.apiKey ?? TEST_API_KEY,
    adminToken: opts.adminToken ?? TEST_ADMIN_TOKEN,
    port: 0
  })
  const app = await buildApp({ config, ...(opts.shopify ? { shopify: opts.shopify } : {}) })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    close: () => app.close()
  }
}
