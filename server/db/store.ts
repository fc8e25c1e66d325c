// Every query the offer service runs, prepared once (drizzle's builder per call costs ~100 µs, a prepared one ~6 µs).
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { acceptances, decisions, events, rulesets } from './schema.js'
import type { OpenDatabase } from './open-database.js'
import { WriteQueue } from './write-queue.js'

export type DecisionRow = typeof decisions.$inferSelect
export type AcceptanceRow = typeof acceptances.$inferSelect
export type EventRow = typeof events.$inferSelect
export type NewDecision = typeof decisions.$inferInsert
export type NewAcceptance = typeof acceptances.$inferInsert
export type NewEvent = typeof events.$inferInsert

const p = sql.placeholder

function prepareAll({ db }: OpenDatabase) {
  return {
    insertRuleset: db
      .insert(rulesets)
      .values({ hash: p('hash'), files: p('files'), count: p('count'), firstServedAt: p('firstServedAt') })
      .onConflictDoNothing()
      .prepare(),
    getRuleset: db
      .select()
      .from(rulesets)
      .where(eq(rulesets.hash, p('hash')))
      .prepare(),
    insertDecision: db
      .insert(decisions)
      .values({
        id: p('id'),
        referenceId: p('referenceId'),
        shopDomain: p('shopDomain'),
        customerId: p('customerId'),
        ruleId: p('ruleId'),
        arm: p('arm'),
        holdout: p('holdout'),
        skipped: p('skipped'),
        rulesetHash: p('rulesetHash'),
        facts: p('facts'),
        evaluatedAt: p('evaluatedAt'),
        offer: p('offer'),
        signableUntil: p('signableUntil'),
        afterOfferId: p('afterOfferId'),
        afterOutcome: p('afterOutcome'),
        answer: p('answer'),
        createdAt: p('createdAt')
      })
      .prepare(),
    getDecision: db
      .select()
      .from(decisions)
      .where(and(eq(decisions.id, p('id')), eq(decisions.referenceId, p('referenceId'))))
      .prepare(),
    decisionsFor: db
      .select()
      .from(decisions)
      .where(eq(decisions.referenceId, p('referenceId')))
      .orderBy(asc(decisions.createdAt), asc(decisions.id))
      .prepare(),
    setAnswer: db
      .update(decisions)
      .set({ answer: sql`${p('answer')}` })
      .where(and(eq(decisions.id, p('id')), isNull(decisions.answer)))
      .prepare(),
    getAcceptance: db
      .select()
      .from(acceptances)
      .where(eq(acceptances.offerId, p('offerId')))
      .prepare(),
    acceptancesFor: db
      .select()
      .from(acceptances)
      .where(eq(acceptances.referenceId, p('referenceId')))
      .orderBy(asc(acceptances.id))
      .prepare(),
    insertAcceptance: db
      .insert(acceptances)
      .values({
        offerId: p('offerId'),
        referenceId: p('referenceId'),
        shopDomain: p('shopDomain'),
        customerId: p('customerId'),
        ruleId: p('ruleId'),
        arm: p('arm'),
        variantId: p('variantId'),
        quantity: p('quantity'),
        changes: p('changes'),
        jti: p('jti'),
        token: p('token'),
        createdAt: p('createdAt')
      })
      .prepare(),
    insertEvent: db
      .insert(events)
      .values({
        offerId: p('offerId'),
        referenceId: p('referenceId'),
        shopDomain: p('shopDomain'),
        customerId: p('customerId'),
        ruleId: p('ruleId'),
        arm: p('arm'),
        type: p('type'),
        status: p('status'),
        errors: p('errors'),
        amount: p('amount'),
        createdAt: p('createdAt')
      })
      .prepare(),
    eventsFor: db
      .select()
      .from(events)
      .where(eq(events.referenceId, p('referenceId')))
      .orderBy(asc(events.id))
      .prepare()
  }
}

/** The offer service's storage: synchronous reads, batched durable writes, one transaction for signing. */
export class Store {
  readonly queue: WriteQueue
  private readonly q: ReturnType<typeof prepareAll>
  readonly handle: OpenDatabase

  constructor(handle: OpenDatabase) {
    this.handle = handle
    this.q = prepareAll(handle)
    this.queue = new WriteQueue(handle.sqlite)
  }

  saveRuleset(hash: string, files: Readonly<Record<string, string>>, count: number): void {
    this.q.insertRuleset.run({ hash, files: JSON.stringify(files), count, firstServedAt: Date.now() })
  }

  rulesetFiles(hash: string): Record<string, string> | null {
    const row = this.q.getRuleset.get({ hash })
    return row ? (JSON.parse(row.files) as Record<string, string>) : null
  }

  /** Resolves once the decision is committed. */
  saveDecision(row: Required<NewDecision>): Promise<void> {
    return this.queue.enqueue(() => {
      this.q.insertDecision.run({ ...row, holdout: row.holdout ? 1 : 0 } as unknown as Record<string, unknown>)
    })
  }

  decision(id: string, referenceId: string): DecisionRow | undefined {
    return this.q.getDecision.get({ id, referenceId })
  }

  /** A checkout's decisions, oldest first (a handful at most): one indexed query serves every per-checkout look-up. */
  decisionsFor(referenceId: string): DecisionRow[] {
    return this.q.decisionsFor.all({ referenceId })
  }

  /** Records the buyer's answer once; later answers are kept as events only. */
  setAnswer(id: string, answer: 'accepted' | 'declined'): Promise<void> {
    return this.queue.enqueue(() => {
      this.q.setAnswer.run({ id, answer })
    })
  }

  acceptance(offerId: string): AcceptanceRow | undefined {
    return this.q.getAcceptance.get({ offerId })
  }

  acceptancesFor(referenceId: string): AcceptanceRow[] {
    return this.q.acceptancesFor.all({ referenceId })
  }

  saveEvent(row: Omit<Required<NewEvent>, 'id'>): Promise<void> {
    return this.queue.enqueue(() => {
      this.q.insertEvent.run(row as unknown as Record<string, unknown>)
    })
  }

  eventsFor(referenceId: string): EventRow[] {
    return this.q.eventsFor.all({ referenceId })
  }

  /**
   * Runs `decide` and the insert of its outcome in one synchronous transaction, committed before returning:
   * the 3-acceptance limit and the one-acceptance-per-offer rule cannot race.
   */
  acceptAtomically<T>(decide: () => { row: Omit<Required<NewAcceptance>, 'id'>; result: T } | { result: T }): T {
    this.queue.flush() // decisions and answers queued in this turn land first
    return this.handle.sqlite
      .transaction(() => {
        const out = decide()
        if ('row' in out) {
          this.q.insertAcceptance.run(out.row as unknown as Record<string, unknown>)
          this.q.setAnswer.run({ id: out.row.offerId, answer: 'accepted' })
        }
        return out.result
      })
      .immediate()
  }

  close(): void {
    this.queue.flush()
    this.handle.sqlite.close()
  }
}
