// Configuration from the environment, validated once at boot: a bad value stops the server with one clear line.
import { DEV_API_KEY, DEV_API_SECRET } from './dev-credentials.js'
import { loadShopifyConfig, type ShopifyConfig } from './shopify/config.js'
import { ShopifyConfigError } from './errors.js'

export { DEV_API_KEY, DEV_API_SECRET }

export type Config = {
  apiKey: string
  apiSecret: string
  port: number
  host: string
  /** The SQLite file, used when `databaseUrl` is null. */
  databasePath: string
  /** DATABASE_URL: a postgres:// URL selects PostgreSQL (several instances on one database); null: SQLite. */
  databaseUrl: string | null
  /** DATABASE_POOL_MAX: PostgreSQL connections per instance. */
  databasePoolMax: number
  /** DATABASE_PATH was set too: DATABASE_URL wins for the offer service (the start-up log says so). */
  databasePathIgnored: boolean
  rulesDir: string
  adminToken: string | null
  /** Oldest checkout token accepted, counted from its `iat`. */
  tokenMaxAgeSeconds: number
  /** How long an offer without a countdown can still be signed (Shopify's fulfillment hold is one hour). */
  offerHoldSeconds: number
  /** `exp` of a signed changeset, counted from its `iat`. */
  changesetTtlSeconds: number
  /** Total time /api/offer may spend waiting for Shopify look-ups. */
  shopifyBudgetMs: number
  /** Checkout facts older than this are forgotten (counts and revenue stay). */
  retentionDays: number
  logLevel: string
  production: boolean
  /** The Shopify integration's settings (SHOPIFY_*; the API key and secret are the ones above). */
  shopify: Omit<ShopifyConfig, 'apiKey' | 'apiSecret'>
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

export type LoadedConfig = { config: Config; warnings: string[] }

type Env = Record<string, string | undefined>

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim()))
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`)
  const n = Number(raw.trim())
  if (n < min || n > max) throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${n}`)
  return n
}

/** A number of days, decimals allowed (0.01 is about 15 minutes: soak runs and tests), at least a minute. */
function days(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : NaN
  if (!(n >= 0.001 && n <= 3650))
    throw new ConfigError(`${name} must be a number of days from 0.001 to 3650, got "${raw}"`)
  return n
}

function str(env: Env, name: string): string | undefined {
  const raw = env[name]
  if (raw === undefined) return undefined
  const v = raw.trim()
  return v === '' ? undefined : v
}

/** A postgres:// URL with a host and a database name, or a ConfigError naming DATABASE_URL (never its password). */
function databaseUrl(env: Env): string | null {
  const raw = str(env, 'DATABASE_URL')
  if (raw === undefined) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('DATABASE_URL must be a URL like postgres://user:password@host:5432/database')
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${url.protocol}//); for SQLite set DATABASE_PATH`
    )
  if (url.hostname === '')
    throw new ConfigError('DATABASE_URL has no host (postgres://user:password@host:5432/database)')
  if (url.pathname.replace(/^\//, '') === '')
    throw new ConfigError('DATABASE_URL has no database name (postgres://user:password@host:5432/database)')
  return raw
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** The SHOPIFY_* settings, checked by the integration's own rules; their errors become ConfigErrors (one line). */
function shopifySettings(env: Env): Config['shopify'] {
  try {
    // Warnings about the key and secret are loadConfig's own (above): the same two variables.
    const { apiKey: _key, apiSecret: _secret, ...rest } = loadShopifyConfig(env)
    return rest
  } catch (err) {
    if (err instanceof ShopifyConfigError)
      throw new ConfigError(err.message.replace(/^Invalid Shopify configuration: /, ''))
    throw err
  }
}

/** Reads and checks every setting; throws ConfigError (one line) on the first bad one. */
export function loadConfig(env: Env = process.env): LoadedConfig {
  const warnings: string[] = []
  const production = env.NODE_ENV === 'production'

  let apiSecret = str(env, 'SHOPIFY_API_SECRET')
  if (apiSecret === undefined) {
    if (production) throw new ConfigError('SHOPIFY_API_SECRET is required when NODE_ENV=production')
    apiSecret = DEV_API_SECRET
    warnings.push(
      'SHOPIFY_API_SECRET is not set: using the DEVELOPMENT secret. Anyone can forge checkout tokens. Never use this with a real store.'
    )
  } else if (apiSecret === DEV_API_SECRET && production) {
    throw new ConfigError('SHOPIFY_API_SECRET is the development secret, which is refused when NODE_ENV=production')
  } else if (apiSecret.length < 16) {
    throw new ConfigError(`SHOPIFY_API_SECRET is too short (${apiSecret.length} characters, at least 16 expected)`)
  }

  let apiKey = str(env, 'SHOPIFY_API_KEY')
  if (apiKey === undefined) {
    if (production) throw new ConfigError('SHOPIFY_API_KEY is required when NODE_ENV=production')
    apiKey = DEV_API_KEY
    warnings.push(
      'SHOPIFY_API_KEY is not set: using the development key; Shopify will refuse changesets signed with it.'
    )
  }

  const adminToken = str(env, 'ADMIN_TOKEN') ?? null
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError(`ADMIN_TOKEN is too short (${adminToken.length} characters, at least 16 expected)`)
  }

  const host = str(env, 'HOST') ?? '127.0.0.1'
  const logLevel = str(env, 'LOG_LEVEL') ?? 'info'
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)

  const dbUrl = databaseUrl(env)
  const config: Config = {
    apiKey,
    apiSecret,
    port: int(env, 'PORT', 3000, 0, 65535),
    host,
    databasePath: str(env, 'DATABASE_PATH') ?? './data/encore.db',
    databaseUrl: dbUrl,
    databasePoolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
    databasePathIgnored: dbUrl !== null && str(env, 'DATABASE_PATH') !== undefined,
    rulesDir: str(env, 'RULES_DIR') ?? './rules',
    adminToken,
    tokenMaxAgeSeconds: int(env, 'CHECKOUT_TOKEN_MAX_AGE_SECONDS', 3600, 10, 86400),
    offerHoldSeconds: int(env, 'OFFER_HOLD_SECONDS', 3600, 10, 86400),
    changesetTtlSeconds: int(env, 'CHANGESET_TTL_SECONDS', 300, 10, 3600),
    shopifyBudgetMs: int(env, 'SHOPIFY_BUDGET_MS', 300, 10, 5000),
    retentionDays: days(env, 'RETENTION_DAYS', 90),
    logLevel,
    production,
    shopify: shopifySettings(env)
  }
  return { config, warnings }
}
