// The Admin GraphQL documents the catalog sends, and the shapes of their answers.

const PRODUCTS = `products: nodes(ids: $productIds) {
    ... on Product { id tags vendor productType collections(first: 50) { nodes { handle } } }
  }`
const CUSTOMER = `customer(id: $customerId) { id tags numberOfOrders }`

/** One request for what is missing: products, the customer, or both (one round trip either way). */
export function catalogFactsQuery(withProducts: boolean, withCustomer: boolean): string {
  const vars = [withProducts ? '$productIds: [ID!]!' : null, withCustomer ? '$customerId: ID!' : null]
    .filter(Boolean)
    .join(', ')
  const fields = [withProducts ? PRODUCTS : null, withCustomer ? CUSTOMER : null].filter(Boolean).join('\n  ')
  return `query EncoreCatalogFacts(${vars}) {\n  ${fields}\n}`
}

export const VARIANT_QUERY = `query EncoreVariant($variantId: ID!) {
  productVariant(id: $variantId) {
    id title availableForSale price compareAtPrice
    image { url altText }
    product { id title featuredMedia { preview { image { url altText } } } }
  }
}`

export type ProductNode = {
  id: string
  tags?: string[]
  vendor?: string | null
  productType?: string | null
  collections?: { nodes?: { handle: string }[] }
}
export type CustomerNode = { id: string; tags?: string[]; numberOfOrders?: string | number | null }
export type CatalogFactsAnswer = {
  products?: (ProductNode | Record<string, never> | null)[]
  customer?: CustomerNode | null
}

type Image = { url: string; altText: string | null } | null
export type VariantAnswer = {
  productVariant: {
    id: string
    title: string
    availableForSale: boolean
    price: string
    compareAtPrice: string | null
    image: Image
    product: { id: string; title: string; featuredMedia: { preview: { image: Image } | null } | null }
  } | null
}

export const gid = {
  product: (id: number | string) => `gid://shopify/Product/${id}`,
  customer: (id: number | string) => `gid://shopify/Customer/${id}`,
  variant: (id: number | string) => `gid://shopify/ProductVariant/${id}`,
  numeric: (g: string): string | null => /\/(\d+)$/.exec(g)?.[1] ?? null
}
