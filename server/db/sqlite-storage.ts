// Storage on SQLite (better-sqlite3): raw prepared statements on the hot path, writes batched per turn, one IMMEDIATE
// transaction per acceptance.
import type Database from 'better-sqlite3'
import type { OpenDatabase } from './open-database.js'
import { WriteQueue } from './write-queue.js'
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

// Column lists aliased to the row types' names: better-sqlite3 builds the objects, no per-row mapping afterwards.
const DECISION_COLUMNS = `d.id, d.reference_id AS referenceId, d.shop_domain AS shopDomain, d.customer_id AS customerId,
  d.step, d.rule_id AS ruleId, d.arm, d.holdout, d.skipped, d.ruleset_hash AS rulesetHash, d.offer,
  d.signable_until AS signableUntil, d.after_offer_id AS afterOfferId, d.after_outcome AS afterOutcome, d.answer,
  d.surface, d.created_at AS createdAt`
const ACCEPTANCE_COLUMNS = `id, offer_id AS offerId, reference_id AS referenceId, shop_domain AS shopDomain,
  customer_id AS customerId, rule_id AS ruleId, arm, variant_id AS variantId, quantity, changes, jti, token, surface,
  answer, created_at AS createdAt`
const EVENT_COLUMNS = `id, offer_id AS offerId, reference_id AS referenceId, shop_domain AS shopDomain,
  customer_id AS customerId, rule_id AS ruleId, arm, type, status, errors, amount, created_at AS createdAt`

type RawDecision = Omit<DecisionRow, 'holdout'> & { holdout: number | boolean }

/** SQLite stores booleans as 0/1; the row type says boolean. Mutates in place: the object is ours. */
function decisionRow<T extends RawDecision>(r: T): T & { holdout: boolean } {
  r.holdout = r.holdout === 1 || r.holdout === true
  return r as T & { holdout: boolean }
}

function prepareAll(sqlite: Database.Database) {
  return {
    insertRuleset: sqlite.prepare(
      'INSERT INTO rulesets (hash, files, count, first_served_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'
    ),
    getRuleset: sqlite.prepare('SELECT files FROM rulesets WHERE hash = ?').pluck(),
    insertCheckout: sqlite.prepare(`INSERT INTO checkouts (reference_id, shop_domain, customer_id, currency,
      created_at) VALUES (@referenceId, @shopDomain, @customerId, @currency, @createdAt) ON CONFLICT DO NOTHING`),
    insertFacts: sqlite.prepare(
      'INSERT INTO checkout_facts (reference_id, facts, created_at) VALUES (@referenceId, @facts, @createdAt)'
    ),
    insertDecision: sqlite.prepare(`INSERT INTO decisions (id, reference_id, shop_domain, customer_id, step, rule_id,
      arm, holdout, skipped, ruleset_hash, context, offer, signable_until, after_offer_id, after_outcome, answer,
      surface, created_at) VALUES (@id, @referenceId, @shopDomain, @customerId, @step, @ruleId, @arm, @holdout,
      @skipped, @rulesetHash, @context, @offer, @signableUntil, @afterOfferId, @afterOutcome, @answer, @surface,
      @createdAt)
      ON CONFLICT (reference_id, step) DO NOTHING`),
    decisionAtStep: sqlite.prepare(
      `SELECT ${DECISION_COLUMNS} FROM decisions d WHERE d.reference_id = ? AND d.step = ?`
    ),
    getDecision: sqlite.prepare(`SELECT ${DECISION_COLUMNS} FROM decisions d WHERE d.id = ? AND d.reference_id = ?`),
    decisionOfShop: sqlite.prepare(`SELECT ${DECISION_COLUMNS} FROM decisions d WHERE d.id = ? AND d.shop_domain = ?`),
    decisionsFor: sqlite.prepare(
      `SELECT ${DECISION_COLUMNS} FROM decisions d WHERE d.reference_id = ? ORDER BY d.created_at, d.id`
    ),
    explainable: sqlite.prepare(`SELECT ${DECISION_COLUMNS}, f.facts AS inputData, d.context,
      d.facts AS legacyFacts FROM decisions d LEFT JOIN checkout_facts f ON f.reference_id = d.reference_id
      WHERE d.reference_id = ? ORDER BY d.created_at, d.id`),
    setAnswer: sqlite.prepare('UPDATE decisions SET answer = ? WHERE id = ? AND answer IS NULL'),
    getAcceptance: sqlite.prepare(`SELECT ${ACCEPTANCE_COLUMNS} FROM acceptances WHERE offer_id = ?`),
    acceptancesFor: sqlite.prepare(`SELECT ${ACCEPTANCE_COLUMNS} FROM acceptances WHERE reference_id = ? ORDER BY id`),
    countAcceptances: sqlite.prepare('SELECT COUNT(*) FROM acceptances WHERE reference_id = ?').pluck(),
    insertAcceptance: sqlite.prepare(`INSERT INTO acceptances (offer_id, reference_id, shop_domain, customer_id,
      rule_id, arm, variant_id, quantity, changes, jti, token, surface, answer, created_at) VALUES (@offerId,
      @referenceId, @shopDomain, @customerId, @ruleId, @arm, @variantId, @quantity, @changes, @jti, @token, @surface,
      @answer, @createdAt)`),
    settleAcceptance: sqlite.prepare('UPDATE acceptances SET answer = ? WHERE offer_id = ? AND answer IS NULL'),
    // A few ids at most (an order's id, number, confirmation number, tokens): one primary-key look-up each.
    findCheckout: sqlite.prepare(`SELECT c.reference_id AS referenceId, f.facts FROM checkouts c
      LEFT JOIN checkout_facts f ON f.reference_id = c.reference_id WHERE c.reference_id = ? AND c.shop_domain = ?`),
    insertEvent: sqlite.prepare(`INSERT INTO events (offer_id, reference_id, shop_domain, customer_id, rule_id, arm,
      type, status, errors, amount, created_at) VALUES (@offerId, @referenceId, @shopDomain, @customerId, @ruleId,
      @arm, @type, @status, @errors, @amount, @createdAt)`),
    eventsFor: sqlite.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE reference_id = ? ORDER BY id`),
    // Retention: the oldest checkout facts first. They are inserted in time order, so the lowest rowids are the
    // oldest: the batch stops at the first one still within the retention period, never scanning the rest.
    oldestFacts: sqlite.prepare(
      'SELECT rowid, reference_id AS ref, created_at AS at FROM checkout_facts ORDER BY rowid LIMIT ?'
    ),
    deleteFacts: sqlite.prepare('DELETE FROM checkout_facts WHERE rowid = ?'),
    pruneDecisions: sqlite.prepare(
      'UPDATE decisions SET context = NULL WHERE reference_id = ? AND context IS NOT NULL'
    ),
    // Rows stored before the checkouts table carry their facts themselves (a partial index finds them).
    oldLegacyDecisions: sqlite
      .prepare('SELECT rowid FROM decisions WHERE facts IS NOT NULL AND created_at < ? LIMIT ?')
      .pluck(),
    pruneLegacyDecision: sqlite.prepare('UPDATE decisions SET facts = NULL WHERE rowid = ?')
  }
}

export class SqliteStorage implements Storage {
  readonly queue: WriteQueue
  private readonly q: ReturnType<typeof prepareAll>
  private readonly sqlite: Database.Database

  constructor(handle: OpenDatabase) {
    this.sqlite = handle.sqlite
    this.q = prepareAll(handle.sqlite)
    this.queue = new WriteQueue(handle.sqlite)
  }

  async saveRuleset(hash: string, files: Readonly<Record<string, string>>, count: number): Promise<void> {
    this.q.insertRuleset.run(hash, JSON.stringify(files), count, Date.now())
  }

  async rulesetFiles(hash: string): Promise<Record<string, string> | null> {
    const files = this.q.getRuleset.get(hash) as string | undefined
    return files === undefined ? null : (JSON.parse(files) as Record<string, string>)
  }

  async decisionsFor(referenceId: string): Promise<DecisionRow[]> {
    const rows = this.q.decisionsFor.all(referenceId) as RawDecision[]
    for (const r of rows) decisionRow(r)
    return rows as DecisionRow[]
  }

  async decision(id: string, referenceId: string): Promise<DecisionRow | undefined> {
    const r = this.q.getDecision.get(id, referenceId) as RawDecision | undefined
    return r && decisionRow(r)
  }

  async decisionOfShop(id: string, shopDomain: string): Promise<DecisionRow | undefined> {
    this.queue.flush()
    const r = this.q.decisionOfShop.get(id, shopDomain) as RawDecision | undefined
    return r && decisionRow(r)
  }

  decideOnce(checkout: NewCheckout, decision: NewDecision): Promise<{ row: DecisionRow; stored: boolean }> {
    return this.queue.enqueue(() => {
      const { facts: _facts, ...columns } = checkout
      // The first decision of a checkout brings its facts; later ones find them stored.
      if (this.q.insertCheckout.run(columns).changes === 1) this.q.insertFacts.run(checkout)
      const surface = decision.surface ?? 'post_purchase'
      const { changes } = this.q.insertDecision.run({ ...decision, surface, holdout: decision.holdout ? 1 : 0 })
      if (changes === 1) {
        const { context: _context, ...row } = decision
        return { row: { ...row, surface }, stored: true }
      }
      const winner = this.q.decisionAtStep.get(decision.referenceId, decision.step) as RawDecision
      return { row: decisionRow(winner), stored: false }
    })
  }

  setAnswer(id: string, answer: 'accepted' | 'declined'): Promise<void> {
    return this.queue.enqueue(() => {
      this.q.setAnswer.run(answer, id)
    })
  }

  async findCheckout(shopDomain: string, ids: readonly string[]): Promise<FoundCheckout | undefined> {
    this.queue.flush() // a checkout decided in this turn is found
    for (const id of ids) {
      const hit = this.q.findCheckout.get(id, shopDomain) as FoundCheckout | undefined
      if (hit) return hit
    }
    return undefined
  }

  settleAcceptance(offerId: string, answer: string): Promise<void> {
    return this.queue.enqueue(() => {
      this.q.settleAcceptance.run(answer, offerId)
    })
  }

  async acceptance(offerId: string): Promise<AcceptanceRow | undefined> {
    return this.q.getAcceptance.get(offerId) as AcceptanceRow | undefined
  }

  async acceptancesFor(referenceId: string): Promise<AcceptanceRow[]> {
    return this.q.acceptancesFor.all(referenceId) as AcceptanceRow[]
  }

  async acceptOnce(row: NewAcceptance, limit: number): Promise<AcceptOutcome> {
    this.queue.flush() // decisions and answers queued in this turn land first
    return this.sqlite
      .transaction((): AcceptOutcome => {
        const existing = this.q.getAcceptance.get(row.offerId) as AcceptanceRow | undefined
        if (existing) return { kind: 'existing', row: existing }
        if ((this.q.countAcceptances.get(row.referenceId) as number) >= limit) return { kind: 'limit-reached' }
        this.q.insertAcceptance.run({ ...row, surface: row.surface ?? 'post_purchase', answer: row.answer ?? null })
        this.q.setAnswer.run('accepted', row.offerId)
        return { kind: 'accepted', row }
      })
      .immediate()
  }

  saveEvent(row: NewEvent): Promise<void> {
    return this.queue.enqueue(() => {
      this.q.insertEvent.run(row)
    })
  }

  async eventsFor(referenceId: string): Promise<EventRow[]> {
    return this.q.eventsFor.all(referenceId) as EventRow[]
  }

  async explainableDecisions(referenceId: string): Promise<ExplainableDecision[]> {
    const rows = this.q.explainable.all(referenceId) as (RawDecision & ExplainableDecision)[]
    return rows.map(decisionRow)
  }

  async pruneFacts(cutoff: number, batch: number): Promise<number> {
    this.queue.flush()
    return this.sqlite.transaction(() => {
      let pruned = 0
      for (const f of this.q.oldestFacts.all(batch) as { rowid: number; ref: string; at: number }[]) {
        if (f.at >= cutoff) break
        this.q.deleteFacts.run(f.rowid)
        this.q.pruneDecisions.run(f.ref)
        pruned++
      }
      const legacy = this.q.oldLegacyDecisions.all(cutoff, batch - pruned) as number[]
      for (const rowid of legacy) this.q.pruneLegacyDecision.run(rowid)
      return pruned + legacy.length
    })()
  }

  /** An embedded file is there as long as the process is. */
  async ping(): Promise<boolean> {
    return true
  }

  /** SQLite only: commits what is queued now (webhooks that delete rows must see every acknowledged write). */
  flush(): void {
    this.queue.flush()
  }

  async close(): Promise<void> {
    this.queue.flush()
    this.sqlite.close()
  }
}
