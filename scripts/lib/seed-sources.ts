// The analytics' source rows (checkouts, decisions, acceptances, events) written straight into a migrated SQLite
// file, far faster than through the service: bench:stats seeds a million of them, the roll-up tests random traffic.
import type Database from 'better-sqlite3'

/** A repeatable pseudo-random sequence in [0, 1) (a linear congruential generator): the same seed, the same rows. */
export function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x80000000
  }
}

export type SeedDecision = {
  id: string
  ref: string
  shop: string
  customer: string | null
  rule: string
  arm: string | null
  holdout: boolean
  /** The stored offer's JSON, or null for a decision without an offer. */
  offer: string | null
  /** The offer this step follows in a chain, and how the buyer answered it; null for the checkout's first step. */
  after: { offerId: string; outcome: 'accepted' | 'declined' } | null
  at: number
}

/** Writers of the rows the offer service stores, with the columns the analytics do not read left empty. */
export function sourceWriters(sqlite: Database.Database) {
  const checkout = sqlite.prepare(
    'INSERT INTO checkouts (reference_id, shop_domain, customer_id, currency, created_at) VALUES (?, ?, ?, ?, ?)'
  )
  const decision = sqlite.prepare(`INSERT INTO decisions (id, reference_id, shop_domain, customer_id, step, rule_id,
    arm, holdout, skipped, ruleset_hash, context, facts, offer, signable_until, after_offer_id, after_outcome, answer,
    created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'seed', NULL, NULL, ?, NULL, ?, ?, NULL, ?)`)
  const acceptance = sqlite.prepare(`INSERT INTO acceptances (offer_id, reference_id, shop_domain, customer_id,
    rule_id, arm, variant_id, quantity, changes, jti, token, created_at)
    VALUES (?, ?, ?, NULL, ?, ?, 1, 1, '[]', '', '', ?)`)
  const event = sqlite.prepare(`INSERT INTO events (offer_id, reference_id, shop_domain, customer_id, rule_id, arm,
    type, status, errors, amount, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, NULL, NULL, ?, ?)`)
  return {
    /** A decision as the service stores it: the checkout's row (with its currency) with the first step only. */
    decision(d: SeedDecision, currency: string): void {
      if (d.after === null) checkout.run(d.ref, d.shop, d.customer, currency, d.at)
      const step = d.after === null ? 's:' : `a:${d.after.offerId}`
      decision.run(
        d.id,
        d.ref,
        d.shop,
        d.customer,
        step,
        d.rule,
        d.arm,
        d.holdout ? 1 : 0,
        d.offer,
        d.after?.offerId ?? null,
        d.after?.outcome ?? null,
        d.at
      )
    },
    /** An accepted offer (the decision's id is the offer's). */
    acceptance(o: { id: string; ref: string; shop: string; rule: string; arm: string | null }, at: number): void {
      acceptance.run(o.id, o.ref, o.shop, o.rule, o.arm, at)
    },
    /** What the extension reported of an offer: viewed, declined, applied (with the amount charged)... */
    event(
      o: { id: string; ref: string; shop: string; rule: string; arm: string | null },
      type: string,
      amount: string | null,
      at: number
    ): void {
      event.run(o.id, o.ref, o.shop, o.rule, o.arm, type, amount, at)
    }
  }
}
