// What changed between two rulesets, by rule id, for the reload log.
import type { Ruleset } from './types.js'

export function diffRulesets(prev: Ruleset, next: Ruleset): { added: string[]; changed: string[]; removed: string[] } {
  const before = new Map(prev.rules.map((r) => [r.id, r]))
  const after = new Map(next.rules.map((r) => [r.id, r]))
  const added = [...after.keys()].filter((id) => !before.has(id)).sort()
  const removed = [...before.keys()].filter((id) => !after.has(id)).sort()
  // A rule changes when its file changes, or when a named condition it uses does.
  const changed = [...after.keys()]
    .filter((id) => before.has(id))
    .filter((id) => {
      const a = before.get(id)
      const b = after.get(id)
      if (!a || !b) return false
      return (
        prev.files[a.file] !== next.files[b.file] ||
        JSON.stringify(expand(prev, a.conditions)) !== JSON.stringify(expand(next, b.conditions))
      )
    })
    .sort()
  return { added, changed, removed }
}

function expand(rs: Ruleset, node: unknown, depth = 0): unknown {
  if (depth > 30 || node === null || typeof node !== 'object') return node
  if (Array.isArray(node)) return node.map((n) => expand(rs, n, depth + 1))
  const o = node as Record<string, unknown>
  if (typeof o.condition === 'string')
    return { condition: o.condition, expanded: expand(rs, rs.conditions[o.condition]?.conditions, depth + 1) }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, expand(rs, v, depth + 1)]))
}
