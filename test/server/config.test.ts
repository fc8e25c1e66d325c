// Configuration is validated at boot with one clear line; production refuses the development secret.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { loadConfig, DEV_API_SECRET, ConfigError } from '../../server/config.js'
import { nodeTs } from '../support/node-ts.js'
import { recordingIo } from '../../scripts/lib/cli.js'
import { main as serve } from '../../server/server.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

t.test('development defaults come with loud warnings', async (t) => {
  const { config, warnings } = loadConfig({})
  t.equal(config.apiSecret, DEV_API_SECRET)
  t.equal(config.port, 3000)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.databasePath, './data/encore.db')
  t.equal(config.rulesDir, './rules')
  t.equal(config.adminToken, null)
  t.match(warnings.join('\n'), /DEVELOPMENT secret/)
})

t.test('production refuses the development secret and missing credentials', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), ConfigError)
  t.throws(
    () => loadConfig({ NODE_ENV: 'production', SHOPIFY_API_SECRET: DEV_API_SECRET, SHOPIFY_API_KEY: 'k' }),
    /development secret/
  )
  const ok = loadConfig({
    NODE_ENV: 'production',
    SHOPIFY_API_SECRET: 'a-real-secret-0123456789',
    SHOPIFY_API_KEY: 'key',
    // The Shopify settings are validated with the rest: production needs an https app URL.
    SHOPIFY_APP_URL: 'https://encore.example.com'
  })
  t.same(ok.warnings, [])
  t.equal(ok.config.shopify.appUrl.origin, 'https://encore.example.com')
})

t.test('bad values are refused with a message naming the variable', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be an integer/)
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
  t.throws(() => loadConfig({ ADMIN_TOKEN: 'short' }), /ADMIN_TOKEN is too short/)
  t.throws(() => loadConfig({ SHOPIFY_API_SECRET: 'short' }), /SHOPIFY_API_SECRET is too short/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
  t.throws(() => loadConfig({ CHECKOUT_TOKEN_MAX_AGE_SECONDS: '-1' }), /CHECKOUT_TOKEN_MAX_AGE_SECONDS/)
  t.throws(
    () => loadConfig({ RETENTION_DAYS: '0' }),
    /RETENTION_DAYS must be a number of days from 0.001 to 3650, got "0"/
  )
  t.throws(() => loadConfig({ RETENTION_DAYS: '-5' }), /RETENTION_DAYS/)
  t.throws(() => loadConfig({ RETENTION_DAYS: 'forever' }), ConfigError)
  t.throws(() => loadConfig({ SHOPIFY_CATALOG_TTL_SECONDS: 'forever' }), {
    name: 'ConfigError',
    message: /SHOPIFY_CATALOG_TTL_SECONDS must be an integer/
  })
})

t.test('every setting has its documented default, Shopify ones included', async (t) => {
  const { config } = loadConfig({})
  t.equal(config.retentionDays, 90)
  t.equal(loadConfig({ RETENTION_DAYS: '30' }).config.retentionDays, 30)
  t.equal(loadConfig({ RETENTION_DAYS: '0.5' }).config.retentionDays, 0.5)
  t.same(config.shopify.scopes, [
    'read_products',
    'read_customers',
    'write_orders',
    'write_order_edits',
    'write_draft_orders'
  ])
  t.equal(config.shopify.catalogTtlMs, 300_000)
  t.equal(config.shopify.requireInstall, false)
  t.equal(loadConfig({ SHOPIFY_REQUIRE_INSTALL: 'true' }).config.shopify.requireInstall, true)
  t.equal(
    loadConfig({ SHOPIFY_ADMIN_API_ORIGIN: 'http://127.0.0.1:4001' }).config.shopify.adminApiOrigin,
    'http://127.0.0.1:4001'
  )
})

t.test('the server stops at boot with one clear line', async (t) => {
  const res = spawnSync(process.execPath, nodeTs('server/server.ts'), {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production', SHOPIFY_API_SECRET: DEV_API_SECRET, SHOPIFY_API_KEY: 'k' }
  })
  t.equal(res.status, 1)
  const lines = res.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('npm warn'))
  t.equal(lines.length, 1)
  t.match(lines[0], /configuration error: SHOPIFY_API_SECRET is the development secret/)
})

t.test(
  'DATABASE_URL selects PostgreSQL, DATABASE_POOL_MAX sizes its pool, and a bad value is one clear line',
  async (t) => {
    const sqlite = loadConfig({}).config
    t.equal(sqlite.databaseUrl, null, 'SQLite stays the default')
    t.equal(sqlite.databasePoolMax, 10)
    t.equal(sqlite.databasePathIgnored, false)
    const url = 'postgres://encore:pw@db.internal:5432/encore'
    const pg = loadConfig({ DATABASE_URL: url, DATABASE_POOL_MAX: '25' }).config
    t.equal(pg.databaseUrl, url)
    t.equal(pg.databasePoolMax, 25)
    t.equal(pg.databasePathIgnored, false)
    t.equal(loadConfig({ DATABASE_URL: 'postgresql://h/db' }).config.databaseUrl, 'postgresql://h/db')
    const both = loadConfig({ DATABASE_URL: url, DATABASE_PATH: './data/x.db' }).config
    t.equal(both.databaseUrl, url, 'DATABASE_URL wins')
    t.equal(both.databasePathIgnored, true, 'and the start-up log says DATABASE_URL wins')

    t.throws(() => loadConfig({ DATABASE_URL: 'not a url' }), /DATABASE_URL must be a URL/)
    t.throws(() => loadConfig({ DATABASE_URL: 'mysql://h/db' }), /DATABASE_URL must start with postgres:\/\//)
    t.throws(() => loadConfig({ DATABASE_URL: 'postgres://h:5432/' }), /DATABASE_URL has no database name/)
    t.throws(() => loadConfig({ DATABASE_URL: 'postgres://u:secret-pw@h/db', DATABASE_POOL_MAX: '0' }), {
      message: /DATABASE_POOL_MAX must be an integer between 1 and 1000, got 0/
    })
    // The service's entry in process (the test above runs it as a process): it stops before opening anything.
    const io = recordingIo({ ...process.env, DATABASE_URL: 'mysql://u:secret-pw@h/db', LOG_LEVEL: 'silent' })
    t.equal(await serve([], io), 1)
    const lines = io.stderr.split('\n').filter((l) => l.includes('encore: '))
    t.equal(lines.length, 1)
    t.match(lines[0], /configuration error: DATABASE_URL must start with postgres:\/\//)
    t.notMatch(io.stderr + io.stdout, /secret-pw/, 'the password never reaches the output')
  }
)
