// Test data for the Thank-you page's Admin API calls: a shop installed on the fake with products and a paid order.
import type { Test } from 'tap'
import { shopifyWorld, SHOPIFY_TEST_SECRET, type ShopifyWorld } from './shopify-app.js'
import { installThroughOAuth } from './shopify-signing.js'
import type { FakeOrder } from './shopify-fake-admin.js'
import type { AdminGraphqlOptions } from '../../server/shopify/admin-graphql.js'

export const SHOP = 'demo-snow.myshopify.com'
export const ORDER_ID = 450789469
export const ORDER_GID = `gid://shopify/Order/${ORDER_ID}`
/** Merino socks at 8.10: the offered variant. */
export const SOCKS = 808950810
export const BOOTS = 39072856

/** A paid order: one pair of boots, 119.00 USD, paid in full. */
export function paidOrder(overrides: Partial<FakeOrder> = {}): FakeOrder {
  return {
    id: ORDER_ID,
    shop: SHOP,
    name: '#1001',
    confirmationNumber: 'XPAV284CT',
    createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    customerId: 207119551,
    currency: 'USD',
    shippingCountry: 'US',
    locale: 'en',
    lineItems: [
      {
        variantId: BOOTS,
        productId: 632910392,
        title: 'Trail boots',
        variantTitle: '42 / Brown',
        quantity: 1,
        price: '119.00'
      }
    ],
    ...overrides
  }
}

export function seedOrders(world: ShopifyWorld): void {
  world.fake.addProduct({
    id: 632910392,
    title: 'Trail boots',
    variants: [{ id: BOOTS, title: '42 / Brown', price: '119.00' }]
  })
  world.fake.addProduct({
    id: 632910400,
    title: 'Merino socks',
    variants: [
      { id: SOCKS, title: 'Default Title', price: '8.10' },
      { id: 808950811, title: 'Large', price: '9.00', availableForSale: false }
    ]
  })
  world.fake.addOrder(paidOrder())
}

/** A world with the shop installed through OAuth (granting `grantScope`, by default everything asked). */
export async function orderWorld(
  t: Test,
  opts: { grantScope?: string; admin?: AdminGraphqlOptions } = {}
): Promise<ShopifyWorld> {
  const world = await shopifyWorld({ admin: opts.admin ?? { outageBackoffMs: 60_000 } })
  t.teardown(() => world.close())
  seedOrders(world)
  await installThroughOAuth(
    world.app,
    world.fake,
    SHOPIFY_TEST_SECRET,
    SHOP,
    opts.grantScope ? { grantScope: opts.grantScope } : {}
  )
  return world
}
