// Opens a bounded PostgreSQL pool (timeouts inside the checkout's budget) and applies the generated migrations under an
// advisory lock, so several instances starting at once migrate one at a time.
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import * as offerSchema from './schema.pg.js'
import * as shopifySchema from '../shopify/schema.pg.js'

export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/postgres', import.meta.url))

const schema = { ...offerSchema, ...shopifySchema }
export type PgDb = NodePgDatabase<typeof schema>

/**
 * The extension gives up after 1.5 s (OFFER_TIMEOUT_MS): waiting for a connection, and any one statement, stop well
 * before, so an unreachable or stuck database becomes a 503 the checkout can move past.
 */
export const CONNECT_TIMEOUT_MS = 1000
export const STATEMENT_TIMEOUT_MS = 1000

/** The advisory lock key that serialises migrations across instances (any constant; 'encore' in ASCII). */
export const MIGRATION_LOCK_KEY = 0x656e636f7265

const INT8_OID = 20
/** bigint columns (milliseconds, Shopify ids, COUNT(*)) as numbers, as SQLite returns them; all stay below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser
}

export type PostgresOptions = {
  url: string
  poolMax: number
  /** Where a connection dropped by the server is reported (the pool replaces it by itself). */
  onPoolError?: (err: Error) => void
}

export type OpenPostgres = { pool: pg.Pool; db: PgDb }

export function createPool(opts: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // Server side: a statement running longer is cancelled. Client side: a reply that never comes (a dead network) is
    // given up a little later, and the connection with it.
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 250,
    keepAlive: true,
    application_name: 'encore',
    types
  })
  // An idle connection the server closed (restart, failover) must not crash the process: the pool drops it and opens a
  // new one on the next request.
  pool.on('error', (err) => opts.onPoolError?.(err))
  // The pool listens for errors on idle connections only. A connection the server drops while it is checked out (a
  // restart mid-transaction) emits 'error' besides failing its query, and an 'error' nobody listens to would end the
  // process: every connection keeps this listener, and the failed query reports the error to its caller (a 503).
  pool.on('connect', (client) => client.on('error', () => {}))
  return pool
}

/**
 * Applies pending migrations on one connection holding a session advisory lock: the first instance migrates, the
 * others wait on the lock and then find nothing left to apply.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    // Migrations and the wait for another instance's migrations may take longer than a request's statement.
    await client.query('SET statement_timeout = 0')
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    try {
      await migrate(drizzle({ client, schema }), { migrationsFolder: PG_MIGRATIONS_DIR })
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
    }
  } finally {
    // Closed, not returned to the pool: it has no statement timeout now.
    client.release(true)
  }
}

export async function openPostgres(opts: PostgresOptions): Promise<OpenPostgres> {
  const pool = createPool(opts)
  try {
    await migratePostgres(pool)
  } catch (err) {
    await pool.end()
    throw err
  }
  return { pool, db: drizzle({ client: pool, schema }) }
}
