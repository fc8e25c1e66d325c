// Every operator a condition may use: json-rules-engine's built-ins and decorators, re-implemented
// synchronously with the library's exact semantics, plus our custom ones (shared with the naive engine).

export type OperatorFn = (factValue: unknown, value: unknown) => boolean

const isArray = Array.isArray
function isNumeric(v: unknown): boolean {
  // json-rules-engine's numberValidator, verbatim in effect.
  return Number.parseFloat(v as string).toString() !== 'NaN'
}
function indexOf(haystack: unknown, needle: unknown): number {
  return (haystack as { indexOf(x: unknown): number }).indexOf(needle)
}

/** Our operators: each validates its own inputs, so the same function serves both engines. */
export const CUSTOM_OPERATORS: Record<string, OperatorFn> = {
  containsAny: (a, b) => isArray(a) && isArray(b) && b.some((x) => a.indexOf(x) > -1),
  containsAll: (a, b) => isArray(a) && isArray(b) && b.every((x) => a.indexOf(x) > -1),
  containsNone: (a, b) => isArray(a) && isArray(b) && !b.some((x) => a.indexOf(x) > -1),
  between: (a, b) =>
    isNumeric(a) &&
    isArray(b) &&
    b.length === 2 &&
    (a as number) >= (b[0] as number) &&
    (a as number) <= (b[1] as number)
}

export const BUILTIN_OPERATORS: Record<string, OperatorFn> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => indexOf(b, a) > -1,
  notIn: (a, b) => indexOf(b, a) === -1,
  contains: (a, b) => isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumeric(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => isNumeric(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => isNumeric(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => isNumeric(a) && (a as number) >= (b as number)
}

export const OPERATORS: Record<string, OperatorFn> = { ...BUILTIN_OPERATORS, ...CUSTOM_OPERATORS }

type Decorator = (next: OperatorFn) => OperatorFn
const DECORATORS: Record<string, Decorator> = {
  someFact: (next) => (a, b) => isArray(a) && a.some((x) => next(x, b)),
  someValue: (next) => (a, b) => (b as unknown[]).some((x) => next(a, x)),
  everyFact: (next) => (a, b) => isArray(a) && a.every((x) => next(x, b)),
  everyValue: (next) => (a, b) => (b as unknown[]).every((x) => next(a, x)),
  swap: (next) => (a, b) => next(b, a),
  not: (next) => (a, b) => !next(a, b)
}
export const DECORATOR_NAMES = Object.keys(DECORATORS)

/** Operators whose value must be an array for the operator to mean anything. */
export const ARRAY_VALUE_OPERATORS = new Set(['in', 'notIn', 'containsAny', 'containsAll', 'containsNone', 'between'])
export const NUMERIC_OPERATORS = new Set([
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'between'
])
export const ARRAY_FACT_OPERATORS = new Set([
  'contains',
  'doesNotContain',
  'containsAny',
  'containsAll',
  'containsNone'
])

const cache = new Map<string, OperatorFn | null>()

/** Resolves `name` or a decorated `dec:dec:name`; null when unknown. */
export function resolveOperator(name: string): OperatorFn | null {
  const hit = cache.get(name)
  if (hit !== undefined) return hit
  let fn: OperatorFn | null = OPERATORS[name] ?? null
  if (fn === null && name.includes(':')) {
    const parts = name.split(':')
    const base = parts.pop() as string
    fn = OPERATORS[base] ?? null
    for (let i = parts.length - 1; i >= 0 && fn !== null; i--) {
      const dec = DECORATORS[parts[i] as string]
      fn = dec ? dec(fn) : null
    }
  }
  cache.set(name, fn)
  return fn
}

/** The base operator of a possibly decorated name, and its decorators. */
export function splitOperator(name: string): { base: string; decorators: string[] } {
  const parts = name.split(':')
  const base = parts.pop() as string
  return { base, decorators: parts }
}
