// Picks the few rules that can match a checkout from cheap, discriminating top-level conditions
// (products in the cart, shipping country), so evaluation cost grows with matches, not rules.
import type { ConditionNode, Facts, LeafCondition, NamedCondition } from './types.js'

export type IndexKeys =
  { kind: 'product' | 'variant'; values: unknown[] } | { kind: 'country'; values: unknown[] } | null

const hasOwn = Object.prototype.hasOwnProperty

/** The top-level leaves that must all hold: children of a root `all`, or the root leaf itself. */
export function requiredLeaves(
  node: ConditionNode,
  named: Readonly<Record<string, NamedCondition>>,
  depth = 0
): LeafCondition[] {
  if (depth > 20) return []
  // The same precedence as json-rules-engine: a reference, then any, all, not, then a leaf.
  if (hasOwn.call(node, 'condition')) {
    const def = named[(node as { condition: string }).condition]
    return def ? requiredLeaves(def.conditions, named, depth + 1) : []
  }
  if (hasOwn.call(node, 'any') || hasOwn.call(node, 'not')) return []
  if (hasOwn.call(node, 'all')) {
    return (node as { all: ConditionNode[] }).all.flatMap((c) => requiredLeaves(c, named, depth + 1))
  }
  if (hasOwn.call(node, 'fact')) return [node as LeafCondition]
  return []
}

const isFactRef = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && hasOwn.call(v, 'fact')

/** Keys of one leaf that a checkout must hit for the leaf to hold, or null when it is not indexable. */
export function leafKeys(c: LeafCondition): IndexKeys {
  if (isFactRef(c.value)) return null
  if (c.fact === 'cart' && (c.path === '$.productIds' || c.path === '$.variantIds')) {
    const kind = c.path === '$.productIds' ? 'product' : 'variant'
    if (c.operator === 'containsAny' && Array.isArray(c.value)) return { kind, values: c.value }
    if (c.operator === 'containsAll' && Array.isArray(c.value) && c.value.length > 0)
      return { kind, values: [c.value[0]] }
    if (c.operator === 'contains') return { kind, values: [c.value] }
  }
  if (c.fact === 'shippingCountry' && !c.path) {
    if (c.operator === 'in' && Array.isArray(c.value)) return { kind: 'country', values: c.value }
    if (c.operator === 'equal') return { kind: 'country', values: [c.value] }
  }
  return null
}

/** The most selective key set of a rule's required leaves: products over variants over countries. */
export function ruleKeys(conditions: ConditionNode, named: Readonly<Record<string, NamedCondition>>): IndexKeys {
  const keys = requiredLeaves(conditions, named)
    .map(leafKeys)
    .filter((k) => k !== null)
  const rank = { product: 0, variant: 1, country: 2 }
  keys.sort((a, b) => rank[a.kind] - rank[b.kind] || a.values.length - b.values.length)
  return keys[0] ?? null
}

export class CandidateIndex {
  private readonly always: number[] = []
  private readonly byProduct = new Map<unknown, number[]>()
  private readonly byVariant = new Map<unknown, number[]>()
  private readonly byCountry = new Map<unknown, number[]>()
  private readonly seen: Uint32Array
  private stamp = 0

  /** `ranks[i]` is rule i's place in selection order; rules must be added in that order. */
  constructor(size: number) {
    this.seen = new Uint32Array(size)
  }

  add(rank: number, keys: IndexKeys): void {
    if (keys === null) {
      this.always.push(rank)
      return
    }
    const map = keys.kind === 'product' ? this.byProduct : keys.kind === 'variant' ? this.byVariant : this.byCountry
    for (const v of new Set(keys.values)) {
      const list = map.get(v)
      if (list) list.push(rank)
      else map.set(v, [rank])
    }
  }

  /** Ranks of the rules that may match, ascending (that is, in selection order). */
  candidates(facts: Facts): number[] {
    // A stamp per call marks ranks already collected without clearing an array each time.
    const stamp = ++this.stamp === 0xffffffff ? this.reset() : this.stamp
    const out: number[] = []
    const push = (list: number[] | undefined) => {
      if (!list) return
      for (let i = 0; i < list.length; i++) {
        const r = list[i] as number
        if (this.seen[r] !== stamp) {
          this.seen[r] = stamp
          out.push(r)
        }
      }
    }
    push(this.always)
    const cart = facts.cart as { productIds?: unknown; variantIds?: unknown } | undefined
    if (cart && Array.isArray(cart.productIds)) for (const p of cart.productIds) push(this.byProduct.get(p))
    if (cart && Array.isArray(cart.variantIds)) for (const v of cart.variantIds) push(this.byVariant.get(v))
    push(this.byCountry.get(facts.shippingCountry))
    if (out.length > 1) out.sort((a, b) => a - b)
    return out
  }

  private reset(): number {
    this.seen.fill(0)
    this.stamp = 1
    return 1
  }
}
