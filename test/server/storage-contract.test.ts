// Every Storage behaviour the offer logic relies on, run against SQLite and PostgreSQL alike: one decision per step,
// one acceptance per offer and at most the limit per checkout (also under concurrency), answers kept once, events,
// rulesets, explanations and retention.
import t from 'tap'
import { eachDatabase } from '../support/databases.js'
import type { NewAcceptance } from '../../server/db/storage.js'

const checkoutOf = (i: number, createdAt = Date.now()) => ({
  referenceId: `ref-${i}`,
  shopDomain: 's.myshopify.com',
  customerId: '42',
  currency: 'USD',
  facts: JSON.stringify({ pad: 'x'.repeat(200), i }),
  createdAt
})

const decision = (i: number, step = 's:', createdAt = Date.now()) => ({
  id: `dc_${i}_${step}`,
  referenceId: `ref-${i}`,
  shopDomain: 's.myshopify.com',
  customerId: '42',
  step,
  ruleId: 'r',
  arm: 'a',
  holdout: false,
  skipped: null,
  rulesetHash: 'h',
  context: JSON.stringify({ only: ['r'] }),
  offer: '{"id":"x"}',
  signableUntil: createdAt + 60_000,
  afterOfferId: null,
  afterOutcome: null,
  answer: null,
  createdAt
})

const acceptance = (offerId: string, ref = 'ref-1'): NewAcceptance => ({
  offerId,
  referenceId: ref,
  shopDomain: 's.myshopify.com',
  customerId: null,
  ruleId: 'r',
  arm: null,
  variantId: 44_000_000_001_234,
  quantity: 1,
  changes: '[]',
  jti: `jti-${offerId}`,
  token: `token-${offerId}`,
  createdAt: 1_760_000_000_123
})

eachDatabase(t, 'decideOnce stores one decision per step and the facts once per checkout', async (t, db) => {
  const storage = await db.openStorage()
  t.teardown(() => storage.close())
  const first = await storage.decideOnce(checkoutOf(1), decision(1))
  t.equal(first.stored, true)
  t.equal(first.row.id, 'dc_1_s:')
  t.notOk('context' in first.row, 'the hot-path row carries no facts')
  const second = await storage.decideOnce(checkoutOf(1), { ...decision(1), id: 'dc_other', ruleId: 'other' })
  t.equal(second.stored, false, 'the step was decided: the second decision is not stored')
  t.equal(second.row.id, 'dc_1_s:')
  t.equal(second.row.ruleId, 'r', 'the first decision wins')
  t.equal(second.row.holdout, false, 'booleans come back as booleans')
  t.equal(typeof second.row.createdAt, 'number', 'times come back as numbers')
  t.equal(second.row.signableUntil, first.row.signableUntil)
  t.equal((await storage.decideOnce(checkoutOf(1), decision(1, 'a:x'))).stored, true, 'another step is another row')
  const rows = await storage.decisionsFor('ref-1')
  t.same(
    rows.map((r) => r.step),
    ['s:', 'a:x']
  )
  t.notOk('facts' in (rows[0] ?? {}) || 'context' in (rows[0] ?? {}), 'decisionsFor selects no facts')
  t.same(
    Object.keys(rows[0] ?? {}).sort(),
    Object.keys(first.row).sort(),
    'rows read back have the same fields as the rows written'
  )
  t.match(await storage.decision('dc_1_s:', 'ref-1'), { id: 'dc_1_s:', referenceId: 'ref-1', customerId: '42' })
  t.equal(await storage.decision('dc_1_s:', 'ref-2'), undefined, 'an offer id from another checkout finds nothing')
  const explainable = await storage.explainableDecisions('ref-1')
  t.equal(explainable.length, 2)
  t.equal(explainable[0]?.inputData, checkoutOf(1).facts, 'explanations get the checkout facts back')
  t.equal(explainable[0]?.context, JSON.stringify({ only: ['r'] }))
  t.equal(explainable[0]?.legacyFacts, null)
})

eachDatabase(t, 'concurrent decideOnce calls for one step store exactly one decision', async (t, db) => {
  const storage = await db.openStorage()
  t.teardown(() => storage.close())
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, k) => storage.decideOnce(checkoutOf(7), { ...decision(7), id: `dc_race_${k}` }))
  )
  t.equal(results.filter((r) => r.stored).length, 1, 'one caller stored')
  t.equal(new Set(results.map((r) => r.row.id)).size, 1, 'every caller got the same decision')
  t.equal((await storage.decisionsFor('ref-7')).length, 1)
})

eachDatabase(t, 'setAnswer records the first answer only', async (t, db) => {
  const storage = await db.openStorage()
  t.teardown(() => storage.close())
  await storage.decideOnce(checkoutOf(2), decision(2))
  await storage.setAnswer('dc_2_s:', 'declined')
  await storage.setAnswer('dc_2_s:', 'accepted')
  t.equal((await storage.decision('dc_2_s:', 'ref-2'))?.answer, 'declined')
})

eachDatabase(t, 'acceptOnce: one acceptance per offer, at most the limit per checkout', async (t, db) => {
  const storage = await db.openStorage()
  t.teardown(() => storage.close())
  await storage.decideOnce(checkoutOf(1), decision(1))
  const accepted = await storage.acceptOnce(acceptance('dc_1_s:'), 2)
  t.equal(accepted.kind, 'accepted')
  t.equal((await storage.decision('dc_1_s:', 'ref-1'))?.answer, 'accepted', 'the decision is marked accepted')
  const again = await storage.acceptOnce({ ...acceptance('dc_1_s:'), token: 'other' }, 2)
  t.match(again, { kind: 'existing', row: { token: 'token-dc_1_s:', variantId: 44_000_000_001_234 } })
  t.equal((await storage.acceptOnce(acceptance('o2'), 2)).kind, 'accepted')
  t.same(await storage.acceptOnce(acceptance('o3'), 2), { kind: 'limit-reached' })
  const rows = await storage.acceptancesFor('ref-1')
  t.same(
    rows.map((r) => r.offerId),
    ['dc_1_s:', 'o2']
  )
  t.match(await storage.acceptance('o2'), {
    offerId: 'o2',
    referenceId: 'ref-1',
    variantId: 44_000_000_001_234,
    quantity: 1,
    jti: 'jti-o2',
    token: 'token-o2',
    createdAt: 1_760_000_000_123
  })
  t.equal(typeof rows[0]?.id, 'number')
  t.equal(await storage.acceptance('nope'), undefined)
})

eachDatabase(
  t,
  'concurrent acceptOnce calls never exceed the limit and agree on one token per offer',
  async (t, db) => {
    const storage = await db.openStorage()
    t.teardown(() => storage.close())
    // 10 offers of one checkout, each accepted 3 times at once with different tokens.
    const calls = []
    for (let o = 0; o < 10; o++)
      for (let k = 0; k < 3; k++)
        calls.push(storage.acceptOnce({ ...acceptance(`o${o}`, 'ref-race'), token: `t${o}-${k}` }, 3))
    const outcomes = await Promise.all(calls)
    t.equal(outcomes.filter((o) => o.kind === 'accepted').length, 3, 'exactly 3 accepted')
    const rows = await storage.acceptancesFor('ref-race')
    t.equal(rows.length, 3)
    for (const o of outcomes) {
      if (o.kind === 'existing') t.equal(o.row.token, rows.find((r) => r.offerId === o.row.offerId)?.token)
    }
  }
)

eachDatabase(t, 'events and rulesets are stored and read back', async (t, db) => {
  const storage = await db.openStorage()
  t.teardown(() => storage.close())
  const base = { referenceId: 'ref-e', shopDomain: 's', customerId: null, ruleId: 'r', arm: null }
  await storage.saveEvent({
    ...base,
    offerId: 'o',
    type: 'viewed',
    status: null,
    errors: null,
    amount: null,
    createdAt: 1
  })
  await storage.saveEvent({
    ...base,
    offerId: 'o',
    type: 'applied',
    status: 'processed',
    errors: '[]',
    amount: '12.50',
    createdAt: 2
  })
  const events = await storage.eventsFor('ref-e')
  t.same(
    events.map((e) => [e.type, e.amount, e.createdAt]),
    [
      ['viewed', null, 1],
      ['applied', '12.50', 2]
    ]
  )
  t.equal(typeof events[0]?.id, 'number')
  await storage.saveRuleset('hash1', { 'a.json': '{}' }, 1)
  await storage.saveRuleset('hash1', { 'other.json': '{}' }, 1)
  t.same(await storage.rulesetFiles('hash1'), { 'a.json': '{}' }, 'a ruleset is stored once')
  t.equal(await storage.rulesetFiles('unknown'), null)
  t.equal(await storage.ping(), true)
})

eachDatabase(t, 'pruneFacts forgets old facts in batches and keeps the rows', async (t, db) => {
  const storage = await db.openStorage()
  t.teardown(() => storage.close())
  const old = Date.now() - 100 * 24 * 3600 * 1000
  for (let i = 0; i < 25; i++) await storage.decideOnce(checkoutOf(i, old), decision(i, 's:', old))
  await storage.decideOnce(checkoutOf(99), decision(99))
  const cutoff = Date.now() - 90 * 24 * 3600 * 1000
  const batches = []
  for (let n = await storage.pruneFacts(cutoff, 10); n > 0; n = await storage.pruneFacts(cutoff, 10)) batches.push(n)
  t.same(batches, [10, 10, 5])
  const [pruned] = await storage.explainableDecisions('ref-3')
  t.equal(pruned?.inputData, null)
  t.equal(pruned?.context, null)
  t.equal((await storage.decisionsFor('ref-3')).length, 1, 'the decision row stays')
  const [kept] = await storage.explainableDecisions('ref-99')
  t.equal(kept?.inputData, checkoutOf(99).facts, 'recent facts stay')
})

eachDatabase(
  t,
  'the Thank-you page: surfaces stored, checkouts found by any id, answers settled once',
  async (t, db) => {
    const storage = await db.openStorage()
    t.teardown(() => storage.close())
    await storage.decideOnce(checkoutOf(30), decision(30))
    await storage.decideOnce(checkoutOf(30), { ...decision(30, 'ty:s:'), id: 'dc_ty', surface: 'thank_you' })
    t.same(
      (await storage.decisionsFor('ref-30')).map((r) => r.surface),
      ['post_purchase', 'thank_you'],
      'a decision without a surface is a post-purchase one'
    )
    t.equal((await storage.decision('dc_ty', 'ref-30'))?.surface, 'thank_you')
    t.match(await storage.decisionOfShop('dc_ty', 's.myshopify.com'), { id: 'dc_ty', referenceId: 'ref-30' })
    t.equal(await storage.decisionOfShop('dc_ty', 'other.myshopify.com'), undefined, 'another shop finds nothing')
    t.equal((await storage.explainableDecisions('ref-30'))[1]?.surface, 'thank_you')

    t.same(await storage.findCheckout('s.myshopify.com', ['1001', 'ref-30', 'ref-1']), {
      referenceId: 'ref-30',
      facts: checkoutOf(30).facts
    })
    await storage.decideOnce(checkoutOf(31), decision(31))
    t.equal(
      (await storage.findCheckout('s.myshopify.com', ['ref-31', 'ref-30']))?.referenceId,
      'ref-31',
      'the first id given that matches wins'
    )
    t.equal(await storage.findCheckout('other.myshopify.com', ['ref-30']), undefined, 'another shop finds nothing')
    t.equal(await storage.findCheckout('s.myshopify.com', []), undefined)
    t.equal(await storage.findCheckout('s.myshopify.com', ['nope', "x' OR 1=1 --"]), undefined)

    const ty = { ...acceptance('dc_ty', 'ref-30'), token: '', surface: 'thank_you' as const }
    t.equal((await storage.acceptOnce(ty, 3)).kind, 'accepted')
    t.match(await storage.acceptance('dc_ty'), { surface: 'thank_you', answer: null, token: '' })
    await storage.settleAcceptance('dc_ty', '{"status":"checkout","url":"https://a"}')
    await storage.settleAcceptance('dc_ty', '{"status":"checkout","url":"https://b"}')
    t.equal((await storage.acceptance('dc_ty'))?.answer, '{"status":"checkout","url":"https://a"}', 'written once')
    t.equal((await storage.acceptOnce(acceptance('o-pp', 'ref-30'), 3)).kind, 'accepted')
    t.match(await storage.acceptance('o-pp'), { surface: 'post_purchase', answer: null })
  }
)
