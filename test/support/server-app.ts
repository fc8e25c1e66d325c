// Starts the real offer service on a fresh temporary SQLite file, listening on 127.0.0.1 port 0: for harness and HTTP
// tests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.js'
import { testConfig } from './test-config.js'
import type { ShopifyIntegration } from '../../server/plugins/shopify-default.js'

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

export async function startService(opts: StartOptions = {}): Promise<RunningService> {
  const dir = opts.databasePath ? null : mkdtempSync(join(tmpdir(), 'encore-service-'))
  const config = testConfig({
    rulesDir: opts.rulesDir ?? SAMPLE_RULES_DIR,
    databasePath: opts.databasePath ?? join(dir as string, 'encore.db'),
    apiSecret: opts.apiSecret ?? TEST_API_SECRET,
    apiKey: opts.apiKey ?? TEST_API_KEY,
    adminToken: opts.adminToken ?? TEST_ADMIN_TOKEN,
    port: 0
  })
  const app = await buildApp({ config, ...(opts.shopify ? { shopify: opts.shopify } : {}) })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    async close() {
      await app.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
    }
  }
}
