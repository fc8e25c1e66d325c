import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Session } from '@shopify/shopify-api'
import { openDatabase } from '../../server/db/open-database.js'
import { SqliteSessionStorage, type Db } from '../../server/shopify/session-storage.js'
import { TtlCache } from '../../server/shopify/ttl-cache.js'

t.test('sessions round-trip through SQLite', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-sessions-'))
  const handle = openDatabase(join(dir, 'encore.db'))
  t.teardown(() => {
    handle.sqlite.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const storage = new SqliteSessionStorage(handle.db as unknown as Db)

  const offline = new Session({
    id: 'offline_a.myshopify.com',
    shop: 'a.myshopify.com',
    state: 's1',
    isOnline: false,
    scope: 'read_products',
    accessToken: 'shpat_1'
  })
  const online = new Session({
    id: 'a.myshopify.com_42',
    shop: 'a.myshopify.com',
    state: 's2',
    isOnline: true,
    scope: 'read_products',
    accessToken: 'shpua_2',
    expires: new Date('2030-01-01T00:00:00Z'),
    onlineAccessInfo: {
      expires_in: 86400,
      associated_user_scope: 'read_products',
      associated_user: { id: 42 }
    } as never
  })
  await storage.storeSession(offline)
  await storage.storeSession(online)

  t.ok((await storage.loadSession(offline.id))?.equals(offline), 'an offline session comes back equal')
  const loaded = await storage.loadSession(online.id)
  t.equal(loaded?.expires?.toISOString(), '2030-01-01T00:00:00.000Z')
  t.same(loaded?.onlineAccessInfo, online.onlineAccessInfo)
  t.equal(await storage.loadSession('missing'), undefined)
  t.equal((await storage.findSessionsByShop('a.myshopify.com')).length, 2)

  await storage.storeSession(
    new Session({ ...offline.toObject(), accessToken: 'shpat_new', scope: 'read_products,read_customers' })
  )
  t.equal((await storage.loadSession(offline.id))?.accessToken, 'shpat_new', 'storing the same id replaces the token')

  await storage.deleteSessions([online.id, 'missing'])
  t.equal((await storage.findSessionsByShop('a.myshopify.com')).length, 1)
  await storage.deleteSession(offline.id)
  t.equal(await storage.loadSession(offline.id), undefined)
  t.equal(storage.deleteShopSessions('a.myshopify.com'), 0)
})

t.test('the TTL cache forgets after its lifetime and past its size', async (t) => {
  let now = 0
  const cache = new TtlCache<number | null>(1000, 2, () => now)
  cache.set('a', 1)
  cache.set('b', null)
  t.same(cache.get('b'), { value: null }, 'a negative answer is a hit')
  now = 999
  t.same(cache.get('a'), { value: 1 })
  now = 1000
  t.equal(cache.get('a'), undefined, 'expired at its lifetime')
  cache.set('c', 3)
  cache.set('d', 4)
  cache.set('e', 5)
  t.equal(cache.size, 2)
  t.equal(cache.get('c'), undefined, 'the oldest went first')
  cache.deletePrefix('d')
  t.equal(cache.get('d'), undefined)
})
