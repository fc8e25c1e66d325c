// Storage on PostgreSQL (node-postgres): named prepared statements on the hot path, the guarantees held by the
// database (a unique (reference_id, step), a per-checkout advisory lock around each acceptance), so several instances
// on one database keep them.
import type pg from 'pg'
import { inTransaction } from './pg-transaction.js'
import { asDatabaseError } from './unavailable.js'
import type {
  AcceptanceRow,
  AcceptOutcome,
  DecisionRow,
  EventRow,
  ExplainableDecision,
  FoundCheckout,
  NewAcceptance,
  NewCheckout,
  NewDecision,
  NewEvent,
  Storage
} from './storage.js'

// Quoted aliases: Postgres folds unquoted names to lower case, and the rows must come back in the row types' names.
const DECISION_COLUMNS = `d.id, d.reference_id AS "referenceId", d.shop_domain AS "shopDomain",
  d.customer_id AS "customerId", d.step, d.rule_id AS "ruleId", d.arm, d.holdout, d.skipped,
  d.ruleset_hash AS "rulesetHash", d.offer, d.signable_until AS "signableUntil", d.after_offer_id AS "afterOfferId",
  d.after_outcome AS "afterOutcome", d.answer, d.surface, d.created_at AS "createdAt"`
const ACCEPTANCE_COLUMNS = `id, offer_id AS "offerId", reference_id AS "referenceId", shop_domain AS "shopDomain",
  customer_id AS "customerId", rule_id AS "ruleId", arm, variant_id AS "variantId", quantity, changes, jti, token,
  surface, answer, created_at AS "createdAt"`
const EVENT_COLUMNS = `id, offer_id AS "offerId", reference_id AS "referenceId", shop_domain AS "shopDomain",
  customer_id AS "customerId", rule_id AS "ruleId", arm, type, status, errors, amount, created_at AS "createdAt"`

/**
 * Statements by name: each connection parses and plans one the first time it runs it, then only binds values. A name
 * always stands for the same text.
 */
const Q = {
  insertRuleset:
    'INSERT INTO rulesets (hash, files, count, first_served_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
  getRuleset: 'SELECT files FROM rulesets WHERE hash = $1',
  // The checkout (and its facts) with its first decision, in one statement: a step already decided stores nothing.
  decideOnce: `WITH c AS (
      INSERT INTO checkouts (reference_id, shop_domain, customer_id, currency, created_at)
      VALUES ($1, $2, $3, $4, $6) ON CONFLICT DO NOTHING RETURNING reference_id
    ), f AS (
      INSERT INTO checkout_facts (reference_id, facts, created_at) SELECT reference_id, $5, $6 FROM c
    )
    INSERT INTO decisions (id, reference_id, shop_domain, customer_id, step, rule_id, arm, holdout, skipped,
      ruleset_hash, context, offer, signable_until, after_offer_id, after_outcome, answer, created_at, surface)
    VALUES ($7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
    ON CONFLICT (reference_id, step) DO NOTHING`,
  decisionAtStep: `SELECT ${DECISION_COLUMNS} FROM decisions d WHERE d.reference_id = $1 AND d.step = $2`,
  getDecision: `SELECT ${DECISION_COLUMNS} FROM decisions d WHERE d.id = $1 AND d.reference_id = $2`,
  decisionOfShop: `SELECT ${DECISION_COLUMNS} FROM decisions d WHERE d.id = $1 AND d.shop_domain = $2`,
  decisionsFor: `SELECT ${DECISION_COLUMNS} FROM decisions d WHERE d.reference_id = $1 ORDER BY d.created_at, d.id`,
  explainable: `SELECT ${DECISION_COLUMNS}, f.facts AS "inputData", d.context, d.facts AS "legacyFacts"
    FROM decisions d LEFT JOIN checkout_facts f ON f.reference_id = d.reference_id
    WHERE d.reference_id = $1 ORDER BY d.created_at, d.id`,
  setAnswer: 'UPDATE decisions SET answer = $1 WHERE id = $2 AND answer IS NULL',
  getAcceptance: `SELECT ${ACCEPTANCE_COLUMNS} FROM acceptances WHERE offer_id = $1`,
  acceptancesFor: `SELECT ${ACCEPTANCE_COLUMNS} FROM acceptances WHERE reference_id = $1 ORDER BY id`,
  // Two-key form (class, hash): its own key space, apart from the migration lock's single bigint key.
  lockCheckout: 'SELECT pg_advisory_xact_lock(1, hashtext($1))',
  countAcceptances: 'SELECT COUNT(*) AS n FROM acceptances WHERE reference_id = $1',
  insertAcceptance: `INSERT INTO acceptances (offer_id, reference_id, shop_domain, customer_id, rule_id, arm,
    variant_id, quantity, changes, jti, token, created_at, surface, answer)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
  settleAcceptance: 'UPDATE acceptances SET answer = $1 WHERE offer_id = $2 AND answer IS NULL',
  // The first of the given ids (in their order) that names a checkout of the shop.
  findCheckout: `SELECT c.reference_id AS "referenceId", f.facts FROM unnest($2::text[]) WITH ORDINALITY AS i(id, n)
    JOIN checkouts c ON c.reference_id = i.id AND c.shop_domain = $1
    LEFT JOIN checkout_facts f ON f.reference_id = c.reference_id ORDER BY i.n LIMIT 1`,
  insertEvent: `INSERT INTO events (offer_id, reference_id, shop_domain, customer_id, rule_id, arm, type, status,
    errors, amount, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  eventsFor: `SELECT ${EVENT_COLUMNS} FROM events WHERE reference_id = $1 ORDER BY id`,
  // Retention: SKIP LOCKED lets two instances sweep at once without waiting on each other's batch.
  pruneCheckouts: `WITH old AS (
      SELECT reference_id FROM checkout_facts WHERE created_at < $1 ORDER BY created_at LIMIT $2
      FOR UPDATE SKIP LOCKED
    ), f AS (
      DELETE FROM checkout_facts WHERE reference_id IN (SELECT reference_id FROM old) RETURNING reference_id
    ), d AS (
      UPDATE decisions SET context = NULL WHERE reference_id IN (SELECT reference_id FROM old) AND context IS NOT NULL
    )
    SELECT COUNT(*) AS n FROM f`,
  // Rows copied from a SQLite database stored before the checkouts table carry their facts themselves.
  pruneLegacy: `UPDATE decisions SET facts = NULL WHERE id IN (
      SELECT id FROM decisions WHERE facts IS NOT NULL AND created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  ping: 'SELECT 1'
} as const

type Name = keyof typeof Q

export class PostgresStorage implements Storage {
  constructor(readonly pool: pg.Pool) {}

  /** One named statement on any pooled connection; a database that cannot be reached becomes DATABASE_UNAVAILABLE. */
  private async run<R extends pg.QueryResultRow>(name: Name, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>({ name, text: Q[name], values })
    } catch (err) {
      throw asDatabaseError(err)
    }
  }

  /** `work` inside BEGIN/COMMIT on one connection; a connection that failed is closed, not reused. */
  private async transaction<T>(
    work: (q: <R extends pg.QueryResultRow>(name: Name, values: unknown[]) => Promise<pg.QueryResult<R>>) => Promise<T>
  ): Promise<T> {
    return inTransaction(this.pool, 'BEGIN', (client) =>
      work(<R extends pg.QueryResultRow>(name: Name, values: unknown[]) =>
        client.query<R>({ name, text: Q[name], values })
      )
    )
  }

  async ping(): Promise<boolean> {
    try {
      await this.run('ping', [])
      return true
    } catch {
      return false
    }
  }

  async saveRuleset(hash: string, files: Readonly<Record<string, string>>, count: number): Promise<void> {
    await this.run('insertRuleset', [hash, JSON.stringify(files), count, Date.now()])
  }

  async rulesetFiles(hash: string): Promise<Record<string, string> | null> {
    const { rows } = await this.run<{ files: string }>('getRuleset', [hash])
    return rows[0] ? (JSON.parse(rows[0].files) as Record<string, string>) : null
  }

  async decisionsFor(referenceId: string): Promise<DecisionRow[]> {
    return (await this.run<DecisionRow>('decisionsFor', [referenceId])).rows
  }

  async decision(id: string, referenceId: string): Promise<DecisionRow | undefined> {
    return (await this.run<DecisionRow>('getDecision', [id, referenceId])).rows[0]
  }

  async decisionOfShop(id: string, shopDomain: string): Promise<DecisionRow | undefined> {
    return (await this.run<DecisionRow>('decisionOfShop', [id, shopDomain])).rows[0]
  }

  async decideOnce(checkout: NewCheckout, d: NewDecision): Promise<{ row: DecisionRow; stored: boolean }> {
    const { rowCount } = await this.run('decideOnce', [
      checkout.referenceId,
      checkout.shopDomain,
      checkout.customerId,
      checkout.currency,
      checkout.facts,
      checkout.createdAt,
      d.id,
      d.referenceId,
      d.shopDomain,
      d.customerId,
      d.step,
      d.ruleId,
      d.arm,
      d.holdout,
      d.skipped,
      d.rulesetHash,
      d.context,
      d.offer,
      d.signableUntil,
      d.afterOfferId,
      d.afterOutcome,
      d.answer,
      d.createdAt,
      d.surface ?? 'post_purchase'
    ])
    if (rowCount === 1) {
      const { context: _context, ...row } = d
      return { row: { ...row, surface: d.surface ?? 'post_purchase' }, stored: true }
    }
    // The conflicting insert waited for the winner's commit; this new statement sees it.
    const { rows } = await this.run<DecisionRow>('decisionAtStep', [d.referenceId, d.step])
    const winner = rows[0]
    if (!winner) throw new Error(`decision for ${d.referenceId} step ${d.step} vanished`)
    return { row: winner, stored: false }
  }

  async setAnswer(id: string, answer: 'accepted' | 'declined'): Promise<void> {
    await this.run('setAnswer', [answer, id])
  }

  async findCheckout(shopDomain: string, ids: readonly string[]): Promise<FoundCheckout | undefined> {
    if (ids.length === 0) return undefined
    return (await this.run<FoundCheckout>('findCheckout', [shopDomain, [...ids]])).rows[0]
  }

  async settleAcceptance(offerId: string, answer: string): Promise<void> {
    await this.run('settleAcceptance', [answer, offerId])
  }

  async acceptance(offerId: string): Promise<AcceptanceRow | undefined> {
    return (await this.run<AcceptanceRow>('getAcceptance', [offerId])).rows[0]
  }

  async acceptancesFor(referenceId: string): Promise<AcceptanceRow[]> {
    return (await this.run<AcceptanceRow>('acceptancesFor', [referenceId])).rows
  }

  acceptOnce(row: NewAcceptance, limit: number): Promise<AcceptOutcome> {
    // Every acceptance of one checkout, on any instance, runs one at a time under the lock; the unique offer_id is the
    // last line of defence.
    return this.transaction(async (q): Promise<AcceptOutcome> => {
      await q('lockCheckout', [row.referenceId])
      const existing = (await q<AcceptanceRow>('getAcceptance', [row.offerId])).rows[0]
      if (existing) return { kind: 'existing', row: existing }
      const count = (await q<{ n: number }>('countAcceptances', [row.referenceId])).rows[0]?.n ?? 0
      if (count >= limit) return { kind: 'limit-reached' }
      await q('insertAcceptance', [
        row.offerId,
        row.referenceId,
        row.shopDomain,
        row.customerId,
        row.ruleId,
        row.arm,
        row.variantId,
        row.quantity,
        row.changes,
        row.jti,
        row.token,
        row.createdAt,
        row.surface ?? 'post_purchase',
        row.answer ?? null
      ])
      await q('setAnswer', ['accepted', row.offerId])
      return { kind: 'accepted', row }
    })
  }

  async saveEvent(row: NewEvent): Promise<void> {
    await this.run('insertEvent', [
      row.offerId,
      row.referenceId,
      row.shopDomain,
      row.customerId,
      row.ruleId,
      row.arm,
      row.type,
      row.status,
      row.errors,
      row.amount,
      row.createdAt
    ])
  }

  async eventsFor(referenceId: string): Promise<EventRow[]> {
    return (await this.run<EventRow>('eventsFor', [referenceId])).rows
  }

  async explainableDecisions(referenceId: string): Promise<ExplainableDecision[]> {
    return (await this.run<ExplainableDecision>('explainable', [referenceId])).rows
  }

  async pruneFacts(cutoff: number, batch: number): Promise<number> {
    const refs = (await this.run<{ n: number }>('pruneCheckouts', [cutoff, batch])).rows[0]?.n ?? 0
    if (refs >= batch) return refs
    const legacy = (await this.run('pruneLegacy', [cutoff, batch - refs])).rowCount ?? 0
    return refs + legacy
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
