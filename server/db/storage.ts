// The offer service's storage, as the offer logic sees it: every method returns a Promise so another database can
// implement it.

/** The page a decision or an acceptance was for (the rules' `surface` fact). */
export type Surface = 'post_purchase' | 'thank_you'

/** A decision as the hot path reads it: everything but the facts. */
export type DecisionRow = {
  id: string
  referenceId: string
  shopDomain: string
  customerId: string | null
  step: string | null
  ruleId: string | null
  arm: string | null
  holdout: boolean
  skipped: string | null
  rulesetHash: string
  offer: string | null
  signableUntil: number | null
  afterOfferId: string | null
  afterOutcome: string | null
  answer: string | null
  surface: Surface
  createdAt: number
}

/** A decision with the facts to explain it again: the checkout's input_data and the decision's own context. */
export type ExplainableDecision = DecisionRow & {
  /** JSON of input_data, or null once pruned. */
  inputData: string | null
  /** JSON `{ history?, catalog?, only? }` or null. */
  context: string | null
  /** Legacy rows only: the full facts as stored before the checkouts table. */
  legacyFacts: string | null
}

/** `surface` defaults to 'post_purchase' (every decision before the Thank-you page). */
export type NewDecision = Omit<DecisionRow, 'step' | 'surface'> & {
  step: string
  context: string | null
  surface?: Surface
}

/** The checkout's facts, written with its first decision and never rewritten. */
export type NewCheckout = {
  referenceId: string
  shopDomain: string
  customerId: string | null
  currency: string | null
  /** JSON of the verified input_data. */
  facts: string
  createdAt: number
}

export type AcceptanceRow = {
  id: number
  offerId: string
  referenceId: string
  shopDomain: string
  customerId: string | null
  ruleId: string
  arm: string | null
  variantId: number
  quantity: number
  /** JSON: the `changes` claim signed. */
  changes: string
  /** Thank-you page: the idempotency key of the order edit (a UUID, like a changeset's jti). */
  jti: string
  /** Post-purchase: the changeset JWT; '' on the Thank-you page. */
  token: string
  surface: Surface
  /** Thank-you page: JSON of the final answer once Shopify settled it; null before (and on post-purchase). */
  answer: string | null
  createdAt: number
}
/** `surface` defaults to 'post_purchase', `answer` to null. */
export type NewAcceptance = Omit<AcceptanceRow, 'id' | 'surface' | 'answer'> & {
  surface?: Surface
  answer?: string | null
}

/** A stored checkout found by one of its ids, with its facts (null once retention pruned them). */
export type FoundCheckout = { referenceId: string; facts: string | null }

export type EventRow = {
  id: number
  offerId: string
  referenceId: string
  shopDomain: string
  customerId: string | null
  ruleId: string | null
  arm: string | null
  type: string
  status: string | null
  /** JSON array of {code, message}, or null. */
  errors: string | null
  amount: string | null
  createdAt: number
}
export type NewEvent = Omit<EventRow, 'id'>

/** What acceptOnce did: stored this acceptance, found one already stored for the offer, or refused at the limit. */
export type AcceptOutcome =
  { kind: 'accepted'; row: NewAcceptance } | { kind: 'existing'; row: AcceptanceRow } | { kind: 'limit-reached' }

/**
 * The guarantees live here, not in callers' memory, so several processes on one database keep them:
 * `decideOnce` stores one decision per checkout step (a unique (reference_id, step)), `acceptOnce` one acceptance per
 * offer and at most `limit` per checkout (one transaction). Every write resolves once committed.
 */
export interface Storage {
  saveRuleset(hash: string, files: Readonly<Record<string, string>>, count: number): Promise<void>
  /** A ruleset served before, by hash (null when unknown). */
  rulesetFiles(hash: string): Promise<Record<string, string> | null>

  /** A checkout's decisions, oldest first, without facts (the hot path). */
  decisionsFor(referenceId: string): Promise<DecisionRow[]>
  /** One decision of one checkout (an offer id from another checkout finds nothing). */
  decision(id: string, referenceId: string): Promise<DecisionRow | undefined>
  /** The Thank-you page: one decision of one shop by its id (an offer id from another shop finds nothing). */
  decisionOfShop(id: string, shopDomain: string): Promise<DecisionRow | undefined>
  /**
   * Stores `decision` for its step unless the checkout already has one for that step, and the checkout's facts with
   * its first decision. Returns the stored decision for the step: this one, or the one that was there first.
   */
  decideOnce(checkout: NewCheckout, decision: NewDecision): Promise<{ row: DecisionRow; stored: boolean }>
  /** Records the buyer's answer once; later answers are kept as events only. */
  setAnswer(id: string, answer: 'accepted' | 'declined'): Promise<void>
  /**
   * The Thank-you page: the stored checkout of `shopDomain` whose reference id is one of `ids` (Shopify may name an
   * order's checkout by several ids), the first of `ids` that matches; undefined when none does.
   */
  findCheckout(shopDomain: string, ids: readonly string[]): Promise<FoundCheckout | undefined>

  acceptance(offerId: string): Promise<AcceptanceRow | undefined>
  acceptancesFor(referenceId: string): Promise<AcceptanceRow[]>
  /**
   * Stores the acceptance and marks its decision accepted, unless the offer is accepted already (returns that one) or
   * the checkout has `limit` acceptances; atomic against every other caller.
   */
  acceptOnce(row: NewAcceptance, limit: number): Promise<AcceptOutcome>
  /** The Thank-you page: the final answer of an acceptance (JSON), written once; later calls change nothing. */
  settleAcceptance(offerId: string, answer: string): Promise<void>

  saveEvent(row: NewEvent): Promise<void>
  eventsFor(referenceId: string): Promise<EventRow[]>

  /** A checkout's decisions with their facts, oldest first (for /admin/decisions, never the hot path). */
  explainableDecisions(referenceId: string): Promise<ExplainableDecision[]>
  /**
   * Retention: deletes the facts (input_data, and the decisions' context) of at most `batch` checkouts created
   * before `cutoff`, keeping the checkout, decision, acceptance and event rows that counts and revenue need.
   * Returns how many were pruned (fewer than `batch`: nothing old is left).
   */
  pruneFacts(cutoff: number, batch: number): Promise<number>

  /** Whether the database answers now (GET /health); never throws. */
  ping(): Promise<boolean>

  /** Commits pending writes and releases the database. */
  close(): Promise<void>
}
