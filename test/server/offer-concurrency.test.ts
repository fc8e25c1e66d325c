// Concurrent /api/offer calls for one checkout (ShouldRender and Render racing, client retries) decide once.
import t from 'tap'
import { buildWorld, checkout, tokenFor, post, referenceIdOf } from '../support/server-world.js'
import { defaultShopifyIntegration as base } from '../../server/plugins/shopify-default.js'
import { PerCheckout } from '../../server/offers/per-checkout.js'

/** A catalog that answers after a delay, so concurrent requests overlap at the await that used to race. */
function slowCatalog(ms: number) {
  return {
    ...base,
    variantInfo: async (...args: Parameters<typeof base.variantInfo>) => {
      await new Promise((resolve) => setTimeout(resolve, ms))
      return base.variantInfo(...args)
    }
  }
}

t.test('concurrent first calls get one decision and the same offer', async (t) => {
  const w = await buildWorld(t, { shopify: slowCatalog(20) })
  const input = checkout()
  const token = tokenFor(input)
  const answers = await Promise.all(Array.from({ length: 6 }, () => post(w.app, '/api/offer', token)))
  for (const a of answers) t.equal(a.status, 200)
  const ids = new Set(answers.map((a) => a.body.offer.id))
  t.equal(ids.size, 1, 'every caller sees the same offer')
  const ref = referenceIdOf(input)
  t.equal((await w.app.storage.decisionsFor(ref)).length, 1, 'one decision is stored')
})

t.test('concurrent calls for the same chain step store one step', async (t) => {
  const w = await buildWorld(t, { shopify: slowCatalog(20) })
  const input = checkout()
  const token = tokenFor(input)
  const first = (await post(w.app, '/api/offer', token)).body.offer
  const after = { after: { offerId: first.id, outcome: 'declined' } }
  const answers = await Promise.all(Array.from({ length: 4 }, () => post(w.app, '/api/offer', token, after)))
  t.same(new Set(answers.map((a) => JSON.stringify(a.body))).size, 1, 'every caller sees the same answer')
  const ref = referenceIdOf(input)
  t.equal(
    (await w.app.storage.decisionsFor(ref)).filter((r) => r.afterOfferId === first.id).length,
    1,
    'one chain step is stored'
  )
})

t.test('different checkouts are not queued behind each other, and a failure does not block the queue', async (t) => {
  const queue = new PerCheckout()
  const order: string[] = []
  let release!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const a1 = queue.run('a', async () => {
    await gate
    order.push('a1')
    throw new Error('boom')
  })
  const a2 = queue.run('a', async () => {
    order.push('a2')
    return 'a2'
  })
  const b = queue.run('b', async () => {
    order.push('b')
    return 'b'
  })
  t.equal(await b, 'b')
  t.same(order, ['b'], 'b ran while a was still busy')
  release()
  await t.rejects(a1, /boom/)
  t.equal(await a2, 'a2', 'the next request for a still runs')
  t.same(order, ['b', 'a1', 'a2'])
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(queue.size, 0, 'nothing is kept once the work is done')
})
