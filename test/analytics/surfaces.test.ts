// /admin/stats's `surfaces` through the real routes, on SQLite and on PostgreSQL: an offer accepted on the
// post-purchase page and one accepted on the Thank-you page each count under their own page, only inside the range.
import t from 'tap'
import { buildWorld, post, SOCKS_VARIANT } from '../support/server-world.js'
import { askFor, fakeOrders, paidOrder, sessionToken, SHOP } from '../support/thank-you-orders.js'
import { adminGet, drive } from './world.js'
import { eachDatabase } from '../support/databases.js'

const HOUR = 3_600_000

eachDatabase(t, 'offers, acceptances and revenue per page the offer was made on', async (t, db) => {
  const fake = fakeOrders({ [SOCKS_VARIANT]: 8.1 })
  const w = await buildWorld(t, { shopify: fake.integration, config: db.config })
  // Post-purchase: two checkouts offered the socks, one accepted and applied at 6.48, one left unanswered.
  const pp = await drive(w.app, { shop: SHOP, view: true, accept: true, amount: '6.48' })
  t.ok(pp.rendered, 'the post-purchase page showed an offer')
  t.ok((await drive(w.app, { shop: SHOP })).rendered)
  // Thank-you page: a wallet order (no post-purchase page) offered the socks and accepted with one order edit.
  const order = fake.add(paidOrder())
  const asked = await post(w.app, '/api/thank-you/offer', sessionToken(), askFor(order))
  t.equal(asked.status, 200)
  const accepted = await post(w.app, '/api/thank-you/accept', sessionToken(), { offerId: asked.body.offer.id })
  t.equal(accepted.status, 200, JSON.stringify(accepted.body))
  t.equal(fake.edits.length, 1, 'one order edit committed')

  const stats = async (query: string) => {
    const res = await adminGet(w.app, `/admin/stats?shop=${SHOP}${query}`)
    t.equal(res.status, 200, res.raw)
    return res.body
  }
  const body = await stats('')
  t.same(body.surfaces, [
    { surface: 'post_purchase', currency: 'USD', offers: 2, accepts: 1, revenue: 6.48 },
    // The accept route records the edit's invoiced amount as the offer's `applied` one.
    { surface: 'thank_you', currency: 'USD', offers: 1, accepts: 1, revenue: 6.48 }
  ])
  // The rule's row counts both pages together: the breakdown adds up to it.
  t.same(
    body.rows.map((r: Record<string, unknown>) => [r.ruleId, r.offers, r.accepts, r.revenue]),
    [['socks', 3, 2, 12.96]],
    'the rows are unchanged: both pages in one row'
  )
  const now = Date.now()
  t.same((await stats(`&from=${now - 10 * HOUR}&to=${now - 9 * HOUR}`)).surfaces, [], 'nothing outside the range')
  t.same((await adminGet(w.app, '/admin/stats')).body.surfaces, body.surfaces, 'all shops: the same, one shop here')
})
