// Walks condition trees with JSON pointers, for the loader's checks and warnings.
import type { ConditionNode, LeafCondition } from './types.js'

const hasOwn = Object.prototype.hasOwnProperty

export type Visit =
  { kind: 'leaf'; node: LeafCondition; pointer: string } | { kind: 'reference'; name: string; pointer: string }

/** Every leaf and named-condition reference under `node`, with its pointer. */
export function walkConditions(node: ConditionNode, pointer: string, out: Visit[] = []): Visit[] {
  if (node === null || typeof node !== 'object') return out
  if (hasOwn.call(node, 'condition')) {
    out.push({ kind: 'reference', name: (node as { condition: string }).condition, pointer })
    return out
  }
  for (const k of ['any', 'all'] as const) {
    if (hasOwn.call(node, k)) {
      const kids = (node as Record<string, unknown>)[k]
      if (Array.isArray(kids)) kids.forEach((c, i) => walkConditions(c as ConditionNode, `${pointer}/${k}/${i}`, out))
      return out
    }
  }
  if (hasOwn.call(node, 'not')) return walkConditions((node as { not: ConditionNode }).not, `${pointer}/not`, out)
  out.push({ kind: 'leaf', node: node as LeafCondition, pointer })
  return out
}
