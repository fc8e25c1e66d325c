import t from 'tap'
import { loadShopifyConfig } from '../../server/shopify/config.js'
import { DEV_API_KEY, DEV_API_SECRET } from '../../server/config.js'
import { recordingIo } from '../../scripts/lib/cli.js'
import { main as serve } from '../../server/server.js'

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}

t.test("defaults work in development, with the offer service's development credentials and a warning", async (t) => {
  const warnings: string[] = []
  const c = loadShopifyConfig({}, (m) => warnings.push(m))
  t.equal(c.apiKey, DEV_API_KEY)
  t.equal(c.apiSecret, DEV_API_SECRET)
  t.same(c.scopes, ['read_products', 'read_customers', 'write_orders', 'write_order_edits', 'write_draft_orders'])
  t.equal(c.appUrl.origin, 'http://localhost:3000')
  t.equal(c.adminApiOrigin, null)
  t.equal(c.catalogTtlMs, 300_000)
  t.equal(c.requireInstall, false)
  t.equal(warnings.length, 2)
})

t.test('every variable is read', async (t) => {
  const c = loadShopifyConfig({
    SHOPIFY_API_KEY: 'key',
    SHOPIFY_API_SECRET: 'secret',
    SHOPIFY_APP_URL: 'https://encore.example.com',
    SHOPIFY_SCOPES: 'read_products',
    SHOPIFY_API_VERSION: '2025-07',
    SHOPIFY_ADMIN_API_ORIGIN: 'http://127.0.0.1:4001',
    SHOPIFY_CATALOG_TTL_SECONDS: '60',
    SHOPIFY_REQUIRE_INSTALL: 'true'
  })
  t.equal(c.appUrl.host, 'encore.example.com')
  t.same(c.scopes, ['read_products'])
  t.equal(c.apiVersion, '2025-07')
  t.equal(c.adminApiOrigin, 'http://127.0.0.1:4001')
  t.equal(c.catalogTtlMs, 60_000)
  t.equal(c.requireInstall, true)
})

t.test('bad values stop the boot with SHOPIFY_CONFIG', async (t) => {
  const bad: Record<string, string>[] = [
    { SHOPIFY_APP_URL: 'not a url' },
    { SHOPIFY_APP_URL: 'ftp://encore.example.com' },
    { SHOPIFY_APP_URL: 'https://encore.example.com/app' },
    { SHOPIFY_SCOPES: 'read_products,everything' },
    { SHOPIFY_API_VERSION: '2019-01' },
    { SHOPIFY_ADMIN_API_ORIGIN: 'http://api.example.com' },
    { SHOPIFY_CATALOG_TTL_SECONDS: '0' },
    { SHOPIFY_CATALOG_TTL_SECONDS: 'soon' },
    { SHOPIFY_REQUIRE_INSTALL: 'maybe' }
  ]
  for (const env of bad)
    t.equal(
      code(() => loadShopifyConfig(env)),
      'SHOPIFY_CONFIG',
      JSON.stringify(env)
    )
})

t.test('production refuses development credentials, plain http and the fake Admin API origin', async (t) => {
  const prod = {
    NODE_ENV: 'production',
    SHOPIFY_API_KEY: 'k',
    SHOPIFY_API_SECRET: 's',
    SHOPIFY_APP_URL: 'https://encore.example.com'
  }
  t.equal(
    code(() => loadShopifyConfig(prod)),
    undefined
  )
  t.equal(
    code(() => loadShopifyConfig({ ...prod, SHOPIFY_API_SECRET: '' })),
    'SHOPIFY_CONFIG'
  )
  t.equal(
    code(() => loadShopifyConfig({ ...prod, SHOPIFY_APP_URL: 'http://encore.example.com' })),
    'SHOPIFY_CONFIG'
  )
  t.equal(
    code(() => loadShopifyConfig({ ...prod, SHOPIFY_ADMIN_API_ORIGIN: 'http://127.0.0.1:4001' })),
    'SHOPIFY_CONFIG'
  )
})

t.test('every error code is documented in docs/shopify.md', async (t) => {
  const { readFileSync } = await import('node:fs')
  const errors = readFileSync(new URL('../../server/errors.ts', import.meta.url), 'utf8')
  const docs = readFileSync(new URL('../../docs/shopify.md', import.meta.url), 'utf8')
  const codes = [...errors.matchAll(/'(SHOPIFY_[A-Z_]+)'/g)].map((m) => m[1])
  t.ok(codes.length >= 6)
  for (const code of new Set(codes)) t.ok(docs.includes(String(code)), `${code} is documented`)
})

t.test('a bad SHOPIFY_* variable stops the boot with one clear line', async (t) => {
  // The service's entry in process (test/server/config.test.ts runs it as a process): it stops before opening anything.
  const io = recordingIo({ ...process.env, SHOPIFY_CATALOG_TTL_SECONDS: 'forever' })
  t.equal(await serve([], io), 1)
  t.match(io.stderr, /configuration error: SHOPIFY_CATALOG_TTL_SECONDS must be an integer from 1 to 86400/)
  t.equal(io.stderr.trim().split('\n').length, 1, 'one line')
})
