import t, { type Test } from 'tap'
import { shopifyWorld, SHOPIFY_TEST_SECRET, type ShopifyWorld } from '../support/shopify-app.js'
import { installThroughOAuth } from '../support/shopify-signing.js'
import type { FakeMode } from '../support/shopify-fake-admin.js'

const SHOP = 'demo-snow.myshopify.com'
const BOTH = { productCatalog: true, customerCatalog: true }

function checkout(productIds: number[], customerId: number | string | null = 207119551) {
  return {
    extensionPoint: 'Checkout::PostPurchase::ShouldRender',
    locale: 'en',
    shop: { id: 1, domain: SHOP },
    initialPurchase: {
      referenceId: 'r-1',
      ...(customerId === null ? {} : { customerId }),
      destinationCountryCode: 'US',
      totalPriceSet: {
        shopMoney: { amount: '10.00', currencyCode: 'USD' },
        presentmentMoney: { amount: '10.00', currencyCode: 'USD' }
      },
      lineItems: productIds.map((id) => ({
        product: { id, title: 'x', metafields: [], variant: { id: id + 1, title: 'v', metafields: [] } },
        quantity: 1,
        totalPriceSet: {
          shopMoney: { amount: '10.00', currencyCode: 'USD' },
          presentmentMoney: { amount: '10.00', currencyCode: 'USD' }
        }
      }))
    }
  }
}

function seed(world: ShopifyWorld): void {
  world.fake.addProduct({
    id: 632910392,
    title: 'Trail boots',
    tags: ['boots', 'winter'],
    vendor: 'Snowpeak',
    productType: 'Footwear',
    collections: [
      { handle: 'winter-sale', title: 'Winter sale' },
      { handle: 'boots', title: 'Boots' }
    ],
    image: { url: 'https://cdn.shopify.com/s/files/boots.png', altText: 'Brown boots' },
    variants: [{ id: 39072856, title: '42 / Brown', price: '119.00' }]
  })
  world.fake.addProduct({
    id: 632910400,
    title: 'Merino socks',
    tags: ['socks'],
    vendor: 'Woolly',
    productType: 'Socks',
    image: { url: 'https://cdn.shopify.com/s/files/socks.png', altText: 'Grey merino socks' },
    variants: [
      { id: 808950810, title: 'Default Title', price: '15.00', compareAtPrice: '19.00' },
      {
        id: 808950811,
        title: 'Large',
        price: '16.00',
        availableForSale: false,
        image: { url: 'https://cdn.shopify.com/s/files/socks-l.png', altText: null }
      }
    ]
  })
  world.fake.addCustomer({ id: 207119551, tags: ['vip'], numberOfOrders: 3 })
}

async function freshWorld(t: Test, grantScope?: string): Promise<ShopifyWorld> {
  const world = await shopifyWorld({ admin: { outageBackoffMs: 60_000 } })
  t.teardown(() => world.close())
  seed(world)
  await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP, grantScope ? { grantScope } : {})
  return world
}

t.test('catalog facts come from one Admin API request, then from the cache', async (t) => {
  const world = await freshWorld(t)
  const facts = await world.app.shopify.catalogFacts(SHOP, checkout([632910392, 999]), BOTH, Date.now() + 2000)
  t.same(facts, {
    products: {
      632910392: {
        tags: ['boots', 'winter'],
        vendor: 'Snowpeak',
        productType: 'Footwear',
        collections: ['winter-sale', 'boots']
      }
    },
    customer: { tags: ['vip'], numberOfOrders: 3 }
  })
  t.equal(world.fake.graphqlRequests().length, 1)
  t.same(world.fake.graphqlRequests()[0]?.variables, {
    productIds: ['gid://shopify/Product/632910392', 'gid://shopify/Product/999'],
    customerId: 'gid://shopify/Customer/207119551'
  })
  const again = await world.app.shopify.catalogFacts(SHOP, checkout([632910392, 999]), BOTH, Date.now() + 2000)
  t.same(again, facts)
  t.equal(world.fake.graphqlRequests().length, 1, 'unknown products are cached as unknown too')
})

t.test('only what the rules need is fetched', async (t) => {
  const world = await freshWorld(t)
  t.equal(
    await world.app.shopify.catalogFacts(
      SHOP,
      checkout([632910392]),
      { productCatalog: false, customerCatalog: false },
      Date.now() + 2000
    ),
    undefined
  )
  t.equal(world.fake.graphqlRequests().length, 0)
  const products = await world.app.shopify.catalogFacts(
    SHOP,
    checkout([632910400]),
    { productCatalog: true, customerCatalog: false },
    Date.now() + 2000
  )
  t.same(Object.keys(products?.products ?? {}), ['632910400'])
  t.equal(products?.customer, undefined)
  t.notOk('customerId' in (world.fake.graphqlRequests()[0]?.variables ?? {}))
  const customer = await world.app.shopify.catalogFacts(
    SHOP,
    checkout([632910400], '207119551'),
    { productCatalog: false, customerCatalog: true },
    Date.now() + 2000
  )
  t.same(customer, { customer: { tags: ['vip'], numberOfOrders: 3 } })
})

t.test('a shop without a session gets no facts and no request is made', async (t) => {
  const world = await freshWorld(t)
  t.equal(
    await world.app.shopify.catalogFacts('not-installed.myshopify.com', checkout([632910392]), BOTH, Date.now() + 2000),
    undefined
  )
  t.equal(await world.app.shopify.variantInfo('not-installed.myshopify.com', 808950810, Date.now() + 2000), null)
  t.equal(world.fake.graphqlRequests().length, 0)
})

t.test('a token without read_customers still yields product facts', async (t) => {
  const world = await freshWorld(t, 'read_products')
  const facts = await world.app.shopify.catalogFacts(SHOP, checkout([632910392]), BOTH, Date.now() + 2000)
  t.same(Object.keys(facts?.products ?? {}), ['632910392'])
  t.equal(facts?.customer, undefined)
})

t.test('the offered variant as the store sees it', async (t) => {
  const world = await freshWorld(t)
  t.same(await world.app.shopify.variantInfo(SHOP, 808950810, Date.now() + 2000), {
    available: true,
    productTitle: 'Merino socks',
    variantTitle: null,
    image: 'https://cdn.shopify.com/s/files/socks.png',
    imageAlt: 'Grey merino socks',
    price: 15,
    compareAtPrice: 19
  })
  t.same(await world.app.shopify.variantInfo(SHOP, 808950811, Date.now() + 2000), {
    available: false,
    productTitle: 'Merino socks',
    variantTitle: 'Large',
    image: 'https://cdn.shopify.com/s/files/socks-l.png',
    imageAlt: null,
    price: 16,
    compareAtPrice: null
  })
  t.equal(await world.app.shopify.variantInfo(SHOP, 1234, Date.now() + 2000), null)
  const calls = world.fake.graphqlRequests().length
  await world.app.shopify.variantInfo(SHOP, 808950810, Date.now() + 2000)
  await world.app.shopify.variantInfo(SHOP, 1234, Date.now() + 2000)
  t.equal(world.fake.graphqlRequests().length, calls, 'answers, including "not found", are cached')
})

const failures: { mode: FakeMode; why: string }[] = [
  { mode: 'down', why: 'a 503 outage' },
  { mode: 'reset', why: 'dropped connections' },
  { mode: 'throttled', why: 'GraphQL THROTTLED with an empty cost bucket' },
  { mode: 'http429', why: 'HTTP 429' },
  { mode: 'graphql-error', why: 'a GraphQL internal error' },
  { mode: 'slow', why: 'an answer slower than the deadline' }
]

for (const { mode, why } of failures) {
  t.test(`${why} gives no facts, returns by the deadline, and later checkouts skip the API for a while`, async (t) => {
    const world = await freshWorld(t)
    world.fake.mode = mode
    world.fake.delayMs = 10_000
    const start = Date.now()
    const facts = await world.app.shopify.catalogFacts(SHOP, checkout([632910392]), BOTH, start + 150)
    const variant = await world.app.shopify.variantInfo(SHOP, 808950810, Date.now() + 150)
    t.equal(facts, undefined)
    t.equal(variant, null)
    t.ok(Date.now() - start < 5_000, 'never waits for the slow answer')
    const calls = world.fake.graphqlRequests().length
    t.ok(calls <= 1, 'the variant look-up did not call an API that just failed')
    await world.app.shopify.catalogFacts(SHOP, checkout([632910400]), BOTH, Date.now() + 150)
    t.equal(world.fake.graphqlRequests().length, calls)
  })
}

t.test('cached facts are still served while the API is down', async (t) => {
  const world = await freshWorld(t)
  const first = await world.app.shopify.catalogFacts(SHOP, checkout([632910392]), BOTH, Date.now() + 2000)
  world.fake.mode = 'down'
  t.same(await world.app.shopify.catalogFacts(SHOP, checkout([632910392]), BOTH, Date.now() + 2000), first)
})

t.test('concurrent checkouts asking for the same products share one request', async (t) => {
  const world = await freshWorld(t)
  const all = await Promise.all(
    Array.from({ length: 20 }, () =>
      world.app.shopify.catalogFacts(SHOP, checkout([632910392]), BOTH, Date.now() + 2000)
    )
  )
  t.equal(world.fake.graphqlRequests().length, 1)
  t.ok(all.every((f) => f?.products?.['632910392']?.vendor === 'Snowpeak'))
})

t.test('when the cost bucket runs low, calls pause until it refills instead of being throttled', async (t) => {
  const world = await shopifyWorld({ bucketSize: 100, restoreRate: 1, admin: { reserveCost: 100 } })
  t.teardown(() => world.close())
  seed(world)
  await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP)
  const first = await world.app.shopify.catalogFacts(SHOP, checkout([632910392]), BOTH, Date.now() + 2000)
  t.ok(first?.products, 'the first call is answered')
  const second = await world.app.shopify.catalogFacts(SHOP, checkout([632910400]), BOTH, Date.now() + 2000)
  t.equal(second?.products, undefined)
  t.equal(world.fake.graphqlRequests().length, 1, 'the second call was not sent')
})
