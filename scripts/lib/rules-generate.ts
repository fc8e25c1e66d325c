// Seeded generators of rule sets and checkouts, for the agreement test and the benchmark.
export type Rng = () => number

/** mulberry32: small, fast and good enough for test data. */
export function rng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
const pickSome = <T>(r: Rng, xs: readonly T[], n: number): T[] => {
  const out = new Set<T>()
  while (out.size < Math.min(n, xs.length)) out.add(pick(r, xs))
  return [...out]
}
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))

export const COUNTRIES = ['US', 'CA', 'FR', 'DE', 'GB', 'AU', 'JP', 'BR', 'IT', 'ES'] as const
export const TAGS = ['hiking', 'winter', 'gift', 'sale', 'new', 'vip', 'eco'] as const
export const LOCALES = ['en', 'en-US', 'fr', 'fr-CA', 'de', 'es'] as const

export type GenerateOptions = {
  rules: number
  seed?: number
  /** Distinct products rules target and carts hold; fewer means more matches. */
  products?: number
  /** Include every operator, decorators, not/any, fact references, schedules, experiments... */
  varied?: boolean
}

export function productPool(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1000 + i)
}

function leaf(r: Rng, products: number[], varied: boolean): Record<string, unknown> {
  const kinds = varied ? 22 : 6
  switch (int(r, 0, kinds - 1)) {
    case 0:
      return { fact: 'cart', path: '$.subtotal', operator: 'greaterThanInclusive', value: int(r, 0, 200) }
    case 1:
      return { fact: 'cart', path: '$.productIds', operator: 'containsAny', value: pickSome(r, products, int(r, 1, 3)) }
    case 2:
      return { fact: 'shippingCountry', operator: 'in', value: pickSome(r, COUNTRIES, int(r, 1, 4)) }
    case 3:
      return { fact: 'payment', path: '$.eligible', operator: 'equal', value: true }
    case 4:
      return { fact: 'cart', path: '$.quantity', operator: 'lessThan', value: int(r, 1, 6) }
    case 5:
      return { fact: 'cart', path: '$.subtotal', operator: 'between', value: [int(r, 0, 50), int(r, 60, 300)] }
    case 6:
      return { fact: 'cart', path: '$.productIds', operator: 'containsAll', value: pickSome(r, products, int(r, 1, 2)) }
    case 7:
      return {
        fact: 'cart',
        path: '$.productIds',
        operator: 'containsNone',
        value: pickSome(r, products, int(r, 1, 3))
      }
    case 8:
      return { fact: 'cart', path: '$.productIds', operator: 'contains', value: pick(r, products) }
    case 9:
      return { fact: 'cart', path: '$.variantIds', operator: 'doesNotContain', value: pick(r, products) * 10 }
    case 10:
      return { fact: 'shippingCountry', operator: 'notIn', value: pickSome(r, COUNTRIES, 2) }
    case 11:
      return { fact: 'shippingCountry', operator: 'equal', value: pick(r, [...COUNTRIES, null]) }
    case 12:
      return { fact: 'locale', operator: pick(r, ['equal', 'notEqual']), value: pick(r, LOCALES) }
    case 13:
      return { fact: 'customer', path: '$.tags', operator: 'containsAny', value: pickSome(r, TAGS, 2) }
    case 14:
      return {
        fact: 'customer',
        path: '$.numberOfOrders',
        operator: pick(r, ['greaterThan', 'lessThanInclusive']),
        value: int(r, 0, 5)
      }
    case 15:
      return {
        fact: 'cart',
        path: '$.productTags',
        operator: pick(r, ['containsAny', 'containsNone', 'containsAll']),
        value: pickSome(r, TAGS, int(r, 1, 2))
      }
    case 16:
      return { fact: 'cart', path: '$.lineItems[0].vendor', operator: 'in', value: ['Alpine Co', 'Snowline', null] }
    case 17:
      return { fact: 'cart', path: '$.lineItems[*].quantity', operator: 'someFact:greaterThan', value: 1 }
    case 18:
      return { fact: 'history', path: '$.declined', operator: 'contains', value: `rule-${int(r, 0, 5)}` }
    case 19:
      return { fact: 'cart', path: '$.total', operator: 'greaterThan', value: { fact: 'cart', path: '$.subtotal' } }
    case 20:
      return {
        fact: 'payment',
        path: '$.reasons',
        operator: 'not:contains',
        value: pick(r, ['multi_currency', 'below_minimum'])
      }
    default:
      return { fact: 'cart', path: '$.hasSubscription', operator: 'equal', value: r() < 0.5 }
  }
}

function conditions(r: Rng, products: number[], varied: boolean, named: string[]): Record<string, unknown> {
  const all: Record<string, unknown>[] = []
  // Most rules target products or countries, as a real catalog of offers does.
  const style = r()
  if (style < 0.7)
    all.push({
      fact: 'cart',
      path: '$.productIds',
      operator: 'containsAny',
      value: pickSome(r, products, int(r, 1, 3))
    })
  else if (style < 0.9)
    all.push({ fact: 'shippingCountry', operator: 'in', value: pickSome(r, COUNTRIES, int(r, 1, 3)) })
  for (let i = int(r, 1, 3); i > 0; i--) all.push(leaf(r, products, varied))
  if (varied && r() < 0.3) all.push({ any: [leaf(r, products, varied), leaf(r, products, varied)] })
  if (varied && r() < 0.2) all.push({ not: leaf(r, products, varied) })
  if (named.length > 0 && r() < 0.3) all.push({ condition: pick(r, named) })
  if (varied && r() < 0.1) return { any: all }
  return { all }
}

/** A rules directory as files: offers/rule-<i>.json and, when varied, conditions/*.json. */
export function generateRuleFiles(opts: GenerateOptions): Record<string, string> {
  const r = rng(opts.seed ?? 1)
  const varied = opts.varied ?? false
  const products = productPool(opts.products ?? Math.max(20, Math.round(opts.rules / 2)))
  const files: Record<string, string> = {}
  const named = varied ? ['eligible', 'big-cart', 'not-in-australia'] : ['eligible']
  files['conditions/eligible.json'] = JSON.stringify({
    name: 'eligible',
    conditions: { all: [{ fact: 'payment', path: '$.eligible', operator: 'equal', value: true }] }
  })
  if (varied) {
    files['conditions/big-cart.json'] = JSON.stringify({
      name: 'big-cart',
      conditions: {
        any: [{ fact: 'cart', path: '$.subtotal', operator: 'greaterThan', value: 150 }, { condition: 'eligible' }]
      }
    })
    files['conditions/not-in-australia.json'] = JSON.stringify({
      name: 'not-in-australia',
      conditions: { not: { fact: 'shippingCountry', operator: 'equal', value: 'AU' } }
    })
  }
  for (let i = 0; i < opts.rules; i++) {
    const id = `rule-${i}`
    const rule: Record<string, unknown> = {
      id,
      priority: int(r, 0, varied ? 8 : 1000),
      conditions: conditions(r, products, varied, named),
      offer: {
        productId: 9000 + i,
        variantId: 90000 + i,
        content: { headline: `Offer ${i}` },
        discount: { type: 'percentage', value: int(r, 5, 50), title: 'Deal' }
      }
    }
    if (varied && r() < 0.1) rule.enabled = false
    if (varied && r() < 0.15)
      rule.schedule = { from: '2026-11-01T00:00:00Z', until: pick(r, ['2026-11-30T00:00:00Z', '2027-01-31T00:00:00Z']) }
    if (varied && r() < 0.15) {
      rule.experiment = {
        name: `exp-${i}`,
        arms: [
          { id: 'holdout', weight: 20, holdout: true },
          { id: 'a', weight: 40 },
          { id: 'b', weight: 40, offer: { discount: { type: 'fixed_amount', value: 5, title: 'Five off' } } }
        ]
      }
    }
    if (varied && r() < 0.1) rule.next = { onDecline: `rule-${int(r, 0, opts.rules - 1)}` }
    files[`offers/${id}.json`] = JSON.stringify(rule)
  }
  return files
}

const money = (n: number) => ({ amount: n.toFixed(2), currencyCode: 'USD' })

/** A checkout's input_data with a random cart drawn from the same product pool. */
export function generateCheckout(r: Rng, i: number, products: number[]): Record<string, unknown> {
  const lines = Array.from({ length: int(r, 1, 4) }, () => {
    const productId = pick(r, products)
    const quantity = int(r, 1, 3)
    const total = (int(r, 1, 12000) / 100) * quantity
    return {
      product: {
        id: productId,
        title: `Product ${productId}`,
        metafields: [],
        variant: { id: productId * 10, title: 'Default', metafields: [] }
      },
      quantity,
      totalPriceSet: { shopMoney: money(total), presentmentMoney: money(total) },
      ...(r() < 0.1 ? { sellingPlanId: 77 } : {})
    }
  })
  const subtotal = lines.reduce((n, l) => n + Number(l.totalPriceSet.shopMoney.amount), 0)
  const total = r() < 0.05 ? 0.3 : subtotal + int(r, 0, 2000) / 100
  const country = r() < 0.1 ? undefined : pick(r, COUNTRIES)
  return {
    extensionPoint: 'Checkout::PostPurchase::ShouldRender',
    locale: pick(r, LOCALES),
    version: 'unstable',
    shop: { id: 1, domain: 'bench.myshopify.com', metafields: [] },
    initialPurchase: {
      referenceId: `gen-${i}`,
      ...(r() < 0.8 ? { customerId: r() < 0.5 ? int(r, 1, 1e6) : String(int(r, 1, 1e6)) } : {}),
      ...(country ? { destinationCountryCode: country } : {}),
      totalPriceSet: {
        shopMoney: money(total),
        presentmentMoney: r() < 0.05 ? { amount: '1.00', currencyCode: 'EUR' } : money(total)
      },
      lineItems: lines
    }
  }
}

/** Catalog facts for a checkout's products and customer, or undefined (not connected). */
export function generateCatalog(r: Rng, products: number[]) {
  if (r() < 0.3) return undefined
  return {
    products: Object.fromEntries(
      products.map((p) => [
        String(p),
        {
          tags: pickSome(r, TAGS, int(r, 0, 3)),
          vendor: pick(r, ['Alpine Co', 'Snowline', 'Other', null]),
          productType: pick(r, ['Boots', 'Socks', null]),
          collections: pickSome(r, ['winter', 'hiking'], int(r, 0, 2))
        }
      ])
    ),
    customer: { tags: pickSome(r, TAGS, int(r, 0, 2)), numberOfOrders: int(r, 0, 8) }
  }
}

export function generateHistory(r: Rng, ruleCount: number) {
  const ids = () =>
    Array.from({ length: r() < 0.6 ? 0 : int(r, 1, 2) }, () => `rule-${int(r, 0, Math.min(ruleCount - 1, 8))}`)
  const accepted = r() < 0.05 ? ['x-1', 'x-2', 'x-3'] : ids()
  return { shown: ids(), accepted, declined: ids() }
}
