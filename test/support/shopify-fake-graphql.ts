// Answers the fake Admin API's GraphQL root fields (nodes, customer, productVariant) the way Shopify shapes them.
import type { FakeCustomer, FakeProduct } from './shopify-fake-admin.js'

export type FakeStore = { products: Map<number, FakeProduct>; customers: Map<number, FakeCustomer> }

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
  scope: string
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
  return errors.length ? { data, errors } : { data }
}
