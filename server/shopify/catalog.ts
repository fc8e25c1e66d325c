// Catalog look-ups for checkouts (product and customer facts for rules, the offered variant), cached, within a
// deadline.
import type { CatalogFacts } from '../rules/index.js'
import type { VariantInfo } from '../plugins/shopify-default.js'
import type { AdminGraphql } from './admin-graphql.js'
import { TtlCache } from './ttl-cache.js'
import {
  catalogFactsQuery,
  gid,
  VARIANT_QUERY,
  type CatalogFactsAnswer,
  type VariantAnswer
} from './catalog-queries.js'

type ProductFacts = NonNullable<CatalogFacts['products']>[string]
type CustomerFacts = NonNullable<CatalogFacts['customer']>
type Needs = { productCatalog: boolean; customerCatalog: boolean }

/** A cart with more distinct products than this only gets facts for the first ones (one request, bounded cost). */
const MAX_PRODUCTS = 50

export type CatalogOptions = { ttlMs: number; maxEntries?: number; now?: () => number }

/** Product ids and the customer id of a checkout's input_data; anything malformed is ignored, never thrown. */
export function checkoutIds(inputData: unknown): { productIds: string[]; customerId: string | null } {
  const purchase = (inputData as { initialPurchase?: { customerId?: unknown; lineItems?: unknown } } | null)
    ?.initialPurchase
  const lines = Array.isArray(purchase?.lineItems) ? (purchase.lineItems as { product?: { id?: unknown } }[]) : []
  const ids = new Set<string>()
  for (const line of lines) {
    const id = line?.product?.id
    if ((typeof id === 'number' && Number.isSafeInteger(id) && id > 0) || (typeof id === 'string' && /^\d+$/.test(id)))
      ids.add(String(id))
  }
  const c = purchase?.customerId
  const numeric = typeof c === 'string' ? (/^(?:gid:\/\/shopify\/Customer\/)?(\d+)$/.exec(c)?.[1] ?? null) : null
  const customerId = typeof c === 'number' && Number.isSafeInteger(c) && c > 0 ? String(c) : numeric
  return { productIds: [...ids].slice(0, MAX_PRODUCTS), customerId }
}

function toProductFacts(node: NonNullable<CatalogFactsAnswer['products']>[number]): ProductFacts | null {
  if (!node || !('id' in node)) return null
  return {
    tags: Array.isArray(node.tags) ? node.tags.filter((t): t is string => typeof t === 'string') : [],
    vendor: typeof node.vendor === 'string' && node.vendor !== '' ? node.vendor : null,
    productType: typeof node.productType === 'string' && node.productType !== '' ? node.productType : null,
    collections: (node.collections?.nodes ?? []).map((c) => c.handle).filter((h): h is string => typeof h === 'string')
  }
}

function toCustomerFacts(node: CatalogFactsAnswer['customer']): CustomerFacts | null {
  if (!node) return null
  const orders = Number(node.numberOfOrders ?? 0) // UnsignedInt64 arrives as a string
  return {
    tags: Array.isArray(node.tags) ? node.tags.filter((t): t is string => typeof t === 'string') : [],
    numberOfOrders: Number.isFinite(orders) ? orders : 0
  }
}

function money(v: unknown): number | null {
  const n = typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN
  return Number.isFinite(n) ? n : null
}

export class Catalog {
  /** Keys: `<shop>|p|<id>`, `<shop>|c|<id>`, `<shop>|v|<id>`; null caches "Shopify says it does not exist". */
  private readonly cache: TtlCache<ProductFacts | CustomerFacts | VariantInfo | null>
  /** Concurrent checkouts asking for the same thing share one request. */
  private readonly inflight = new Map<string, Promise<unknown>>()

  constructor(
    private readonly admin: AdminGraphql,
    opts: CatalogOptions
  ) {
    this.cache = new TtlCache(opts.ttlMs, opts.maxEntries ?? 20_000, opts.now)
  }

  forgetShop(shop: string): void {
    this.cache.deletePrefix(`${shop}|`)
  }

  forgetCustomer(shop: string, customerId: string): void {
    this.cache.delete(`${shop}|c|${customerId}`)
  }

  async catalogFacts(
    shop: string,
    inputData: unknown,
    needs: Needs,
    deadline: number
  ): Promise<CatalogFacts | undefined> {
    if (!needs.productCatalog && !needs.customerCatalog) return undefined
    const ids = checkoutIds(inputData)
    const productIds = needs.productCatalog ? ids.productIds : []
    const customerId = needs.customerCatalog ? ids.customerId : null
    const missingProducts = productIds.filter((id) => !this.cache.get(`${shop}|p|${id}`))
    const customerMissing = customerId !== null && !this.cache.get(`${shop}|c|${customerId}`)
    if ((missingProducts.length || customerMissing) && this.admin.canCall(shop)) {
      await this.fetchFacts(shop, missingProducts, customerMissing ? customerId : null, deadline)
    }
    return this.factsFromCache(shop, productIds, customerId)
  }

  async variantInfo(shop: string, variantId: number, deadline: number): Promise<VariantInfo | null> {
    if (!Number.isSafeInteger(variantId) || variantId <= 0) return null
    const key = `${shop}|v|${variantId}`
    const hit = this.cache.get(key)
    if (hit) return hit.value as VariantInfo | null
    if (!this.admin.canCall(shop)) return null
    await this.shared(
      key,
      async () => {
        const res = await this.admin.query<VariantAnswer>(
          shop,
          VARIANT_QUERY,
          { variantId: gid.variant(variantId) },
          deadline
        )
        if (!res.ok || !('productVariant' in res.data)) return
        const v = res.data.productVariant
        if (!v) return this.cache.set(key, null)
        const image = v.image ?? v.product?.featuredMedia?.preview?.image ?? null
        const price = money(v.price)
        if (price === null) return
        this.cache.set(key, {
          available: v.availableForSale === true,
          productTitle: v.product?.title ?? '',
          variantTitle: v.title && v.title !== 'Default Title' ? v.title : null,
          image: image?.url ?? null,
          imageAlt: image?.altText ?? null,
          price,
          compareAtPrice: money(v.compareAtPrice)
        })
      },
      deadline
    )
    return (this.cache.get(key)?.value ?? null) as VariantInfo | null
  }

  private async fetchFacts(
    shop: string,
    productIds: string[],
    customerId: string | null,
    deadline: number
  ): Promise<void> {
    const key = `${shop}|facts|${productIds.join(',')}|${customerId ?? ''}`
    await this.shared(
      key,
      async () => {
        const variables: Record<string, unknown> = {}
        if (productIds.length) variables.productIds = productIds.map(gid.product)
        if (customerId !== null) variables.customerId = gid.customer(customerId)
        const res = await this.admin.query<CatalogFactsAnswer>(
          shop,
          catalogFactsQuery(productIds.length > 0, customerId !== null),
          variables,
          deadline
        )
        if (!res.ok) return
        const failed = new Set(res.errors.map((e) => (Array.isArray(e.path) ? e.path[0] : null)))
        if (productIds.length && Array.isArray(res.data.products) && !failed.has('products')) {
          productIds.forEach((id, i) =>
            this.cache.set(`${shop}|p|${id}`, toProductFacts(res.data.products![i] ?? null))
          )
        }
        if (customerId !== null && 'customer' in res.data && !failed.has('customer')) {
          this.cache.set(`${shop}|c|${customerId}`, toCustomerFacts(res.data.customer))
        }
      },
      deadline
    )
  }

  private factsFromCache(shop: string, productIds: string[], customerId: string | null): CatalogFacts | undefined {
    const facts: CatalogFacts = {}
    const products: Record<string, ProductFacts> = {}
    for (const id of productIds) {
      const p = this.cache.get(`${shop}|p|${id}`)?.value as ProductFacts | null | undefined
      if (p) products[id] = p
    }
    if (Object.keys(products).length) facts.products = products
    if (customerId !== null) {
      const c = this.cache.get(`${shop}|c|${customerId}`)?.value as CustomerFacts | null | undefined
      if (c) facts.customer = c
    }
    return facts.products || facts.customer ? facts : undefined
  }

  /** Joins an identical request already in flight; a joiner still never waits past its own deadline. */
  private async shared(key: string, run: () => Promise<void>, deadline: number): Promise<void> {
    let p = this.inflight.get(key)
    if (!p) {
      p = run()
        .catch(() => undefined)
        .finally(() => this.inflight.delete(key))
      this.inflight.set(key, p)
    }
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now() - 2))
    })
    try {
      await Promise.race([p, late])
    } finally {
      clearTimeout(timer)
    }
  }
}
