// Reads and validates the Shopify integration's configuration from the environment, once, at boot.
import { ApiVersion } from '@shopify/shopify-api'
import { ShopifyConfigError } from '../errors.js'
// The same development credentials as the offer service, so webhooks and checkout tokens agree out of the box.
import { DEV_API_KEY, DEV_API_SECRET } from '../dev-credentials.js'

export type ShopifyConfig = {
  apiKey: string
  apiSecret: string
  /** Public URL of this server: OAuth redirects come back to it. */
  appUrl: URL
  scopes: string[]
  apiVersion: ApiVersion
  /**
   * Tests and local development only: every Admin API call (token exchange and GraphQL) that would go to
   * `https://<shop>` goes to this origin instead, with the same path, headers and body.
   */
  adminApiOrigin: string | null
  /** How long a catalog answer (product, customer, variant) is reused. */
  catalogTtlMs: number
  /**
   * When true, a shop that never installed through OAuth gets no offers; by default only uninstalled shops are refused.
   */
  requireInstall: boolean
}

const DEFAULTS = {
  appUrl: 'http://localhost:3000',
  // docs/shopify.md "Access scopes" says what each is for; shopify.app.toml asks for the same (a test checks).
  scopes: 'read_products,read_customers,write_orders,write_order_edits,write_draft_orders',
  apiVersion: ApiVersion.October25,
  catalogTtlSeconds: 300
}

const SCOPE = /^(read|write|unauthenticated_read|unauthenticated_write)_[a-z_]+$/

type Env = Record<string, string | undefined>

function fail(message: string): never {
  throw new ShopifyConfigError(message)
}

function parseAppUrl(raw: string, production: boolean): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    fail(`SHOPIFY_APP_URL must be an absolute URL, got "${raw}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`SHOPIFY_APP_URL must be http(s), got "${raw}"`)
  if (production && url.protocol !== 'https:') fail('SHOPIFY_APP_URL must use https when NODE_ENV=production')
  if (url.pathname !== '/' || url.search || url.hash)
    fail(`SHOPIFY_APP_URL must be an origin without path, got "${raw}"`)
  return url
}

function parseAdminOrigin(raw: string | undefined, production: boolean): string | null {
  if (raw === undefined || raw === '') return null
  if (production)
    fail('SHOPIFY_ADMIN_API_ORIGIN is for tests and local development; it is refused when NODE_ENV=production')
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    fail(`SHOPIFY_ADMIN_API_ORIGIN must be an origin such as http://127.0.0.1:4001, got "${raw}"`)
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    fail(`SHOPIFY_ADMIN_API_ORIGIN must be on loopback, got "${raw}"`)
  return url.origin
}

function parseBoolean(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  fail(`${name} must be true or false, got "${raw}"`)
}

/** Throws ShopifyConfigError (code SHOPIFY_CONFIG) naming the first bad variable. */
export function loadShopifyConfig(env: Env = process.env, warn: (msg: string) => void = () => {}): ShopifyConfig {
  const production = env.NODE_ENV === 'production'
  const apiKey = env.SHOPIFY_API_KEY ?? ''
  const apiSecret = env.SHOPIFY_API_SECRET ?? ''
  if (production && (!apiKey || !apiSecret))
    fail('SHOPIFY_API_KEY and SHOPIFY_API_SECRET are required when NODE_ENV=production')
  if (!apiKey) warn('SHOPIFY_API_KEY is not set: using a development key; OAuth with a real store will not work')
  if (!apiSecret)
    warn('SHOPIFY_API_SECRET is not set: using a development secret; webhooks from a real store will be refused')

  const scopes = (env.SHOPIFY_SCOPES ?? DEFAULTS.scopes)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const badScope = scopes.find((s) => !SCOPE.test(s))
  if (badScope !== undefined)
    fail(`SHOPIFY_SCOPES has an invalid scope "${badScope}" (expected e.g. read_products,read_customers)`)

  const apiVersion = (env.SHOPIFY_API_VERSION ?? DEFAULTS.apiVersion) as ApiVersion
  if (!Object.values(ApiVersion).includes(apiVersion)) {
    fail(`SHOPIFY_API_VERSION must be one of ${Object.values(ApiVersion).join(', ')}, got "${apiVersion}"`)
  }

  const ttlRaw = env.SHOPIFY_CATALOG_TTL_SECONDS ?? String(DEFAULTS.catalogTtlSeconds)
  const ttl = Number(ttlRaw)
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400)
    fail(`SHOPIFY_CATALOG_TTL_SECONDS must be an integer from 1 to 86400, got "${ttlRaw}"`)

  return {
    apiKey: apiKey || DEV_API_KEY,
    apiSecret: apiSecret || DEV_API_SECRET,
    appUrl: parseAppUrl(env.SHOPIFY_APP_URL ?? DEFAULTS.appUrl, production),
    scopes,
    apiVersion,
    adminApiOrigin: parseAdminOrigin(env.SHOPIFY_ADMIN_API_ORIGIN, production),
    catalogTtlMs: ttl * 1000,
    requireInstall: parseBoolean('SHOPIFY_REQUIRE_INSTALL', env.SHOPIFY_REQUIRE_INSTALL)
  }
}
