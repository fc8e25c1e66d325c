// Answers the fake Admin API's GraphQL root fields (nodes, customer, productVariant, order, order editing, invoices,
// draft orders) the way Shopify shapes them.
import type { FakeCustomer, FakeProduct } from './shopify-fake-admin.js'
import type { FakeOrders } from './shopify-fake-orders.js'

export type FakeStore = { products: Map<number, FakeProduct>; customers: Map<number, FakeCustomer>; orders: FakeOrders }

/**
 * The order root fields: what each needs (any one of the scopes; a write scope covers its read scope) and how it is
 * answered. Arguments are read from variables (`field(arg: $var)`), as the server sends them.
 */
const ORDER_FIELDS: Record<
  string,
  { scopes: string[]; answer: (o: FakeOrders, shop: string, args: Record<string, unknown>) => unknown }
> = {
  order: { scopes: ['read_orders', 'write_orders'], answer: (o, shop, a) => o.orderNode(shop, a.id) },
  orderEditBegin: { scopes: ['write_order_edits'], answer: (o, shop, a) => o.orderEditBegin(shop, a) },
  orderEditAddVariant: { scopes: ['write_order_edits'], answer: (o, shop, a) => o.orderEditAddVariant(shop, a) },
  orderEditAddLineItemDiscount: {
    scopes: ['write_order_edits'],
    answer: (o, shop, a) => o.orderEditAddLineItemDiscount(shop, a)
  },
  orderEditCommit: { scopes: ['write_order_edits'], answer: (o, shop, a) => o.orderEditCommit(shop, a) },
  orderInvoiceSend: { scopes: ['write_orders'], answer: (o, shop, a) => o.orderInvoiceSend(shop, a) },
  draftOrderCreate: { scopes: ['write_draft_orders'], answer: (o, shop, a) => o.draftOrderCreate(shop, a) },
  draftOrders: {
    scopes: ['read_draft_orders', 'write_draft_orders'],
    answer: (o, shop, a) => o.draftOrdersByQuery(shop, a)
  }
}

/** The root fields of an operation that the fake answers for orders, with their arguments resolved from variables. */
export function orderRootFields(query: string, variables: Record<string, unknown>) {
  const found: { key: string; field: string; args: Record<string, unknown> }[] = []
  for (const field of Object.keys(ORDER_FIELDS)) {
    const re = new RegExp(`(?:(\\w+)\\s*:\\s*)?\\b${field}\\s*\\(([^)]*)\\)`, 'g')
    for (const m of query.matchAll(re)) {
      const args: Record<string, unknown> = {}
      for (const a of m[2]!.matchAll(/(\w+)\s*:\s*\$(\w+)/g)) args[a[1]!] = variables[a[2]!]
      found.push({ key: m[1] ?? field, field, args })
    }
  }
  return found
}

type GraphqlAnswer = { data: Record<string, unknown>; errors?: unknown[] }

function idOf(gid: unknown, type: string): number | null {
  if (typeof gid !== 'string') return null
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid)
  return m ? Number(m[1]) : null
}

function accessDenied(field: string, scope: string) {
  return {
    message: `Access denied for ${field} field. Required access: \`${scope}\` access scope.`,
    locations: [{ line: 1, column: 1 }],
    path: [field],
    extensions: {
      code: 'ACCESS_DENIED',
      documentation: 'https://shopify.dev/api/usage/access-scopes',
      requiredAccess: `\`${scope}\` access scope.`
    }
  }
}

function productNode(p: FakeProduct) {
  return {
    __typename: 'Product',
    id: `gid://shopify/Product/${p.id}`,
    tags: p.tags ?? [],
    vendor: p.vendor ?? null,
    productType: p.productType ?? '',
    collections: { nodes: (p.collections ?? []).map((c) => ({ handle: c.handle, title: c.title })) }
  }
}

function variantNode(store: FakeStore, variantId: number) {
  for (const p of store.products.values()) {
    const v = p.variants.find((x) => x.id === variantId)
    if (!v) continue
    const image = p.image ?? null
    return {
      id: `gid://shopify/ProductVariant/${v.id}`,
      title: v.title,
      availableForSale: v.availableForSale ?? true,
      price: v.price,
      compareAtPrice: v.compareAtPrice ?? null,
      image: v.image ?? null,
      product: {
        id: `gid://shopify/Product/${p.id}`,
        title: p.title,
        featuredMedia: image ? { preview: { image: { url: image.url, altText: image.altText } } } : null
      }
    }
  }
  return null
}

/**
 * Resolves the root fields present in `query`; fields the token's scopes do not cover answer null with ACCESS_DENIED.
 */
export function answerGraphql(
  store: FakeStore,
  query: string,
  variables: Record<string, unknown>,
  scope: string,
  shop = ''
): GraphqlAnswer {
  const scopes = new Set(scope.split(',').map((s) => s.trim()))
  const canReadProducts = scopes.has('read_products') || scopes.has('write_products')
  const canReadCustomers = scopes.has('read_customers') || scopes.has('write_customers')
  const data: Record<string, unknown> = {}
  const errors: unknown[] = []
  const nodes = /(?:(\w+)\s*:\s*)?nodes\s*\(\s*ids\s*:\s*\$(\w+)/.exec(query)
  if (nodes) {
    const key = nodes[1] ?? 'nodes'
    const ids = Array.isArray(variables[nodes[2]!]) ? (variables[nodes[2]!] as unknown[]) : []
    if (!canReadProducts) {
      data[key] = ids.map(() => null)
      errors.push(accessDenied(key, 'read_products'))
    } else {
      data[key] = ids.map((gid) => {
        const p = store.products.get(idOf(gid, 'Product') ?? -1)
        return p ? productNode(p) : null
      })
    }
  }
  const customer = /(?:(\w+)\s*:\s*)?customer\s*\(\s*id\s*:\s*\$(\w+)/.exec(query)
  if (customer) {
    const key = customer[1] ?? 'customer'
    const c = store.customers.get(idOf(variables[customer[2]!], 'Customer') ?? -1)
    if (!canReadCustomers) {
      data[key] = null
      errors.push(accessDenied(key, 'read_customers'))
    } else {
      // numberOfOrders is an UnsignedInt64: Shopify serialises it as a string.
      data[key] = c
        ? { id: `gid://shopify/Customer/${c.id}`, tags: c.tags ?? [], numberOfOrders: String(c.numberOfOrders ?? 0) }
        : null
    }
  }
  const variant = /(?:(\w+)\s*:\s*)?productVariant\s*\(\s*id\s*:\s*\$(\w+)/.exec(query)
  if (variant) {
    const key = variant[1] ?? 'productVariant'
    if (!canReadProducts) {
      data[key] = null
      errors.push(accessDenied(key, 'read_products'))
    } else {
      data[key] = variantNode(store, idOf(variables[variant[2]!], 'ProductVariant') ?? -1)
    }
  }
  for (const root of orderRootFields(query, variables)) {
    const spec = ORDER_FIELDS[root.field]!
    if (!spec.scopes.some((s) => has(scopes, s))) {
      data[root.key] = null
      errors.push(accessDenied(root.key, spec.scopes[spec.scopes.length - 1]!))
    } else {
      data[root.key] = spec.answer(store.orders, shop, root.args)
    }
  }
  return errors.length ? { data, errors } : { data }
}

/** Shopify's rule: a write scope grants its read scope too. */
function has(scopes: Set<string>, scope: string): boolean {
  return scopes.has(scope) || (scope.startsWith('read_') && scopes.has(`write_${scope.slice(5)}`))
}
