// Opens and migrates the database at boot: PostgreSQL when DATABASE_URL is set (several instances on one database),
// otherwise the SQLite file. `fastify.storage` for the offer logic and the Shopify store, `fastify.database` for
// SQLite-only code.
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { openDatabase, type OpenDatabase } from '../db/open-database.js'
import { openPostgres } from '../db/open-postgres.js'
import { PostgresStorage } from '../db/postgres-storage.js'
import { SqliteStorage } from '../db/sqlite-storage.js'
import type { Storage } from '../db/storage.js'
import { Checkpointer } from '../db/checkpointer.js'
import { startRetention } from '../db/retention.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The offer service's storage (any database). */
    storage: Storage
    /** Which database `storage` is on. */
    databaseKind: 'sqlite' | 'postgres'
    /**
     * The SQLite handle, on SQLite only (on PostgreSQL no file is opened and reading this throws: code that needs it
     * runs on SQLite alone). `flush` commits the writes queued in this turn.
     */
    database: OpenDatabase & { flush(): void }
  }
}

/** Without `databaseUrl`, SQLite at `databasePath`. */
export type DatabaseOptions = Pick<Config, 'databasePath' | 'retentionDays'> &
  Partial<Pick<Config, 'databaseUrl' | 'databasePoolMax' | 'databasePathIgnored'>>

/** The URL without its password, for the log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgres://(unparsable)'
  }
}

export default fp<DatabaseOptions>(
  async (fastify, opts) => {
    const log = fastify.log.child({ component: 'database' })
    let storage: Storage
    let sqliteStorage: SqliteStorage | null = null
    let checkpointer: Checkpointer | null = null
    let handle: OpenDatabase | null = null
    if (opts.databaseUrl) {
      if (opts.databasePathIgnored)
        log.warn(
          'DATABASE_URL and DATABASE_PATH are both set: using PostgreSQL (DATABASE_URL); DATABASE_PATH is ignored'
        )
      const pg = await openPostgres({
        url: opts.databaseUrl,
        poolMax: opts.databasePoolMax ?? 10,
        onPoolError: (err) => log.warn({ err }, 'a PostgreSQL connection failed; the pool opens a new one')
      })
      storage = new PostgresStorage(pg.pool)
      log.info({ url: redactUrl(opts.databaseUrl), poolMax: opts.databasePoolMax }, 'database: PostgreSQL, migrated')
    } else {
      handle = openDatabase(opts.databasePath)
      sqliteStorage = new SqliteStorage(handle)
      storage = sqliteStorage
      checkpointer = opts.databasePath === ':memory:' ? null : new Checkpointer(handle.sqlite, opts.databasePath)
      log.info({ path: opts.databasePath }, 'database: SQLite, migrated')
    }
    const retention = startRetention(storage, {
      days: opts.retentionDays,
      log: fastify.log.child({ component: 'retention' })
    })
    fastify.decorate('storage', storage)
    fastify.decorate('databaseKind', opts.databaseUrl ? 'postgres' : 'sqlite')
    const sqlite = handle ? { ...handle, flush: () => sqliteStorage?.flush() } : null
    fastify.decorate('database', {
      getter() {
        if (sqlite) return sqlite
        throw new Error('fastify.database is SQLite only; this instance runs on PostgreSQL (fastify.storage)')
      }
    })
    // Routes finish first; then pending writes commit, the checkpointer stops, and the database closes.
    fastify.addHook('onClose', async () => {
      await retention.stop()
      sqliteStorage?.flush()
      await checkpointer?.stop()
      await storage.close()
    })
  },
  { name: 'encore-db', fastify: '5.x' }
)
