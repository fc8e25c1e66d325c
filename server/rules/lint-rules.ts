// Warnings `check` prints without failing: ties, unknown facts and paths, operator/type mismatches,
// broken or looping chains, weights, ended schedules, offers of products already in the cart,
// variant labels no picker shows.
import { leafKeys, requiredLeaves } from './candidate-index.js'
import { walkConditions } from './condition-walk.js'
import { describeShape, FACT_SHAPES, resolveShape, type Shape } from './fact-shapes.js'
import { splitOperator } from './operators.js'
import { mergedOffer } from './resolve-offer.js'
import { didYouMean } from './suggest.js'
import { diagnostic, escapePointer, type ParsedFile } from './parse-json.js'
import type {
  ConditionNode,
  Diagnostic,
  LeafCondition,
  NamedCondition,
  OfferSpec,
  RuleSpec,
  VariantLabels
} from './types.js'

const NUMERIC = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'between'])
const ARRAY_FACT = new Set(['contains', 'doesNotContain', 'containsAny', 'containsAll', 'containsNone'])
const ARRAY_VALUE = new Set(['in', 'notIn', 'containsAny', 'containsAll', 'containsNone'])

type Warn = (file: string, code: string, pointer: string, message: string) => void

const typeOfValue = (v: unknown): string => (v === null ? 'null' : typeof v)
const fits = (s: Shape, v: unknown): boolean =>
  s.t === 'scalar'
    ? (s.types as string[]).includes(typeOfValue(v))
    : s.t === 'array'
      ? Array.isArray(v)
      : typeof v === 'object'

function lintLeaf(file: string, c: LeafCondition, pointer: string, warn: Warn): void {
  const where = c.path ? `${c.fact} ${c.path}` : c.fact
  const r = resolveShape(c.fact, c.path)
  if (r === null) {
    warn(
      file,
      'UNKNOWN_FACT',
      `${pointer}/fact`,
      `unknown fact "${c.fact}"${didYouMean(c.fact, Object.keys(FACT_SHAPES))}; expected one of: ${Object.keys(FACT_SHAPES).join(', ')} (it will be undefined at run time)`
    )
    return
  }
  if (r.ok === false) {
    warn(
      file,
      'UNKNOWN_PATH',
      `${pointer}/path`,
      `path ${c.path} does not exist in fact "${c.fact}" (no "${r.missing}")${didYouMean(r.missing, r.known)}${r.known.length ? `; expected one of: ${r.known.join(', ')}` : ''}`
    )
    return
  }
  if (r.ok !== true) return
  const s = r.shape
  const { base, decorators } = splitOperator(c.operator)
  const isRef =
    c.value !== null && typeof c.value === 'object' && !Array.isArray(c.value) && 'fact' in (c.value as object)
  const mismatch = (why: string) =>
    warn(file, 'OPERATOR_TYPE', `${pointer}/operator`, `${why} (${where} is ${describeShape(s)})`)
  if (decorators.length > 0) {
    if ((decorators[0] === 'someFact' || decorators[0] === 'everyFact') && s.t !== 'array')
      mismatch(`"${c.operator}" needs an array fact`)
    return
  }
  const scalarTypes = s.t === 'scalar' ? s.types : []
  // ISO times compare correctly as strings: `now greaterThan "2026-11-20T00:00:00Z"` is fine.
  if (c.fact === 'now' && !c.path && typeof c.value === 'string' && NUMERIC.has(base) && base !== 'between') return
  if (NUMERIC.has(base) && !scalarTypes.includes('number')) return mismatch(`"${base}" compares numbers`)
  if (ARRAY_FACT.has(base) && s.t !== 'array') return mismatch(`"${base}" needs an array fact`)
  if ((base === 'in' || base === 'notIn') && s.t !== 'scalar')
    return mismatch(`"${base}" tests one value against a list; for an array fact use containsAny or containsNone`)
  if ((base === 'equal' || base === 'notEqual') && s.t !== 'scalar')
    return mismatch(`"${base}" compares single values; an array or object never equals a value`)
  if (isRef) return
  // The value's type against the fact's: [632910392] never matches "632910392".
  const elementShape = s.t === 'array' ? s.items : s
  const values: unknown[] =
    ARRAY_VALUE.has(base) && Array.isArray(c.value)
      ? c.value
      : base === 'between' && Array.isArray(c.value)
        ? c.value
        : [c.value]
  const oneOf = elementShape.t === 'scalar' ? elementShape.oneOf : undefined
  const bad = values.find(
    (v) =>
      !(NUMERIC.has(base) ? typeof v === 'number' : fits(elementShape, v)) ||
      (oneOf !== undefined && typeof v === 'string' && !oneOf.includes(v))
  )
  if (bad !== undefined) {
    warn(
      file,
      'OPERATOR_TYPE',
      `${pointer}/value`,
      oneOf !== undefined && typeof bad === 'string'
        ? `value ${JSON.stringify(bad)} is not one ${where} takes: ${describeShape(elementShape)}${didYouMean(bad, [...oneOf])}; the condition can never hold as intended`
        : `value ${JSON.stringify(bad)} is ${typeOfValue(bad)}, but ${where} holds ${describeShape(s)}: the condition can never hold as intended`
    )
  }
}

/** Rule ids a `next` chain can reach from `start`, to find loops. */
function chainLoop(start: RuleSpec, byId: Map<string, RuleSpec>): string[] | null {
  const path: string[] = []
  const visit = (id: string): string[] | null => {
    if (id === start.id && path.length > 0) return [...path, id]
    if (path.includes(id)) return null
    const r = byId.get(id)
    if (!r) return null
    path.push(id)
    for (const n of [r.next.onAccept, r.next.onDecline]) {
      if (n) {
        const found = visit(n)
        if (found) return found
      }
    }
    path.pop()
    return null
  }
  return visit(start.id)
}

/** The variants an offer's picker shows: its allow-list, or the offered variant alone. */
const allowList = (offer: OfferSpec): number[] =>
  offer.variants && offer.variants.length > 0 ? offer.variants : [offer.variantId]

/** Labels (base or translated) of variants outside the allow-list: resolving the offer drops them unseen. */
function lintVariantLabels(r: RuleSpec, warn: Warn): void {
  const check = (offer: Partial<OfferSpec>, pointer: string, shown: readonly number[], whose: string) => {
    type Source = [pointer: string, labels: VariantLabels | undefined]
    const sources: Source[] = [
      [pointer, offer.variantLabels],
      ...Object.entries(offer.translations ?? {}).map(([locale, tr]): Source => [
        `${pointer}/translations/${escapePointer(locale)}`,
        tr.variantLabels
      ])
    ]
    for (const [at, labels] of sources) {
      for (const key of Object.keys(labels ?? {})) {
        if (shown.includes(Number(key))) continue
        warn(
          r.file,
          'VARIANT_LABEL_NOT_OFFERED',
          `${at}/variantLabels/${escapePointer(key)}`,
          `variantLabels names variant ${key}, which is not in ${whose} allow-list (${shown.join(', ')}); expected an id from "variants" (or variantId when there is none): the label is never shown`
        )
      }
    }
  }
  const arms = r.experiment?.arms ?? []
  // An arm merges over the base labels: a base label is in use as soon as any arm's picker shows its variant.
  const shownByAnyArm = [...new Set([r.offer, ...arms.map((a) => mergedOffer(r, a))].flatMap(allowList))]
  check(r.offer, '/offer', shownByAnyArm, arms.length > 0 ? "the offer's (or any arm's)" : "the offer's")
  arms.forEach((arm, i) => {
    if (arm.offer) check(arm.offer, `/experiment/arms/${i}/offer`, allowList(mergedOffer(r, arm)), `arm "${arm.id}"'s`)
  })
}

type Keys = NonNullable<ReturnType<typeof leafKeys>>[]

/** Two rules cannot match the same checkout when they require disjoint countries. */
function disjoint(ka: Keys, kb: Keys): boolean {
  return ka.some(
    (x) => x.kind === 'country' && kb.some((y) => y.kind === 'country' && !x.values.some((v) => y.values.includes(v)))
  )
}

/** Pairwise tie analysis is quadratic: past this group size, ties are reported without it. */
const TIE_ANALYSIS_LIMIT = 200

export function lintRules(
  rules: readonly RuleSpec[],
  conditions: Readonly<Record<string, NamedCondition>>,
  parsed: ReadonlyMap<string, ParsedFile>,
  now: Date,
  /** Ids of every offer file, valid or not: a broken file is not a missing rule. */
  knownIds: ReadonlySet<string> = new Set(rules.map((r) => r.id))
): Diagnostic[] {
  const out: Diagnostic[] = []
  const warn: Warn = (file, code, pointer, message) => {
    const p = parsed.get(file)
    if (p) out.push(diagnostic(p, 'warning', code, pointer, message))
  }
  const byId = new Map(rules.map((r) => [r.id, r]))

  const lintTree = (file: string, node: ConditionNode) => {
    for (const v of walkConditions(node, '/conditions')) if (v.kind === 'leaf') lintLeaf(file, v.node, v.pointer, warn)
  }
  for (const r of rules) lintTree(r.file, r.conditions)
  for (const name of Object.keys(conditions))
    lintTree(`conditions/${name}.json`, (conditions[name] as NamedCondition).conditions)

  const enabled = rules.filter((r) => r.enabled)
  for (const r of rules) {
    for (const [key, target] of [
      ['onAccept', r.next.onAccept],
      ['onDecline', r.next.onDecline]
    ] as const) {
      if (target && !knownIds.has(target))
        warn(
          r.file,
          'NEXT_MISSING',
          `/next/${key}`,
          `next.${key} names "${target}", which is not a rule${didYouMean(target, byId.keys())}; expected an id from rules/offers`
        )
    }
    const loop = chainLoop(r, byId)
    if (loop)
      warn(
        r.file,
        'NEXT_LOOP',
        '/next',
        `next chains loop: ${loop.join(' -> ')} (history stops repeats, but the chain is likely a mistake)`
      )
    if (r.experiment) {
      const sum = r.experiment.arms.reduce((n, a) => n + a.weight, 0)
      if (Math.abs(sum - 100) > 1e-9)
        warn(
          r.file,
          'WEIGHTS_SUM',
          '/experiment/arms',
          `arm weights sum to ${sum}; expected 100 (they are used proportionally)`
        )
    }
    if (r.schedule?.until && Date.parse(r.schedule.until) < now.getTime()) {
      warn(
        r.file,
        'SCHEDULE_ENDED',
        '/schedule/until',
        `the schedule ended at ${r.schedule.until}: this rule is never offered any more`
      )
    }
    const inCart = requiredLeaves(r.conditions, conditions)
      .map(leafKeys)
      .filter((k) => k !== null && k.kind !== 'country')
      .find((k) =>
        k?.kind === 'product' ? k.values.includes(r.offer.productId) : k?.values.includes(r.offer.variantId)
      )
    if (inCart) {
      warn(
        r.file,
        'OFFER_IN_CART',
        '/offer',
        `the offered ${inCart.kind} is one the conditions require in the cart: the buyer already has it`
      )
    }
    lintVariantLabels(r, warn)
  }

  // Ties among enabled rules that could match the same checkout.
  const byPriority = new Map<number, RuleSpec[]>()
  for (const r of enabled) byPriority.set(r.priority, [...(byPriority.get(r.priority) ?? []), r])
  for (const group of byPriority.values()) {
    if (group.length < 2) continue
    const sorted = [...group].sort((a, b) => (a.id < b.id ? -1 : 1))
    const keys = new Map(
      sorted.map((r) => [
        r.id,
        requiredLeaves(r.conditions, conditions)
          .map(leafKeys)
          .filter((k) => k !== null)
      ])
    )
    const analyse = sorted.length <= TIE_ANALYSIS_LIMIT
    sorted.forEach((r, i) => {
      const earlier = sorted.slice(0, i)
      const rivals = analyse
        ? earlier.filter((o) => !disjoint(keys.get(r.id) as Keys, keys.get(o.id) as Keys))
        : earlier.slice(0, 3)
      if (rivals.length > 0) {
        warn(
          r.file,
          'PRIORITY_TIE',
          '/priority',
          `priority ${r.priority} ties with ${rivals.map((o) => `"${o.id}"`).join(', ')}; when both match, the smaller id wins ("${rivals[0]?.id}"): set distinct priorities`
        )
      }
    })
  }
  return out
}
