// Opens and migrates the SQLite database at boot and exposes the prepared queries as `fastify.store`.
import fp from 'fastify-plugin'
import { openDatabase } from '../db/open-database.js'
import { Store } from '../db/store.js'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export default fp<{ databasePath: string }>(async (fastify, opts) => {
  const store = new Store(openDatabase(opts.databasePath))
  fastify.decorate('store', store)
  // Last in the close order of hooks registered here: routes finish, then pending writes commit, then the file closes.
  fastify.addHook('onClose', async () => {
    store.close()
  })
}, { name: 'encore-db', fastify: '5.x' })
