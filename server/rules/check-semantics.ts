// Errors the JSON Schema cannot express: ids against file names, operators, named conditions,
// schedules, offers merged with their arms, fixtures and tests.
import { walkConditions } from './condition-walk.js'
import { buildFacts } from './facts.js'
import { DECORATOR_NAMES, resolveOperator, splitOperator } from './operators.js'
import { diagnostic, type ParsedFile } from './parse-json.js'
import { deepMerge, normaliseQuantity } from './resolve-offer.js'
import { RulesError } from './errors.js'
import { OPERATORS } from './operators.js'
import { didYouMean } from './suggest.js'
import type { ConditionNode, Diagnostic, NamedCondition, OfferSpec, RuleTest } from './types.js'

type RawRule = {
  id: string
  conditions: ConditionNode
  schedule?: { from?: string; until?: string }
  offer: OfferSpec
  experiment?: { name: string; arms: { id: string; weight: number; holdout?: boolean; offer?: Partial<OfferSpec> }[] }
}

const KNOWN_OPERATORS =
  'equal, notEqual, in, notIn, contains, doesNotContain, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, containsAny, containsAll, containsNone, between'

export function baseName(file: string): string {
  return (file.split('/').pop() as string).replace(/\.json$/, '')
}

/** Operators, value shapes and references inside one condition tree. */
export function checkConditions(
  parsed: ParsedFile,
  root: ConditionNode,
  rootPointer: string,
  named: ReadonlyMap<string, unknown>
): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const v of walkConditions(root, rootPointer)) {
    if (v.kind === 'reference') {
      if (!named.has(v.name)) {
        const known = [...named.keys()]
        out.push(
          diagnostic(
            parsed,
            'error',
            'UNKNOWN_CONDITION',
            `${v.pointer}/condition`,
            `no named condition "${v.name}"${didYouMean(v.name, known)}; expected a file rules/conditions/${v.name}.json${known.length ? ` (known: ${known.join(', ')})` : ''}`
          )
        )
      }
      continue
    }
    const c = v.node
    const opPointer = `${v.pointer}/operator`
    if (!resolveOperator(c.operator)) {
      out.push(
        diagnostic(
          parsed,
          'error',
          'UNKNOWN_OPERATOR',
          opPointer,
          `unknown operator "${c.operator}"${didYouMean(splitOperator(c.operator).base, Object.keys(OPERATORS))}; expected one of: ${KNOWN_OPERATORS} (optionally prefixed by decorators ${DECORATOR_NAMES.join(':, ')}:)`
        )
      )
      continue
    }
    const { base, decorators } = splitOperator(c.operator)
    const value = c.value
    const isRef = value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value
    if (isRef) continue
    const valuePointer = `${v.pointer}/value`
    const arrayValue =
      decorators.includes('someValue') ||
      decorators.includes('everyValue') ||
      (['in', 'notIn', 'containsAny', 'containsAll', 'containsNone', 'between'].includes(base) &&
        !decorators.includes('swap'))
    if (arrayValue && !Array.isArray(value)) {
      out.push(
        diagnostic(
          parsed,
          'error',
          'OPERATOR_VALUE',
          valuePointer,
          `operator "${c.operator}" expects an array value, got ${JSON.stringify(value)}`
        )
      )
    } else if (
      base === 'between' &&
      !decorators.length &&
      (!Array.isArray(value) ||
        value.length !== 2 ||
        typeof value[0] !== 'number' ||
        typeof value[1] !== 'number' ||
        value[0] > value[1])
    ) {
      out.push(
        diagnostic(
          parsed,
          'error',
          'OPERATOR_VALUE',
          valuePointer,
          `operator "between" expects [min, max] with two numbers, min <= max; got ${JSON.stringify(value)}`
        )
      )
    }
  }
  return out
}

/** Named conditions that refer to each other in a loop, reported once per file in the loop. */
export function findConditionCycles(
  conditions: ReadonlyMap<string, { parsed: ParsedFile; def: NamedCondition }>
): Diagnostic[] {
  const out: Diagnostic[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const reported = new Set<string>()
  const visit = (name: string, stack: string[]): void => {
    const entry = conditions.get(name)
    if (!entry || state.get(name) === 'done') return
    if (state.get(name) === 'visiting') {
      const loop = stack.slice(stack.indexOf(name))
      for (const n of loop) {
        if (reported.has(n)) continue
        reported.add(n)
        const e = conditions.get(n)
        if (e)
          out.push(
            diagnostic(
              e.parsed,
              'error',
              'CONDITION_CYCLE',
              '/conditions',
              `named conditions refer to each other in a loop: ${[...loop, name].join(' -> ')}; expected a condition tree without loops`
            )
          )
      }
      return
    }
    state.set(name, 'visiting')
    for (const v of walkConditions(entry.def.conditions, ''))
      if (v.kind === 'reference') visit(v.name, [...stack, name])
    state.set(name, 'done')
  }
  for (const name of conditions.keys()) visit(name, [])
  return out
}

function checkOffer(parsed: ParsedFile, offer: OfferSpec, pointer: string, what: string): Diagnostic[] {
  const out: Diagnostic[] = []
  const q = normaliseQuantity(offer.quantity)
  if (!(q.min <= q.default && q.default <= q.max)) {
    out.push(
      diagnostic(
        parsed,
        'error',
        'OFFER_INVALID',
        `${pointer}/quantity`,
        `${what}: expected min <= default <= max, got min ${q.min}, default ${q.default}, max ${q.max}`
      )
    )
  }
  if (offer.variants && !offer.variants.includes(offer.variantId)) {
    out.push(
      diagnostic(
        parsed,
        'error',
        'OFFER_INVALID',
        `${pointer}/variants`,
        `${what}: expected variants to include variantId ${offer.variantId}`
      )
    )
  }
  return out
}

export function checkRule(parsed: ParsedFile, rule: RawRule, named: ReadonlyMap<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = []
  const expectedId = baseName(parsed.file)
  if (rule.id !== expectedId) {
    out.push(
      diagnostic(
        parsed,
        'error',
        'RULE_ID_MISMATCH',
        '/id',
        `id "${rule.id}" differs from the file name; expected "${expectedId}"`
      )
    )
  }
  out.push(...checkConditions(parsed, rule.conditions, '/conditions', named))
  const { from, until } = rule.schedule ?? {}
  if (from && until && Date.parse(from) > Date.parse(until)) {
    out.push(
      diagnostic(
        parsed,
        'error',
        'SCHEDULE_INVALID',
        '/schedule/until',
        `schedule ends (${until}) before it starts (${from}); expected until >= from`
      )
    )
  }
  out.push(...checkOffer(parsed, rule.offer, '/offer', 'offer'))
  const arms = rule.experiment?.arms ?? []
  const ids = new Set<string>()
  arms.forEach((arm, i) => {
    if (ids.has(arm.id))
      out.push(
        diagnostic(
          parsed,
          'error',
          'EXPERIMENT_INVALID',
          `/experiment/arms/${i}/id`,
          `duplicate arm id "${arm.id}"; expected unique arm ids`
        )
      )
    ids.add(arm.id)
    if (arm.offer)
      out.push(
        ...checkOffer(
          parsed,
          deepMerge(rule.offer, arm.offer),
          `/experiment/arms/${i}/offer`,
          `arm "${arm.id}" merged over the offer`
        )
      )
  })
  if (arms.length > 0 && !arms.some((a) => a.weight > 0)) {
    out.push(
      diagnostic(
        parsed,
        'error',
        'EXPERIMENT_INVALID',
        '/experiment/arms',
        'every arm has weight 0; expected at least one arm with a positive weight'
      )
    )
  }
  return out
}

export function checkFixture(parsed: ParsedFile): Diagnostic[] {
  try {
    buildFacts(parsed.data)
    return []
  } catch (err) {
    if (!(err instanceof RulesError)) throw err
    return [
      diagnostic(
        parsed,
        'error',
        'FIXTURE_INVALID',
        err.pointer,
        `${err.message} (a fixture is the input_data object Shopify signs into the checkout token)`
      )
    ]
  }
}

export function checkTests(
  parsed: ParsedFile,
  tests: RuleTest[],
  fixtures: ReadonlySet<string>,
  knownIds: ReadonlySet<string>,
  rules: ReadonlyMap<string, RawRule>
): Diagnostic[] {
  const out: Diagnostic[] = []
  tests.forEach((t, i) => {
    if (typeof t.checkout === 'string' && !fixtures.has(t.checkout)) {
      out.push(
        diagnostic(
          parsed,
          'error',
          'TEST_UNKNOWN_FIXTURE',
          `/${i}/checkout`,
          `no fixture "${t.checkout}"${didYouMean(t.checkout, fixtures)}; expected a file rules/fixtures/${t.checkout}.json or an inline input_data object`
        )
      )
    } else if (typeof t.checkout === 'object') {
      try {
        // Inline checkouts may leave out the referenceId: the test runner derives one.
        const inline = t.checkout as { initialPurchase?: Record<string, unknown> }
        const purchase =
          inline.initialPurchase && typeof inline.initialPurchase === 'object' ? inline.initialPurchase : null
        buildFacts(
          purchase && purchase.referenceId === undefined
            ? { ...inline, initialPurchase: { ...purchase, referenceId: 'derived' } }
            : inline
        )
      } catch (err) {
        if (!(err instanceof RulesError)) throw err
        out.push(diagnostic(parsed, 'error', 'FIXTURE_INVALID', `/${i}/checkout${err.pointer}`, err.message))
      }
    }
    const expected = t.expect.offer
    if (expected !== null && !knownIds.has(expected)) {
      out.push(
        diagnostic(
          parsed,
          'error',
          'TEST_UNKNOWN_RULE',
          `/${i}/expect/offer`,
          `no rule "${expected}"${didYouMean(expected, knownIds)}; expected a rule id from rules/offers or null`
        )
      )
    } else if (expected !== null && typeof t.expect.arm === 'string' && rules.has(expected)) {
      const arms = rules.get(expected)?.experiment?.arms ?? []
      if (!arms.some((a) => a.id === t.expect.arm)) {
        out.push(
          diagnostic(
            parsed,
            'error',
            'TEST_UNKNOWN_RULE',
            `/${i}/expect/arm`,
            `rule "${expected}" has no arm "${t.expect.arm}"; expected one of: ${arms.map((a) => a.id).join(', ') || '(no experiment)'}`
          )
        )
      }
    }
  })
  return out
}
