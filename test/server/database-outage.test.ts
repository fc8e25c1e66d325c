// PostgreSQL going away: requests answer 503 DATABASE_UNAVAILABLE (never a 500, never a hang), /health says degraded,
// and the same instance serves again once the database is back, without a restart.
import t from 'tap'
import { buildWorld, checkout, tokenFor, post, offered } from '../support/server-world.js'
import { postgresUnavailable, startPostgres } from '../../scripts/lib/postgres-cluster.js'

const skip = postgresUnavailable()

t.test('an outage is a 503 and degraded health; the instance recovers by itself', skip ? { skip } : {}, async (t) => {
  const cluster = await startPostgres()
  t.teardown(() => cluster.destroy())
  const w = await buildWorld(t, { config: { databaseUrl: cluster.createDatabase('outage') } })
  const before = await offered(w)
  t.ok(before.offer.id, 'an offer while the database is up')

  cluster.stop()
  const token = tokenFor(checkout())
  const offer = await post(w.app, '/api/offer', token)
  t.equal(offer.status, 503)
  t.same(offer.body.error.code, 'DATABASE_UNAVAILABLE')
  const sign = await post(w.app, '/api/sign-changeset', before.token, { offerId: before.offer.id })
  t.equal(sign.status, 503)
  t.equal(sign.body.error.code, 'DATABASE_UNAVAILABLE')
  const event = await post(w.app, '/api/events', before.token, { offerId: before.offer.id, type: 'viewed' })
  t.equal(event.body.error.code, 'DATABASE_UNAVAILABLE')
  const health = await w.app.inject({ method: 'GET', url: '/health' })
  t.equal(health.statusCode, 503, 'a load balancer takes the instance out')
  t.match(health.json(), { status: 'degraded', database: { kind: 'postgres', reachable: false }, rules: { count: 4 } })

  cluster.start()
  let healthy = false
  for (let i = 0; i < 100 && !healthy; i++) {
    healthy = (await w.app.inject({ method: 'GET', url: '/health' })).statusCode === 200
    if (!healthy) await new Promise((r) => setTimeout(r, 50))
  }
  t.ok(healthy, '/health is ok again')
  const again = await post(w.app, '/api/offer', token)
  t.equal(again.status, 200, 'offers are served again by the same instance')
  const signed = await post(w.app, '/api/sign-changeset', before.token, { offerId: before.offer.id })
  t.equal(signed.status, 200, 'and signed')
  t.equal((await w.app.storage.acceptancesFor(before.ref)).length, 1)
})
