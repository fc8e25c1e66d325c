// The real offer service for local tools (preview, screenshots): development defaults, SQLite in memory, a free
// loopback port.
import { buildApp } from '../../server/app.js'
import { loadConfig } from '../../server/config.js'

export type LocalService = { url: string; close(): Promise<void> }

export async function startLocalService(opts: {
  rulesDir: string
  apiSecret: string
  apiKey: string
  adminToken: string
}): Promise<LocalService> {
  const { config } = loadConfig({ LOG_LEVEL: 'silent' })
  const app = await buildApp({ config: { ...config, ...opts, databasePath: ':memory:' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() }
}
