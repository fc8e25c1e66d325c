// The seam to the Shopify integration: `fastify.shopify`, with defaults that need no store (every shop active, no
// catalog).
import fp from 'fastify-plugin'
import type { CatalogFacts } from '../rules/index.js'
import type { Config } from '../config.js'

export type VariantInfo = {
  available: boolean
  productTitle: string
  variantTitle: string | null
  image: string | null
  imageAlt: string | null
  price: number
  compareAtPrice: number | null
}

/**
 * What /api/offer and /api/sign-changeset ask of Shopify. server/shopify/plugin.ts (name 'encore-shopify') provides the
 * real one.
 */
export interface ShopifyIntegration {
  /** False once the shop uninstalled the app or was redacted: no offers then. */
  isShopActive(shopDomain: string): boolean
  /** Tags, vendors, collections and customer data; asked only when `ruleset.needs` says a rule uses them. */
  catalogFacts(
    shopDomain: string,
    inputData: unknown,
    needs: { productCatalog: boolean; customerCatalog: boolean },
    deadline: number
  ): Promise<CatalogFacts | undefined>
  /** The offered variant as the store sees it now; null when unknown. `deadline` is a Date.now()-based ms time. */
  variantInfo(shopDomain: string, variantId: number, deadline: number): Promise<VariantInfo | null>
}

declare module 'fastify' {
  interface FastifyInstance {
    shopify: ShopifyIntegration
  }
}

export const defaultShopifyIntegration: ShopifyIntegration = {
  isShopActive: () => true,
  catalogFacts: async () => undefined,
  variantInfo: async () => null
}

/** Options every integration plugin receives from app.ts (the real one reads its settings from `config`). */
export type ShopifyPluginOptions = { config: Config }

/** A plugin that provides the given integration under the seam's name (tests pass fakes through buildApp). */
export function provideShopify(integration: ShopifyIntegration) {
  return fp<ShopifyPluginOptions>(
    async (fastify) => {
      fastify.decorate('shopify', integration)
    },
    { name: 'encore-shopify', fastify: '5.x' }
  )
}

/** The default integration: no Shopify connection at all. */
const shopifyDefault = provideShopify(defaultShopifyIntegration)
export default shopifyDefault
