// GET /dashboard: the merchant dashboard's page and its bundle (dashboard/, built by npm run build:dashboard).
// Embedded in the Shopify admin it loads App Bridge (Shopify requires it from its CDN); standalone nothing external.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync } from 'fastify'
import { DashboardNotBuilt, errorResponses } from '../errors.js'

export const DASHBOARD_DIST = fileURLToPath(new URL('../../dashboard/dist', import.meta.url))
const APP_BRIDGE = 'https://cdn.shopify.com/shopifycloud/app-bridge.js'

const escapeAttr = (s: string) => s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)

function page(embedded: boolean, apiKey: string): string {
  // App Bridge must be the first script, unbundled, from Shopify's CDN: only when the admin embeds the page.
  const bridge = embedded
    ? `<meta name="shopify-api-key" content="${escapeAttr(apiKey)}">\n<script src="${APP_BRIDGE}"></script>\n`
    : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="encore-mode" content="${embedded ? 'embedded' : 'standalone'}">
${bridge}<title>Encore dashboard</title>
<link rel="stylesheet" href="/dashboard/app.css">
</head>
<body>
<div id="app"></div>
<script src="/dashboard/app.js" defer></script>
</body>
</html>
`
}

const dashboardRoutes: FastifyPluginAsync = async (fastify) => {
  // Read once per process: the bundle only changes with a build, and a deploy restarts the service.
  const files = new Map<string, Buffer>()
  const asset = (name: string): Buffer => {
    let body = files.get(name)
    if (body === undefined) {
      const path = join(DASHBOARD_DIST, name)
      if (!existsSync(path)) throw new DashboardNotBuilt()
      body = readFileSync(path)
      files.set(name, body)
    }
    return body
  }
  fastify.get<{ Querystring: { embedded?: string; host?: string; shop?: string } }>(
    '/dashboard',
    { schema: { response: { ...errorResponses(503) } } },
    async (request, reply) => {
      asset('app.js') // answer 503 with the fix rather than an empty page
      // Shopify opens an embedded app with ?embedded=1&host=…&shop=…
      const embedded = request.query.embedded === '1' || typeof request.query.host === 'string'
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(page(embedded, fastify.config.apiKey))
    }
  )
  for (const [name, type] of [
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.css', 'text/css; charset=utf-8']
  ] as const) {
    fastify.get(`/dashboard/${name}`, { schema: { response: { ...errorResponses(503) } } }, async (_request, reply) =>
      reply.type(type).header('cache-control', 'no-cache').send(asset(name))
    )
  }
}

export default dashboardRoutes
