// The static shape of every fact: lets `check` warn about unknown facts, paths and type mismatches,
// and tells the server which catalog facts the rules need.
import { walkConditions } from './condition-walk.js'
import { simplePathKeys } from './paths.js'
import type { ConditionNode, NamedCondition, RuleSpec } from './types.js'
import { SURFACES } from './facts.js'

export type Catalog = 'product' | 'customer'
export type Shape =
  | { t: 'object'; props: Record<string, Shape>; catalog?: Catalog }
  | { t: 'array'; items: Shape; catalog?: Catalog }
  | { t: 'scalar'; types: ('number' | 'string' | 'boolean' | 'null')[]; catalog?: Catalog; oneOf?: readonly string[] }

const num: Shape = { t: 'scalar', types: ['number'] }
const str: Shape = { t: 'scalar', types: ['string'] }
const bool: Shape = { t: 'scalar', types: ['boolean'] }
const arr = (items: Shape, catalog?: Catalog): Shape => ({ t: 'array', items, ...(catalog ? { catalog } : {}) })
const scalar = (types: ('number' | 'string' | 'boolean' | 'null')[], catalog?: Catalog): Shape => ({
  t: 'scalar',
  types,
  ...(catalog ? { catalog } : {})
})
const obj = (props: Record<string, Shape>): Shape => ({ t: 'object', props })

export const FACT_SHAPES: Record<string, Shape> = {
  cart: obj({
    lineItems: arr(
      obj({
        productId: num,
        variantId: num,
        productTitle: str,
        variantTitle: scalar(['string', 'null']),
        quantity: num,
        total: num,
        sellingPlanId: scalar(['number', 'null']),
        tags: arr(str, 'product'),
        vendor: scalar(['string', 'null'], 'product'),
        productType: scalar(['string', 'null'], 'product'),
        collections: arr(str, 'product')
      })
    ),
    productIds: arr(num),
    variantIds: arr(num),
    quantity: num,
    lineCount: num,
    subtotal: num,
    total: num,
    currency: str,
    hasSubscription: bool,
    productTags: arr(str, 'product'),
    vendors: arr(str, 'product'),
    productTypes: arr(str, 'product'),
    collections: arr(str, 'product')
  }),
  shippingCountry: scalar(['string', 'null']),
  shop: obj({ id: num, domain: str }),
  locale: str,
  customer: obj({
    id: scalar(['number', 'string', 'null']),
    tags: arr(str, 'customer'),
    numberOfOrders: scalar(['number', 'null'], 'customer')
  }),
  payment: obj({ eligible: bool, reasons: arr(str), shopCurrency: str, presentmentCurrency: str }),
  history: obj({ shown: arr(str), accepted: arr(str), declined: arr(str) }),
  // A typo ("thankyou") would never match, and under notEqual would match every page: check warns.
  surface: { t: 'scalar', types: ['string'], oneOf: SURFACES },
  now: str
}

export type Resolution =
  | { ok: true; shape: Shape; catalogs: Set<Catalog> }
  | { ok: false; missing: string; known: string[]; catalogs: Set<Catalog> }
  | { ok: 'unchecked'; catalogs: Set<Catalog> }

/** Resolves `path` inside a fact's shape, as json-rules-engine would resolve it at run time. */
export function resolveShape(fact: string, path: string | undefined): Resolution | null {
  const root = FACT_SHAPES[fact]
  if (!root) return null
  const catalogs = new Set<Catalog>()
  if (!path || root.t !== 'object') return { ok: true, shape: root, catalogs }
  // Wildcards over arrays are checked as their element; other JSONPath features are not checked.
  const keys = simplePathKeys(path.replace(/\[\*\]|\.\*/g, '[0]')) as string[] | null
  const wildcard = /\[\*\]|\.\*/.test(path)
  if (keys === null) return { ok: 'unchecked', catalogs: new Set(path.includes('lineItems') ? ['product'] : []) }
  let cur: Shape = root
  for (const key of keys) {
    if (cur.t === 'object' && Object.prototype.hasOwnProperty.call(cur.props, key)) cur = cur.props[key] as Shape
    else if (cur.t === 'array' && /^\d+$/.test(key)) cur = cur.items
    else if (cur.t === 'array' && key === 'length') cur = num
    else return { ok: false, missing: key, known: cur.t === 'object' ? Object.keys(cur.props) : [], catalogs }
    if (cur.catalog) catalogs.add(cur.catalog)
  }
  return { ok: true, shape: wildcard ? arr(cur) : cur, catalogs }
}

/** Which catalogs the rules' conditions (and the named conditions they use) read. */
export function neededCatalogs(
  rules: readonly RuleSpec[],
  conditions: Readonly<Record<string, NamedCondition>>
): { productCatalog: boolean; customerCatalog: boolean } {
  const found = new Set<Catalog>()
  const seenNamed = new Set<string>()
  const scan = (node: ConditionNode) => {
    for (const v of walkConditions(node, '')) {
      if (v.kind === 'reference') {
        const def = conditions[v.name]
        if (def && !seenNamed.has(v.name)) {
          seenNamed.add(v.name)
          scan(def.conditions)
        }
        continue
      }
      const refs: { fact: string; path?: string }[] = [v.node]
      const val = v.node.value as { fact?: unknown; path?: unknown } | null
      if (val && typeof val === 'object' && typeof val.fact === 'string')
        refs.push({ fact: val.fact, path: typeof val.path === 'string' ? val.path : undefined })
      for (const ref of refs) {
        const r = resolveShape(ref.fact, ref.path)
        r?.catalogs.forEach((c) => found.add(c))
        // A whole-object read (no path) of cart or customer sees the catalog fields too.
        if (!ref.path && ref.fact === 'customer') found.add('customer')
      }
    }
  }
  for (const r of rules) scan(r.conditions)
  return { productCatalog: found.has('product'), customerCatalog: found.has('customer') }
}

export function describeShape(s: Shape): string {
  if (s.t === 'object') return 'an object'
  if (s.t === 'array') return `an array of ${describeShape(s.items).replace(/^an? /, '')}s`
  if (s.oneOf) return s.oneOf.map((v) => JSON.stringify(v)).join(' or ')
  return s.types.map((t) => (t === 'null' ? 'null' : `a ${t}`)).join(' or ')
}
