// npm run preview: the real extension bundle against the real service, in a browser, for any rules fixture.
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEV_API_KEY, DEV_API_SECRET } from '../server/dev-credentials.js'
import { loadFixtures } from '../extension/harness/index.js'
import type { Service } from '../extension/preview/sessions.js'
import type { PreviewOrders } from '../extension/preview/thank-you-pages.js'
import { runIfEntry, type Io } from './lib/cli.js'

const USAGE = `usage: npm run preview [-- --port 3100] [--service URL] [--remote-images]
  --port N          where the preview listens (default 3100, or PREVIEW_PORT)
  --service URL     reuse a running service (default: ENCORE_SERVICE_URL, else http://127.0.0.1:3000 if it answers,
                    else start one in-process on an in-memory database, with a local fake Admin API where the
                    Thank-you page's orders are created). A reused service must share SHOPIFY_API_SECRET /
                    SHOPIFY_API_KEY with this shell (development defaults otherwise), and ADMIN_TOKEN for the
                    "stored" panel; its Thank-you page cannot prove the preview's orders, so it offers nothing.
  --remote-images   load offer images from their URLs (off by default: nothing leaves this machine)`

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(500) })
    return res.ok
  } catch {
    return false
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io)
  } catch (error) {
    io.err(`preview: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      service: { type: 'string' },
      'remote-images': { type: 'boolean' },
      help: { type: 'boolean' }
    }
  })
  if (values.help) return (io.out(`${USAGE}\n`), 0)
  const port = Number(values.port ?? io.env.PREVIEW_PORT ?? 3100)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got ${values.port}`)
  const rulesDir = resolve(io.env.RULES_DIR ?? 'rules')
  // Imported here: the service, the fake Admin API and the preview (with its bundler) are not needed for --help.
  const { startPreview } = await import('../extension/preview/server.js')
  const { startLocalService } = await import('./lib/local-service.js')
  const { startPreviewShopify } = await import('./lib/preview-shopify.js')
  const env = io.env
  const shared = {
    secret: env.SHOPIFY_API_SECRET ?? DEV_API_SECRET,
    apiKey: env.SHOPIFY_API_KEY ?? DEV_API_KEY,
    adminToken: env.ADMIN_TOKEN ?? null
  }

  let service: Service
  let stopService = async () => {}
  let how: string
  let orders: PreviewOrders | undefined
  const candidate = values.service ?? env.ENCORE_SERVICE_URL ?? 'http://127.0.0.1:3000'
  if (await answers(candidate)) {
    service = { url: candidate.replace(/\/+$/, ''), ...shared }
    how = 'reused; it must share SHOPIFY_API_SECRET with this shell'
  } else if (values.service ?? env.ENCORE_SERVICE_URL) {
    throw new Error(`no service answers at ${candidate}/health`)
  } else {
    // The real app with development defaults, SQLite in memory, on a free loopback port.
    const adminToken = shared.adminToken ?? randomBytes(24).toString('hex')
    // The Thank-you page proves an order through the Admin API: a local fake, where the preview creates each order.
    const shopify = await startPreviewShopify({ rulesDir, apiKey: shared.apiKey, apiSecret: shared.secret })
    const local = await startLocalService({
      rulesDir,
      apiSecret: shared.secret,
      apiKey: shared.apiKey,
      adminToken,
      adminApiOrigin: shopify.origin
    }).catch(async (error: unknown) => {
      await shopify.close()
      throw error
    })
    service = { url: local.url, secret: shared.secret, apiKey: shared.apiKey, adminToken }
    orders = shopify.orders
    stopService = async () => {
      await local.close()
      await shopify.close()
    }
    await shopify.install(local.app).catch(async (error: unknown) => {
      await stopService()
      throw error
    })
    how = `started in-process on an in-memory database; Admin API: a local fake on ${shopify.origin}`
  }

  const preview = await startPreview({
    service,
    rulesDir,
    port,
    remoteImages: values['remote-images'] ?? false,
    ...(orders ? { thankYou: { orders } } : {})
  })
  const fixtures = Object.keys(loadFixtures(rulesDir))
  io.out(`Encore preview: ${preview.url}\n`)
  io.out(`  service:   ${service.url} (${how})\n`)
  io.out(`  rules:     ${rulesDir} (${fixtures.length} fixtures)\n`)
  io.out(`  extension: ${(preview.bundleBytes / 1024).toFixed(1)} KiB bundle, ENCORE_APP_URL=${service.url}\n`)
  io.out(`  thank-you: ${(preview.thankYouBundleBytes / 1024).toFixed(1)} KiB bundle, same service\n`)
  io.out('  Ctrl-C to stop\n')
  const stop = async () => {
    await preview.close()
    await stopService()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
  return 0
}

runIfEntry(import.meta, main)
