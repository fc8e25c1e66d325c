// The catalog's TTL cache: entries expire after their lifetime and the oldest go first past the size limit.
import t from 'tap'
import { TtlCache } from '../../server/shopify/ttl-cache.js'

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
