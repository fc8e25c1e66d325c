// The preview: a page that runs the real bundle in the harness against the real service, for any fixture.
import { build } from 'esbuild'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildExtension } from '../build.js'
import { loadFixtures, type InputData } from '../harness/index.js'
import { buildThankYou } from '../thank-you-harness/build.js'
import { readLocales } from '../thank-you-harness/host.js'
import { PreviewSession, type Service } from './sessions.js'
import { pageHtml, thankYouFrameHtml } from './page.js'
import { PAYMENTS, ThankYouPages, unrecordedOrders, type Payment, type PreviewOrders } from './thank-you-pages.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const MAX_SESSIONS = 30

export type PreviewOptions = {
  service: Service
  rulesDir: string
  port?: number
  host?: string
  remoteImages?: boolean
  /** The Thank-you pane: where its block sends its requests (default: the service) and where orders are created. */
  thankYou?: { serviceUrl?: string; orders?: PreviewOrders }
}
export type Preview = { url: string; bundleBytes: number; thankYouBundleBytes: number; close(): Promise<void> }

/** The browser side (React 17 DOM rendering of the remote tree), bundled once at start. */
async function buildClient(): Promise<string> {
  const requireFromExtension = createRequire(join(HERE, '..', 'package.json'))
  const result = await build({
    entryPoints: [join(HERE, 'client', 'main.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    plugins: [
      {
        name: 'one-react',
        setup({ onResolve }) {
          onResolve({ filter: /^react(-dom)?(\/.*)?$/ }, (args) => ({ path: requireFromExtension.resolve(args.path) }))
        }
      }
    ]
  })
  return result.outputFiles[0]!.text
}

/** The Thank-you pane's browser host (its iframe's script: the shopify global and the Polaris tags as HTML). */
async function buildFrameHost(): Promise<string> {
  const result = await build({
    entryPoints: [join(HERE, 'thank-you', 'frame.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    minify: true,
    logLevel: 'silent'
  })
  return result.outputFiles[0]!.text
}

function summarise(name: string, f: InputData) {
  const p = f.initialPurchase
  return {
    name,
    shop: f.shop.domain,
    locale: f.locale,
    country: p.destinationCountryCode ?? null,
    total: `${p.totalPriceSet.presentmentMoney.amount} ${p.totalPriceSet.presentmentMoney.currencyCode}`,
    items: p.lineItems.map((l) => `${l.quantity} × ${l.product.title}`)
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  try {
    const v = text ? JSON.parse(text) : {}
    return typeof v === 'object' && v !== null ? v : {}
  } catch {
    return {}
  }
}

export async function startPreview(opts: PreviewOptions): Promise<Preview> {
  const thankYouUrl = opts.thankYou?.serviceUrl ?? opts.service.url
  const [client, bundle, frameHost, thankYou] = await Promise.all([
    buildClient(),
    buildExtension({ appUrl: opts.service.url }),
    buildFrameHost(),
    buildThankYou({ appUrl: thankYouUrl, env: {} })
  ])
  const sessions = new Map<string, PreviewSession>()
  const runs = new Map<string, number>()
  const walletRuns = new Map<string, number>()
  const remoteImages = opts.remoteImages ?? false
  const pages = new ThankYouPages(opts.service, opts.thankYou?.orders ?? unrecordedOrders())
  const html = pageHtml({
    serviceUrl: opts.service.url,
    bundleBytes: bundle.bytes,
    remoteImages,
    thankYou: {
      serviceUrl: thankYouUrl,
      bundleBytes: thankYou.bytes,
      compressedBytes: thankYou.compressedBytes,
      orders: pages.orders.description
    }
  })

  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json') =>
    res
      .writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
      .end(type === 'application/json' ? JSON.stringify(body) : String(body))

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://preview')
      const parts = url.pathname.split('/').filter(Boolean)
      if (req.method === 'GET' && url.pathname === '/') return send(res, 200, html, 'text/html; charset=utf-8')
      if (req.method === 'GET' && url.pathname === '/favicon.ico') return res.writeHead(204).end()
      if (req.method === 'GET' && url.pathname === '/client.js')
        return send(res, 200, client, 'text/javascript; charset=utf-8')
      if (req.method === 'GET' && url.pathname === '/api/fixtures') {
        const fixtures = loadFixtures(opts.rulesDir)
        return send(
          res,
          200,
          Object.entries(fixtures).map(([name, f]) => summarise(name, f))
        )
      }
      if (req.method === 'POST' && url.pathname === '/api/sessions') {
        const body = await readJson(req)
        const fixtures = loadFixtures(opts.rulesDir) // read fresh: a merchandiser edits them while the preview runs
        const name = String(body.fixture ?? '')
        const fixture = fixtures[name]
        if (!fixture)
          return send(res, 404, {
            error: { code: 'FIXTURE_NOT_FOUND', message: `no fixture ${name} in ${opts.rulesDir}/fixtures` }
          })
        const run = (runs.get(name) ?? 0) + 1
        runs.set(name, run)
        const checkoutId = pages.orders.reserveCheckoutId?.()
        const session = new PreviewSession(name, fixture, bundle.code, opts.service, run, checkoutId)
        sessions.set(session.id, session)
        for (const [id, old] of sessions) {
          if (sessions.size <= MAX_SESSIONS) break
          old.close()
          sessions.delete(id)
        }
        await session.start()
        return send(res, 201, session.state())
      }
      if (req.method === 'GET' && url.pathname === '/thank-you/host.js')
        return send(res, 200, frameHost, 'text/javascript; charset=utf-8')
      if (req.method === 'GET' && url.pathname === '/thank-you/bundle.js')
        return send(res, 200, thankYou.code, 'text/javascript; charset=utf-8')
      if (req.method === 'GET' && url.pathname === '/thank-you/frame') {
        const page = pages.get(url.searchParams.get('page') ?? '')
        if (!page) return send(res, 404, 'unknown Thank-you page', 'text/plain; charset=utf-8')
        const frame = {
          page: page.id,
          order: { id: page.order.id, number: page.order.confirmationNumber },
          locale: page.locale,
          locales: readLocales(),
          remoteImages
        }
        return send(res, 200, thankYouFrameHtml(frame), 'text/html; charset=utf-8')
      }
      if (req.method === 'POST' && url.pathname === '/api/thank-you-pages') {
        const body = await readJson(req)
        const payment = String(body.payment ?? '') as Payment
        if (!PAYMENTS.includes(payment))
          return send(res, 422, {
            error: { code: 'PAYMENT_UNKNOWN', message: `payment must be ${PAYMENTS.join(' or ')}` }
          })
        if (payment === 'card') {
          // A card order reached this page through its post-purchase page: the same checkout, what it added included.
          const session = sessions.get(String(body.session ?? ''))
          if (!session) return send(res, 404, { error: { code: 'SESSION_NOT_FOUND', message: 'unknown session' } })
          const page = await pages.create({
            fixture: session.fixture,
            inputData: session.inputData,
            payment,
            referenceId: session.referenceId,
            added: session.added()
          })
          return send(res, 201, page)
        }
        const name = String(body.fixture ?? '')
        const fixture = loadFixtures(opts.rulesDir)[name]
        if (!fixture)
          return send(res, 404, {
            error: { code: 'FIXTURE_NOT_FOUND', message: `no fixture ${name} in ${opts.rulesDir}/fixtures` }
          })
        // A wallet order never reached the post-purchase page: a checkout of its own, new on every run.
        const run = (walletRuns.get(name) ?? 0) + 1
        walletRuns.set(name, run)
        const referenceId = `${fixture.initialPurchase.referenceId}-wallet-${run}`
        const page = await pages.create({ fixture: name, inputData: fixture, payment, referenceId, added: [] })
        return send(res, 201, page)
      }
      if (parts[0] === 'api' && parts[1] === 'thank-you-pages' && parts[2]) {
        const page = pages.get(parts[2])
        if (!page) return send(res, 404, { error: { code: 'PAGE_NOT_FOUND', message: 'unknown Thank-you page' } })
        if (req.method === 'POST' && parts[3] === 'token') return send(res, 200, pages.token(page))
        if (req.method === 'GET' && parts[3] === 'order')
          return send(res, 200, { order: page.order, admin: await pages.orders.describe(page.order.id) })
      }
      if (parts[0] === 'api' && parts[1] === 'sessions' && parts[2]) {
        const session = sessions.get(parts[2])
        if (!session) return send(res, 404, { error: { code: 'SESSION_NOT_FOUND', message: 'unknown session' } })
        if (req.method === 'GET' && parts.length === 3) return send(res, 200, session.state())
        if (req.method === 'GET' && parts[3] === 'stream') return session.subscribe(res)
        if (req.method === 'POST' && parts[3] === 'invoke') {
          const body = await readJson(req)
          const args = Array.isArray(body.args) ? body.args : []
          // Answer at once: the buyer's tap starts work whose progress streams back.
          session.invoke(String(body.node), String(body.prop), args).catch(() => {})
          return send(res, 202, { accepted: true })
        }
        if (req.method === 'GET' && parts[3] === 'decisions') {
          if (!opts.service.adminToken)
            return send(res, 200, { available: false, reason: 'the service has no ADMIN_TOKEN for the preview' })
          const r = await fetch(`${opts.service.url}/admin/decisions/${encodeURIComponent(session.referenceId)}`, {
            headers: { authorization: `Bearer ${opts.service.adminToken}` }
          })
          return send(res, r.status, await r.json().catch(() => null))
        }
      }
      return send(res, 404, { error: { code: 'NOT_FOUND', message: url.pathname } })
    } catch (error) {
      return send(res, 500, { error: { code: 'PREVIEW_ERROR', message: (error as Error).message } })
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 3100, opts.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    bundleBytes: bundle.bytes,
    thankYouBundleBytes: thankYou.bytes,
    async close() {
      for (const s of sessions.values()) s.close()
      sessions.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
