// The offer service through inject() on both databases: offers stored once, chains, signing (identical repeats, the
// limit of 3), events, explanations; and two apps on one database keeping the guarantees between them.
import t, { type Test } from 'tap'
import { createVerifier } from 'fast-jwt'
import { existsSync } from 'node:fs'
import {
  buildWorld,
  checkout,
  tokenFor,
  post,
  offered,
  matchAllRules,
  referenceIdOf,
  SECRET,
  ADMIN_TOKEN,
  type World
} from '../support/server-world.js'
import { eachDatabase, type TestDatabase } from '../support/databases.js'

const verify = createVerifier({ key: SECRET, algorithms: ['HS256'] })

async function world(t: Test, db: TestDatabase, opts: Parameters<typeof buildWorld>[1] = {}): Promise<World> {
  return buildWorld(t, { ...opts, config: { ...db.config, ...opts.config } })
}

eachDatabase(t, 'an offer is stored once and asked twice returns the same one', async (t, db) => {
  const w = await world(t, db)
  t.equal(w.app.databaseKind, db.kind)
  // PostgreSQL holds everything: the DATABASE_PATH left set beside it is not opened, no file appears.
  t.equal(existsSync(db.config.databasePath), db.kind === 'sqlite', `a SQLite file only on SQLite (${db.kind})`)
  if (db.kind === 'postgres') t.throws(() => w.app.database, /SQLite only; this instance runs on PostgreSQL/)
  const { token, offer, ref } = await offered(w)
  t.match(offer, { id: /^of_/, variantId: 2001 })
  t.same((await post(w.app, '/api/offer', token)).body.offer, offer, 'the same stored offer')
  const rows = await w.app.storage.decisionsFor(ref)
  t.equal(rows.length, 1)
  t.equal(rows[0]?.ruleId, 'socks')
  const none = await post(w.app, '/api/offer', tokenFor(checkout({ productIds: [999] })))
  t.same(none.body, { render: false })
})

eachDatabase(t, 'a chain: after a declined offer its onDecline rule, decided once', async (t, db) => {
  const w = await world(t, db)
  const { token, offer, ref } = await offered(w)
  const after = { after: { offerId: offer.id, outcome: 'declined' } }
  const next = await post(w.app, '/api/offer', token, after)
  t.equal(next.status, 200)
  t.equal(next.body.offer.variantId, 2200, 'single-socks')
  t.same((await post(w.app, '/api/offer', token, after)).body, next.body, 'the same step, the same answer')
  t.equal((await w.app.storage.decision(offer.id, ref))?.answer, 'declined')
  t.equal((await post(w.app, '/api/offer', token, { after: { offerId: 'of_nope', outcome: 'declined' } })).status, 404)
})

eachDatabase(t, 'signing: the stored acceptance, identical repeats, the limit of 3', async (t, db) => {
  const w = await world(t, db, {
    rules: matchAllRules(4).map((r, i) => (i < 3 ? { ...r, next: { onDecline: `r${i + 1}` } } : r))
  })
  const input = checkout()
  const token = tokenFor(input)
  const ids: string[] = [(await post(w.app, '/api/offer', token)).body.offer.id]
  for (let i = 0; i < 3; i++)
    ids.push(
      (await post(w.app, '/api/offer', token, { after: { offerId: ids[i], outcome: 'declined' } })).body.offer.id
    )
  const first = await post(w.app, '/api/sign-changeset', token, { offerId: ids[0] })
  t.equal(first.status, 200)
  const claims = verify(first.body.token)
  t.equal(claims.sub, referenceIdOf(input))
  t.equal((await w.app.storage.acceptance(ids[0] as string))?.jti, claims.jti, 'the acceptance is stored')
  t.equal((await post(w.app, '/api/sign-changeset', token, { offerId: ids[0] })).body.token, first.body.token)
  for (const id of ids.slice(1, 3))
    t.equal((await post(w.app, '/api/sign-changeset', token, { offerId: id })).status, 200)
  const fourth = await post(w.app, '/api/sign-changeset', token, { offerId: ids[3] })
  t.equal(fourth.status, 409)
  t.equal(fourth.body.error.code, 'OFFER_LIMIT_REACHED')
  t.equal((await w.app.storage.acceptancesFor(referenceIdOf(input))).length, 3)
})

eachDatabase(t, 'events are stored and the first answer marks the decision; explanations read back', async (t, db) => {
  const w = await world(t, db)
  const { token, offer, ref } = await offered(w)
  t.equal((await post(w.app, '/api/events', token, { offerId: offer.id, type: 'viewed' })).status, 204)
  t.equal((await post(w.app, '/api/events', token, { offerId: offer.id, type: 'declined' })).status, 204)
  t.equal((await post(w.app, '/api/events', token, { offerId: offer.id, type: 'accepted' })).status, 204)
  t.same(
    (await w.app.storage.eventsFor(ref)).map((e) => e.type),
    ['viewed', 'declined', 'accepted']
  )
  t.equal((await w.app.storage.decision(offer.id, ref))?.answer, 'declined', 'the first answer stands')
  const explained = await w.app.inject({
    method: 'GET',
    url: `/admin/decisions/${ref}`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` }
  })
  t.equal(explained.statusCode, 200)
  t.match(explained.json(), { decisions: [{ id: offer.id, ruleId: 'socks' }] })
  const health = await w.app.inject({ method: 'GET', url: '/health' })
  t.equal(health.statusCode, 200)
  t.match(health.json(), { status: 'ok', database: { kind: db.kind, reachable: true } })
})

eachDatabase(t, 'concurrent offers and signs for one checkout: one decision, one token', async (t, db) => {
  const w = await world(t, db)
  const input = checkout()
  const token = tokenFor(input)
  const answers = await Promise.all(Array.from({ length: 6 }, () => post(w.app, '/api/offer', token)))
  t.equal(new Set(answers.map((a) => a.body.offer.id)).size, 1)
  const offerId = answers[0]?.body.offer.id
  const signs = await Promise.all(
    Array.from({ length: 6 }, () => post(w.app, '/api/sign-changeset', token, { offerId }))
  )
  t.same(new Set(signs.map((s) => s.status)), new Set([200]))
  t.equal(new Set(signs.map((s) => s.body.token)).size, 1, 'the identical token')
  t.equal((await w.app.storage.acceptancesFor(referenceIdOf(input))).length, 1)
})

eachDatabase(t, 'two apps on one database: the guarantees hold between them, not only inside one', async (t, db) => {
  if (db.kind === 'sqlite') return // one SQLite file belongs to one process (see README)
  const a = await world(t, db)
  const b = await buildWorld(t, { config: { ...db.config, rulesDir: a.rulesDir } })
  const input = checkout()
  const token = tokenFor(input)
  const offers = await Promise.all(
    Array.from({ length: 8 }, (_, i) => post(i % 2 ? b.app : a.app, '/api/offer', token))
  )
  t.equal(new Set(offers.map((o) => o.body.offer.id)).size, 1, 'both apps answer with the same offer')
  const ref = referenceIdOf(input)
  t.equal((await a.app.storage.decisionsFor(ref)).length, 1, 'one decision stored')
  const offerId = offers[0]?.body.offer.id
  const signs = await Promise.all(
    Array.from({ length: 8 }, (_, i) => post(i % 2 ? b.app : a.app, '/api/sign-changeset', token, { offerId }))
  )
  t.equal(new Set(signs.map((s) => s.body.token)).size, 1, 'the identical token from both apps')
  t.equal((await b.app.storage.acceptancesFor(ref)).length, 1)
})

eachDatabase(t, '/admin/stats: the same report on either database', async (t, db) => {
  const w = await world(t, db)
  await offered(w)
  const res = await w.app.inject({
    method: 'GET',
    url: '/admin/stats',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` }
  })
  t.equal(res.statusCode, 200)
  t.equal(res.json().rows.find((r: { ruleId: string }) => r.ruleId === 'socks')?.checkouts, 1)
})
