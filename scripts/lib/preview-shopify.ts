// The preview's Shopify: the local fake Admin API on loopback, with the demo shop's catalog and each fixture's
// products in it, every fixture's shop installed in the service through OAuth, and the buyer's orders created in it
// from the fixture, so the Thank-you page can prove an order is the buyer's and accepting edits it there.
import type { FastifyInstance } from 'fastify'
import { loadCatalog, loadFixtures, type InputData } from '../../extension/harness/index.js'
import {
  confirmationNumber,
  type NewOrder,
  type PreviewOrder,
  type PreviewOrders
} from '../../extension/preview/thank-you-pages.js'
// The one place scripts/ reach into test/ (eslint.config.js): the fake of Shopify's Admin API and its OAuth grant
// screen are the preview's stand-in for a shop, as they are the tests'.
import { startFakeAdminApi, type FakeAdminApi, type FakeProduct } from '../../test/support/shopify-fake-admin.js'
import { installThroughOAuth } from '../../test/support/shopify-signing.js'

export type PreviewShopify = {
  /** Where the service's Admin API calls go (SHOPIFY_ADMIN_API_ORIGIN). */
  origin: string
  fake: FakeAdminApi
  /** Installs every fixture's shop in the service, as a merchant approving the grant screen would. */
  install(app: FastifyInstance): Promise<void>
  orders: PreviewOrders
  close(): Promise<void>
}

/** The products the preview's shops sell: the demo catalog (what offers add) and what the fixtures bought. */
function products(fixtures: Record<string, InputData>): FakeProduct[] {
  const byId = new Map<number, FakeProduct>()
  const variant = (productId: number, title: string, v: FakeProduct['variants'][number]) => {
    const product = byId.get(productId) ?? { id: productId, title, variants: [] }
    if (!product.variants.some((x) => x.id === v.id)) product.variants.push(v)
    byId.set(productId, product)
  }
  for (const [id, v] of loadCatalog().variants) variant(v.productId, v.product, { id, title: v.title, price: v.price })
  for (const fixture of Object.values(fixtures))
    for (const line of fixture.initialPurchase.lineItems) {
      const unit = (Number(line.totalPriceSet.shopMoney.amount) / Math.max(1, line.quantity)).toFixed(2)
      variant(line.product.id, line.product.title, {
        id: line.product.variant.id,
        title: line.product.variant.title,
        price: unit
      })
    }
  return [...byId.values()]
}

export async function startPreviewShopify(opts: {
  rulesDir: string
  apiKey: string
  apiSecret: string
}): Promise<PreviewShopify> {
  const fixtures = loadFixtures(opts.rulesDir)
  const fake = await startFakeAdminApi({ apiKey: opts.apiKey, apiSecret: opts.apiSecret })
  for (const product of products(fixtures)) fake.addProduct(product)
  const catalog = loadCatalog()
  let next = 5550001
  const reserved = new Set<string>()

  const orders: PreviewOrders = {
    description: `a fake Admin API on ${fake.origin} (the order is created there from the fixture)`,
    reserveCheckoutId() {
      const id = String(next++)
      reserved.add(id)
      return id
    },
    async create(order: NewOrder): Promise<PreviewOrder> {
      const p = order.inputData.initialPurchase
      // A card order is the one its post-purchase checkout was named after; a wallet order gets a new id.
      const n = reserved.delete(order.referenceId) ? Number(order.referenceId) : next++
      const number = confirmationNumber()
      const name = `#${n - 5549000}`
      const bought = p.lineItems.map((line) => ({
        variantId: line.product.variant.id,
        productId: line.product.id,
        title: line.product.title,
        variantTitle: line.product.variant.title,
        quantity: line.quantity,
        price: (Number(line.totalPriceSet.shopMoney.amount) / Math.max(1, line.quantity)).toFixed(2)
      }))
      // What the post-purchase page added is on the order too, at the catalog's price (its discount aside).
      const added = order.added.map((a) => {
        const v = catalog.variants.get(a.variantId)
        return {
          variantId: a.variantId,
          productId: v?.productId,
          title: v?.product ?? `Variant ${a.variantId}`,
          variantTitle: v?.title ?? null,
          quantity: a.quantity,
          price: v?.price ?? '0.00'
        }
      })
      const customerId = p.customerId === undefined || p.customerId === null ? null : Number(p.customerId)
      fake.addOrder({
        id: n,
        shop: order.inputData.shop.domain,
        name,
        confirmationNumber: number,
        createdAt: new Date().toISOString(),
        customerId,
        currency: p.totalPriceSet.shopMoney.currencyCode,
        presentmentCurrency: p.totalPriceSet.presentmentMoney.currencyCode,
        shippingCountry: p.destinationCountryCode ?? null,
        locale: order.inputData.locale ?? null,
        lineItems: [...bought, ...added]
      })
      return { id: `gid://shopify/Order/${n}`, confirmationNumber: number, name }
    },
    async describe(orderId: string) {
      return {
        committedEdits: fake.committedEdits(orderId),
        invoicesSent: fake.invoicesSent(orderId)
      }
    }
  }

  return {
    origin: fake.origin,
    fake,
    orders,
    async install(app) {
      const shops = new Set(Object.values(fixtures).map((f) => f.shop.domain))
      for (const shop of shops) {
        const { callback } = await installThroughOAuth(app, fake, opts.apiSecret, shop)
        if (callback.statusCode >= 400) throw new Error(`installing ${shop} in the service failed: ${callback.body}`)
      }
    },
    close: () => fake.close()
  }
}
