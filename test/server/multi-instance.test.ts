// Three service processes on one PostgreSQL, concurrent offers, signs and webhook deliveries for the same checkouts and
// ids spread over them: one decision per step, one acceptance per offer, at most 3 per checkout, identical tokens, each
// webhook processed once; then one instance is killed mid-load and every token a client received still has its
// acceptance.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { checkout, tokenFor, writeRules, matchAllRules, decodeJwt, SECRET } from '../support/server-world.js'
import { postgresUnavailable } from '../../scripts/lib/postgres-cluster.js'
import { sharedCluster } from '../support/databases.js'
import { spawnService, type ServiceProcess } from '../support/service-process.js'
import { webhookRequest } from '../support/shopify-signing.js'

const skip = postgresUnavailable()

type Reply = { status: number; body: any }

async function call(base: string, path: string, token: string, body: unknown): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { status: res.status, body: await res.json() }
}

const ADMIN_TOKEN = 'multi-admin-token-0123456789abcdef'

/** A signed webhook delivery (the same X-Shopify-Webhook-Id however often it is sent) posted to one instance. */
async function deliver(base: string, hook: ReturnType<typeof webhookRequest>): Promise<Reply> {
  const res = await fetch(`${base}${hook.url as string}`, {
    method: 'POST',
    headers: hook.headers as Record<string, string>,
    body: hook.payload as string
  })
  return { status: res.status, body: await res.json() }
}

t.test('three instances on one Postgres keep every guarantee', skip ? { skip } : {}, async (t) => {
  const url = (await sharedCluster()).createDatabase('multi')
  const dir = mkdtempSync(join(tmpdir(), 'encore-multi-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const rulesDir = join(dir, 'rules')
  // Four offers per checkout (each decline leads to the next), so the limit of 3 can be tried.
  writeRules(
    rulesDir,
    matchAllRules(4).map((r, i) => (i < 3 ? { ...r, next: { onDecline: `r${i + 1}` } } : r))
  )
  // Started together: they migrate one at a time under the advisory lock.
  const instances: ServiceProcess[] = await Promise.all(
    [0, 1, 2].map((i) =>
      spawnService({
        SHOPIFY_API_SECRET: SECRET,
        DATABASE_URL: url,
        DATABASE_PATH: join(dir, `shopify-${i}.db`),
        DATABASE_POOL_MAX: '4',
        RULES_DIR: rulesDir,
        ADMIN_TOKEN
      })
    )
  )
  t.teardown(() => Promise.all(instances.map((s) => s.stop())))
  for (const s of instances) {
    t.match(s.output(), /DATABASE_URL and DATABASE_PATH are both set: using PostgreSQL/, 'the start-up log says so')
    t.notMatch(s.output(), /:encore@/, 'the password is not logged')
  }
  const urls = instances.map((s) => s.url)
  const db = new pg.Pool({ connectionString: url, max: 2 })
  t.teardown(() => db.end())

  // Phase 1: for each checkout, every request is sent to all three instances at once; meanwhile each webhook delivery
  // is sent to all three at once, and again to one of them.
  const received = new Map<string, Set<string>>()
  const everywhere = (path: string, token: string, body: unknown) =>
    Promise.all(urls.map((u) => call(u, path, token, body)))
  const hooks = Array.from({ length: 18 }, (_, i) =>
    i % 3 === 2
      ? webhookRequest(SECRET, 'app/uninstalled', `gone-${i}.myshopify.com`, {
          myshopify_domain: `gone-${i}.myshopify.com`
        })
      : webhookRequest(SECRET, 'customers/data_request', 'test-shop.myshopify.com', {
          shop_domain: 'test-shop.myshopify.com',
          customer: { id: 207119551 },
          orders_requested: [],
          data_request: { id: i }
        })
  )
  const hookReplies = Promise.all(
    hooks.map(async (hook, i) => Promise.all([...urls, urls[i % 3] as string].map((u) => deliver(u, hook))))
  )
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      const token = tokenFor(checkout())
      const ids: string[] = []
      let answers = await everywhere('/api/offer', token, {})
      for (let step = 0; ; step++) {
        const offered = new Set(answers.map((a) => a.body.offer?.id))
        t.equal(offered.size, 1, 'the three instances give the same answer')
        const id = [...offered][0]
        if (!id || step === 3) {
          if (id) ids.push(id)
          break
        }
        ids.push(id)
        answers = await everywhere('/api/offer', token, { after: { offerId: id, outcome: 'declined' } })
      }
      t.equal(ids.length, 4)
      // Every offer signed on every instance at once: at most 3 succeed, each with one token.
      const signs = await Promise.all(ids.map((offerId) => everywhere('/api/sign-changeset', token, { offerId })))
      for (const [k, replies] of signs.entries()) {
        const tokens = new Set(replies.filter((r) => r.status === 200).map((r) => r.body.token as string))
        t.ok(tokens.size <= 1, 'one token per offer, whichever instance signed')
        if (tokens.size) received.set(ids[k] as string, tokens)
        for (const r of replies) if (r.status !== 200) t.equal(r.body.error.code, 'OFFER_LIMIT_REACHED')
      }
    })
  )

  for (const [i, replies] of (await hookReplies).entries()) {
    t.same(
      replies.map((r) => r.status),
      [200, 200, 200, 200],
      `delivery ${i}: acknowledged by every instance ${JSON.stringify(replies.filter((r) => r.status !== 200))}`
    )
    t.same(
      replies.map((r) => r.body.status).sort(),
      ['duplicate', 'duplicate', 'duplicate', 'processed'],
      `delivery ${i}: processed by one instance`
    )
  }

  const q = async (sql: string) => (await db.query(sql)).rows
  // Each webhook once, from the database: its id recorded once, one report per data request, each uninstall applied.
  t.equal((await q('SELECT COUNT(*)::int AS n FROM shopify_webhook_deliveries'))[0].n, 18)
  t.same(await q('SELECT webhook_id FROM shopify_data_requests GROUP BY webhook_id HAVING COUNT(*) > 1'), [])
  t.equal((await q('SELECT COUNT(*)::int AS n FROM shopify_data_requests'))[0].n, 12, 'one report per data request')
  t.equal(
    (await q('SELECT COUNT(*)::int AS n FROM shopify_shops WHERE uninstalled_at IS NOT NULL'))[0].n,
    6,
    'every uninstall recorded'
  )
  t.same(await q('SELECT reference_id, step FROM decisions GROUP BY reference_id, step HAVING COUNT(*) > 1'), [])
  t.same(await q('SELECT offer_id FROM acceptances GROUP BY offer_id HAVING COUNT(*) > 1'), [])
  t.same(await q('SELECT reference_id FROM acceptances GROUP BY reference_id HAVING COUNT(*) > 3'), [])
  t.equal((await q('SELECT COUNT(*)::int AS n FROM acceptances'))[0].n, 36, '3 per checkout')
  t.equal((await q('SELECT COUNT(*)::int AS n FROM decisions'))[0].n, 48, '4 steps per checkout')
  const tokens = new Map((await q('SELECT offer_id, token FROM acceptances')).map((r) => [r.offer_id, r.token]))
  for (const [offerId, got] of received) t.same([...got], [tokens.get(offerId)], `${offerId}: the stored token`)

  // Phase 2: clients spread over the instances; one instance is killed mid-load.
  type Received = { offerId: string; token: string }
  const tokensReceived: Received[] = []
  let stop = false
  let n = 0
  const client = async () => {
    while (!stop) {
      const base = urls[n++ % 3] as string
      try {
        const token = tokenFor(checkout())
        const offer = await call(base, '/api/offer', token, {})
        const offerId = offer.body.offer?.id
        if (!offerId) continue
        const signed = await call(urls[n++ % 3] as string, '/api/sign-changeset', token, { offerId })
        if (signed.status === 200) tokensReceived.push({ offerId, token: signed.body.token })
      } catch {
        // That instance is dead: the client never received a token from it.
      }
    }
  }
  const clients = Array.from({ length: 6 }, () => client())
  while (tokensReceived.length < 60) await new Promise((r) => setTimeout(r, 10))
  instances[0]?.child.kill('SIGKILL')
  t.equal(await instances[0]?.exited, 'SIGKILL')
  const atKill = tokensReceived.length
  while (tokensReceived.length < atKill + 30) await new Promise((r) => setTimeout(r, 10))
  stop = true
  await Promise.all(clients)

  const stored = new Map(
    (await q('SELECT offer_id, token FROM acceptances')).map((r) => [r.offer_id as string, r.token as string])
  )
  const missing = tokensReceived.filter((r) => stored.get(r.offerId) !== r.token)
  t.same(missing, [], `all ${tokensReceived.length} received tokens have their acceptance`)
  t.ok(
    tokensReceived.every((r) => decodeJwt(r.token).payload.jti),
    'tokens are real changesets'
  )

  // Phase 3: the analytics. Every instance's consumer ran during the load (one at a time) and one was killed: the
  // survivors report the same figures, and each checkout and acceptance counts exactly once.
  const stats = await Promise.all(
    urls.slice(1).map(async (base) => {
      const res = await fetch(`${base}/admin/stats`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      t.equal(res.status, 200)
      return (await res.json()) as { rows: { ruleId: string; checkouts: number; accepts: number }[] }
    })
  )
  t.same(stats[0]!.rows, stats[1]!.rows, 'both instances report the same rows')
  const expected = await q(
    `SELECT d.rule_id AS "ruleId", COUNT(DISTINCT d.reference_id)::int AS checkouts,
       (SELECT COUNT(*)::int FROM acceptances a WHERE a.rule_id = d.rule_id) AS accepts
     FROM decisions d WHERE d.rule_id IS NOT NULL GROUP BY d.rule_id ORDER BY d.rule_id`
  )
  t.same(
    stats[0]!.rows.map((r) => ({ ruleId: r.ruleId, checkouts: r.checkouts, accepts: r.accepts })),
    expected,
    'checkouts and acceptances counted once each'
  )
  t.ok(expected.length >= 2 && expected[0]!.checkouts >= 90, 'the report covers the load')
})
