// Compiles condition trees into synchronous evaluators with json-rules-engine's exact semantics,
// plus an explaining variant that records every fact value seen.
import { compilePath } from './paths.js'
import { resolveOperator } from './operators.js'
import type { ConditionExplanation, ConditionNode, LeafCondition, NamedCondition } from './types.js'

export type FactBag = Record<string, unknown>
export type Test = (facts: FactBag) => boolean
export type Explain = (facts: FactBag) => ConditionExplanation
export type Compiled = { test: Test; explain: Explain }

const hasOwn = Object.prototype.hasOwnProperty
const isFactRef = (v: unknown): v is { fact: string; path?: string } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && hasOwn.call(v, 'fact')

/** Reads a fact and applies the path only to objects, as json-rules-engine's almanac does. */
function factReader(fact: string, path: string | undefined): (facts: FactBag) => unknown {
  if (!path) return (facts) => (hasOwn.call(facts, fact) ? facts[fact] : undefined)
  const resolve = compilePath(path)
  return (facts) => {
    const v = hasOwn.call(facts, fact) ? facts[fact] : undefined
    return v !== null && typeof v === 'object' ? resolve(v) : v
  }
}

export class ConditionCompiler {
  private readonly named = new Map<string, Compiled>()
  constructor(private readonly conditions: Readonly<Record<string, NamedCondition>>) {}

  compile(node: ConditionNode): Compiled {
    // The same precedence as json-rules-engine: a reference, then any, all, not, then a leaf.
    if (hasOwn.call(node, 'condition')) return this.reference((node as { condition: string }).condition)
    if (hasOwn.call(node, 'any')) return this.group((node as { any: ConditionNode[] }).any, 'any')
    if (hasOwn.call(node, 'all')) return this.group((node as { all: ConditionNode[] }).all, 'all')
    if (hasOwn.call(node, 'not')) {
      const inner = this.compile((node as { not: ConditionNode }).not)
      return {
        test: (f) => !inner.test(f),
        explain: (f) => {
          const e = inner.explain(f)
          return { not: e, result: !e.result }
        }
      }
    }
    return this.leaf(node as LeafCondition)
  }

  private reference(name: string): Compiled {
    const cached = this.named.get(name)
    if (cached) return { test: cached.test, explain: (f) => this.explainReference(name, f) }
    const def = this.conditions[name]
    // Undefined references fail (the loader reports them as errors before anything runs).
    if (!def) return { test: () => false, explain: () => ({ condition: name, result: false, conditions: null }) }
    const compiled = this.compile(def.conditions)
    this.named.set(name, compiled)
    return { test: compiled.test, explain: (f) => this.explainReference(name, f) }
  }

  private explainReference(name: string, facts: FactBag): ConditionExplanation {
    const inner = (this.named.get(name) as Compiled).explain(facts)
    return { condition: name, result: inner.result, conditions: inner }
  }

  private group(children: ConditionNode[], kind: 'all' | 'any'): Compiled {
    // json-rules-engine: an empty all/any holds; one child is evaluated alone.
    const compiled = children.map((c) => this.compile(c))
    const tests = compiled.map((c) => c.test)
    const n = tests.length
    let test: Test
    if (n === 0) test = () => true
    else if (n === 1) test = tests[0] as Test
    else if (kind === 'all') {
      test = (f) => {
        for (let i = 0; i < n; i++) if (!(tests[i] as Test)(f)) return false
        return true
      }
    } else {
      test = (f) => {
        for (let i = 0; i < n; i++) if ((tests[i] as Test)(f)) return true
        return false
      }
    }
    const explain: Explain = (f) => {
      const parts = compiled.map((c) => c.explain(f))
      const result = n === 0 ? true : kind === 'all' ? parts.every((p) => p.result) : parts.some((p) => p.result)
      return kind === 'all' ? { all: parts, result } : { any: parts, result }
    }
    return { test, explain }
  }

  private leaf(c: LeafCondition): Compiled {
    const op = resolveOperator(c.operator)
    const lhs = factReader(c.fact, c.path)
    const value = c.value
    const rhs = isFactRef(value) ? factReader(value.fact, value.path) : null
    if (!op) {
      const fail = () => false
      return {
        test: fail,
        explain: (f) => ({
          fact: c.fact,
          path: c.path ?? null,
          operator: c.operator,
          value,
          factValue: lhs(f),
          result: false
        })
      }
    }
    const test: Test = rhs ? (f) => op(lhs(f), rhs(f)) : (f) => op(lhs(f), value)
    const explain: Explain = (f) => {
      const factValue = lhs(f)
      const e: ConditionExplanation = {
        fact: c.fact,
        path: c.path ?? null,
        operator: c.operator,
        value,
        factValue,
        result: false
      }
      if (rhs) {
        const v = rhs(f)
        e.valueResult = v
        e.result = op(factValue, v) === true
      } else e.result = op(factValue, value) === true
      return e
    }
    return { test, explain }
  }
}
