// The admin API's answers (/admin/stats, /admin/decisions/:id, /admin/rules, which the dashboard reads, and
// /admin/rules/reload), written once as TypeBox schemas with their types derived.
//
// The routes send them as their response schemas (a field missing here is never sent), the server's report is typed
// by them, and the dashboard imports the types only (`import type`), so nothing of typebox reaches its bundle. Like
// wire.ts it imports nothing but `typebox` (and wire.ts's error body). The contract: shared/design/analytics.md, our
// additions in docs/analytics.md. Every field is required, and fast-json-stringify writes them in the order of
// `properties`: the order below is the order on the wire, the one the hand-written schemas these replaced produced.
import { Type, type Static, type TNumber, type TObject, type TString } from 'typebox'
import { ErrorBody } from './wire.js'

/**
 * `T | null` spelled `type: [T's type, 'null']`, not wire.ts's `anyOf`. fast-json-stringify writes a type list
 * directly, but checks every value of an `anyOf` against each branch with Ajv first (1.25 times the time for a report
 * of 200 rows and 20,000 points) and refuses a value no branch accepts: the report's answer stays byte for byte what
 * it was.
 */
const orNull = <T extends TObject | TString | TNumber>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] })

const NullableString = orNull(Type.String())

/** A figure with its 95 % interval (docs/analytics.md: Wilson for rates, the normal approximation for means). */
export const Interval = Type.Object({ value: Type.Number(), low: Type.Number(), high: Type.Number() })
export type Interval = Static<typeof Interval>

/** An arm's figure minus the holdout's (`vsArm`), Welch's interval; `significant` when it excludes 0. */
export const Lift = Type.Object({
  vsArm: Type.String(),
  value: Type.Number(),
  low: Type.Number(),
  high: Type.Number(),
  significant: Type.Boolean()
})
export type Lift = Static<typeof Lift>

/** The buyer's next 30 days, for rules with a holdout: checkouts measured, those left out, later orders. */
export const FollowOn = Type.Object({
  /** Checkouts measured: a known customer and 30 whole days behind them. */
  checkouts: Type.Integer(),
  /** Left out: no customer id, so no later order can be tied to the buyer. */
  excludedGuests: Type.Integer(),
  /** Left out: a known customer, but the checkout is less than 30 days old (its window is not over). */
  excludedRecent: Type.Integer(),
  ordersPerCheckout: orNull(Type.Number()),
  /** Later orders' totals (net of refunds, shop currency) per measured checkout, zeros included. */
  revenuePerCheckout: orNull(Interval),
  lift: orNull(Lift)
})
export type FollowOn = Static<typeof FollowOn>

/** One row of the report: a rule, arm and currency over the range. Counts are of checkouts. */
export const StatsRow = Type.Object({
  ruleId: Type.String(),
  /** Null for a rule without an experiment. */
  arm: NullableString,
  holdout: Type.Boolean(),
  currency: NullableString,
  checkouts: Type.Integer(),
  offers: Type.Integer(),
  views: Type.Integer(),
  accepts: Type.Integer(),
  declines: Type.Integer(),
  /** Funnel: checkouts whose offer the extension reported applied, and those an order webhook confirmed. */
  applied: Type.Integer(),
  confirmed: Type.Integer(),
  acceptRate: orNull(Interval),
  revenue: Type.Number(),
  revenueConfirmed: Type.Number(),
  revenuePerCheckout: orNull(Interval),
  /** Against the holdout arm of the same rule and currency; null for the holdout and rules without one. */
  lift: orNull(Lift),
  verdict: NullableString,
  /** For rules with a holdout (null otherwise). */
  followOn: orNull(FollowOn)
})
export type StatsRow = Static<typeof StatsRow>

/** One bucket (UTC day or hour) of a rule, arm and currency; buckets without checkouts are left out. */
export const SeriesPoint = Type.Object({
  t: Type.String(),
  ruleId: Type.String(),
  arm: NullableString,
  checkouts: Type.Integer(),
  accepts: Type.Integer(),
  revenue: Type.Number(),
  /** Our addition to the contract's point, sent last (as it always was). */
  currency: NullableString
})
export type SeriesPoint = Static<typeof SeriesPoint>

/** The page an offer was made on. */
export const Surface = Type.Enum(['post_purchase', 'thank_you'], { type: 'string' })
export type Surface = Static<typeof Surface>

/** The offers of the report's checkouts made on one page, in one currency. */
export const SurfaceRow = Type.Object({
  surface: Surface,
  currency: NullableString,
  offers: Type.Integer(),
  accepts: Type.Integer(),
  /** Each offer's confirmed amount, else its reported one (as the rows' `revenue`). */
  revenue: Type.Number()
})
export type SurfaceRow = Static<typeof SurfaceRow>

/** `GET /admin/stats` 200: the contract's answer plus `bucket`, the funnel, verdicts, follow-on and `surfaces`. */
export const StatsReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  /** Null when the report covers every shop (the operator without `?shop=`). */
  shop: NullableString,
  bucket: Type.String(),
  rows: Type.Array(StatsRow),
  series: Type.Array(SeriesPoint),
  /** The offers of these checkouts per page they were made on (post-purchase, Thank-you) and currency. */
  surfaces: Type.Array(SurfaceRow)
})
export type StatsReport = Static<typeof StatsReport>

/**
 * `GET /admin/decisions/:id` 200: the decisions of one checkout with their explanations. Each decision is sent as the
 * server builds it (server/offers/explain-decisions.ts; explanations are the rules engine's shape), so it is an open
 * object here.
 */
export const CheckoutDecisions = Type.Object({
  referenceId: Type.String(),
  decisions: Type.Array(Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true })),
  /** Set when the id asked for was an order id. Sent last, as it always was. */
  orderId: NullableString
})
export type CheckoutDecisions = Static<typeof CheckoutDecisions>

/** A finding of the rules loader (server/rules `Diagnostic`): where in which file, and what. */
export const Diagnostic = Type.Object({
  severity: Type.String(),
  code: Type.String(),
  file: Type.String(),
  pointer: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
  message: Type.String()
})
export type Diagnostic = Static<typeof Diagnostic>

/** `GET /admin/rules` 200: the ruleset being served and the warnings of the files it was loaded from. */
export const ServedRuleset = Type.Object({
  hash: Type.String(),
  loadedAt: Type.String(),
  count: Type.Integer(),
  rules: Type.Array(
    Type.Object({
      id: Type.String(),
      priority: Type.Number(),
      enabled: Type.Boolean(),
      /** Arms by id, a holdout's as `<id> (holdout)`. */
      experiment: orNull(Type.Object({ name: Type.String(), arms: Type.Array(Type.String()) }))
    })
  ),
  warnings: Type.Array(Type.Pick(Diagnostic, ['code', 'file', 'line', 'message']))
})
export type ServedRuleset = Static<typeof ServedRuleset>

/** `POST /admin/rules/reload` 200: the ruleset now served and what changed (`unchanged` when its hash is the same). */
export const RulesReloaded = Type.Object({
  ok: Type.Boolean(),
  hash: Type.String(),
  count: Type.Integer(),
  loadedAt: Type.String(),
  unchanged: Type.Boolean(),
  added: Type.Array(Type.String()),
  changed: Type.Array(Type.String()),
  removed: Type.Array(Type.String()),
  warnings: Type.Array(Diagnostic),
  ms: Type.Number()
})
export type RulesReloaded = Static<typeof RulesReloaded>

/** `POST /admin/rules/reload` 422 `RULES_INVALID`: the errors, with the text report; the last good ruleset stays. */
export const RulesReloadFailed = Type.Object({
  error: ErrorBody.properties.error,
  errors: Type.Array(Diagnostic),
  warnings: Type.Array(Diagnostic),
  report: Type.String()
})
export type RulesReloadFailed = Static<typeof RulesReloadFailed>
