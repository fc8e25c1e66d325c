// Opens and migrates the SQLite database at boot: `fastify.storage` for the offer logic, `fastify.database` for
// SQLite-only code.
import fp from 'fastify-plugin'
import { openDatabase, type OpenDatabase } from '../db/open-database.js'
import { SqliteStorage } from '../db/sqlite-storage.js'
import type { Storage } from '../db/storage.js'
import { Checkpointer } from '../db/checkpointer.js'
import { startRetention } from '../db/retention.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The offer service's storage (any database). */
    storage: Storage
    /**
     * The SQLite handle, for the code not yet behind `storage` (the Shopify integration, reports); `flush` commits the
     * writes queued in this turn.
     */
    database: OpenDatabase & { flush(): void }
  }
}

export type DatabaseOptions = { databasePath: string; retentionDays: number }

export default fp<DatabaseOptions>(
  async (fastify, opts) => {
    const handle = openDatabase(opts.databasePath)
    const storage = new SqliteStorage(handle)
    const checkpointer = opts.databasePath === ':memory:' ? null : new Checkpointer(handle.sqlite, opts.databasePath)
    const retention = startRetention(storage, {
      days: opts.retentionDays,
      log: fastify.log.child({ component: 'retention' })
    })
    fastify.decorate('storage', storage)
    fastify.decorate('database', { ...handle, flush: () => storage.flush() })
    // Routes finish first; then pending writes commit, the checkpointer stops, and the file closes.
    fastify.addHook('onClose', async () => {
      await retention.stop()
      storage.flush()
      await checkpointer?.stop()
      await storage.close()
    })
  },
  { name: 'encore-db', fastify: '5.x' }
)
