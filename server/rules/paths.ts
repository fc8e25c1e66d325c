// Path resolution for conditions: plain property paths without JSONPath, the rest through jsonpath-plus.
import { createRequire } from 'node:module'

// jsonpath-plus is json-rules-engine's own dependency: load the copy the engine uses, so both paths agree.
const engineRequire = createRequire(createRequire(import.meta.url).resolve('json-rules-engine'))
const { JSONPath } = engineRequire('jsonpath-plus') as {
  JSONPath: (opts: { path: string; json: unknown; wrap: boolean }) => unknown
}

export type PathResolver = (value: unknown) => unknown

const hasOwn = Object.prototype.hasOwnProperty
const SEGMENT = /^(?:\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\]|(\.\*|\[\*\]))/
/** A wildcard segment (`[*]` or `.*`) in the keys simplePathKeys returns. */
export const WILDCARD = Symbol('wildcard')

/** Splits `$.a.b[0]['c']` into keys, or returns null when the path needs real JSONPath. */
export function simplePathKeys(path: string): (string | typeof WILDCARD)[] | null {
  let rest = path.startsWith('$') ? path.slice(1) : path.startsWith('.') || path.startsWith('[') ? path : `.${path}`
  const keys: (string | typeof WILDCARD)[] = []
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest)
    if (!m) return null
    keys.push(m[5] ? WILDCARD : ((m[1] ?? m[2] ?? m[3] ?? m[4]) as string))
    rest = rest.slice(m[0].length)
  }
  return keys
}

/**
 * json-rules-engine's default resolver, kept for filters and other JSONPath features. A filter that
 * throws on some data (`$[?(@.x >)]`) yields undefined, so the condition fails instead of the
 * checkout (json-rules-engine would reject the whole run).
 */
export function jsonPathResolve(value: unknown, path: string): unknown {
  try {
    return JSONPath({ path, json: value, wrap: false })
  } catch {
    return undefined
  }
}

/**
 * Compiles a path into a resolver with exactly jsonpath-plus's results for plain paths
 * (own properties of objects, arrays and strings; missing means undefined).
 */
export function compilePath(path: string): PathResolver {
  const keys = simplePathKeys(path)
  if (keys === null) return (v) => jsonPathResolve(v, path)
  if (keys.includes(WILDCARD)) return (v) => wildcardResolve(v, keys)
  if (keys.length === 0) return (v) => v
  if (keys.length === 1) {
    const k = keys[0] as string
    return (v) => step(v, k)
  }
  return (v) => {
    let cur = v
    for (let i = 0; i < keys.length; i++) {
      cur = step(cur, keys[i] as string)
      if (cur === undefined) return undefined
    }
    return cur
  }
}

/**
 * jsonpath-plus with a wildcard: every match, in order, as an array (even a single one);
 * undefined when nothing matches. Wildcards expand arrays and objects, never strings.
 */
function wildcardResolve(root: unknown, keys: readonly (string | typeof WILDCARD)[]): unknown {
  let cur: unknown[] = [root]
  for (const key of keys) {
    const next: unknown[] = []
    for (const v of cur) {
      if (v === null || (typeof v !== 'object' && typeof v !== 'string')) continue
      if (key === WILDCARD) {
        if (typeof v === 'string') continue
        if (Array.isArray(v)) next.push(...v)
        else for (const k of Object.keys(v)) next.push((v as Record<string, unknown>)[k])
      } else if (hasOwn.call(v, key)) next.push((v as Record<string, unknown>)[key])
    }
    cur = next
  }
  return cur.length === 0 ? undefined : cur
}

function step(v: unknown, key: string): unknown {
  if (v === null || v === undefined) return undefined
  const t = typeof v
  if (t !== 'object' && t !== 'string') return undefined
  return hasOwn.call(v, key) ? (v as Record<string, unknown>)[key] : undefined
}
