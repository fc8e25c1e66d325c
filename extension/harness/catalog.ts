// The demo store's catalog: what calculateChangeset and applyChangeset price and stock.
import { readFileSync } from 'node:fs'

export type CatalogVariant = {
  productId: number
  product: string
  title: string
  handle: string
  price: string
  inventory: number
}
export type Catalog = { currency: string; taxRates: Record<string, number>; variants: Map<number, CatalogVariant> }

const DEMO_CATALOG = new URL('./demo-catalog.json', import.meta.url)

/** Reads a catalog file (the demo one by default); each call returns a fresh copy with its own stock. */
export function loadCatalog(file: URL | string = DEMO_CATALOG): Catalog {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    currency: string
    taxRates?: Record<string, number>
    variants: Record<string, CatalogVariant>
  }
  const variants = new Map<number, CatalogVariant>()
  for (const [id, v] of Object.entries(raw.variants)) variants.set(Number(id), { ...v })
  return { currency: raw.currency, taxRates: { ...(raw.taxRates ?? {}) }, variants }
}
