// Opens and migrates the SQLite database at boot and exposes the prepared queries as `fastify.store`.
import fp from 'fastify-plugin'
import { openDatabase } from '../db/open-database.js'
import { Store } from '../db/store.js'
import { Checkpointer } from '../db/checkpointer.js'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export default fp<{ databasePath: string }>(
  async (fastify, opts) => {
    const handle = openDatabase(opts.databasePath)
    const store = new Store(handle)
    const checkpointer = opts.databasePath === ':memory:' ? null : new Checkpointer(handle.sqlite, opts.databasePath)
    fastify.decorate('store', store)
    // Routes finish first; then pending writes commit, the checkpointer stops, and the file closes.
    fastify.addHook('onClose', async () => {
      store.queue.flush()
      await checkpointer?.stop()
      store.close()
    })
  },
  { name: 'encore-db', fastify: '5.x' }
)
