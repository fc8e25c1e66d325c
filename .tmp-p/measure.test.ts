import { shopifyWorld, SHOPIFY_TEST_SECRET } from '../test/support/shopify-app.js'
import { installThroughOAuth } from '../test/support/shopify-signing.js'
const SHOP = 'demo-snow.myshopify.com'
const world = await shopifyWorld()
world.fake.addProduct({ id: 1, title: 'a', tags: ['x'], variants: [{ id: 11, title: 'v', price: '1.00' }] })
world.fake.addCustomer({ id: 5, tags: ['vip'], numberOfOrders: 2 })
await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP)
const input = (p: number) => ({ initialPurchase: { customerId: 5, lineItems: [{ product: { id: p } }] } })
const needs = { productCatalog: true, customerCatalog: true }
// uncached round trips (distinct product ids each time, customer cached after first)
let t0 = performance.now()
for (let i = 0; i < 200; i++) await world.app.shopify.catalogFacts(SHOP, input(1000 + i), needs, Date.now() + 1000)
console.log('uncached catalogFacts via fake, ms/call', ((performance.now() - t0) / 200).toFixed(2))
t0 = performance.now()
for (let i = 0; i < 20000; i++) await world.app.shopify.catalogFacts(SHOP, input(1), needs, Date.now() + 1000)
console.log('cached catalogFacts, µs/call', ((performance.now() - t0) / 20000 * 1000).toFixed(1))
t0 = performance.now()
for (let i = 0; i < 20000; i++) await world.app.shopify.variantInfo(SHOP, 11, Date.now() + 1000)
console.log('cached variantInfo, µs/call', ((performance.now() - t0) / 20000 * 1000).toFixed(1))
world.fake.mode = 'down'
const fresh = await shopifyWorld()
await installThroughOAuth(fresh.app, fresh.fake, SHOPIFY_TEST_SECRET, SHOP)
fresh.fake.mode = 'slow'; fresh.fake.delayMs = 5000
t0 = performance.now()
await fresh.app.shopify.catalogFacts(SHOP, input(1), needs, Date.now() + 300)
console.log('slow API, 300 ms budget: returned after ms', (performance.now() - t0).toFixed(1))
t0 = performance.now()
for (let i = 0; i < 1000; i++) await fresh.app.shopify.catalogFacts(SHOP, input(2 + i), needs, Date.now() + 300)
console.log('during backoff, µs/call', ((performance.now() - t0)).toFixed(1))
await world.close(); await fresh.close()
