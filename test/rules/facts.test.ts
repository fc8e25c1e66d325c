// buildFacts turns Shopify's input_data into the facts rules see, exactly as docs/rules.md lists them.
import t from 'tap'
import { buildFacts, RulesError } from '../../server/rules/index.js'
import { checkout } from '../support/rules-helpers.js'

const NOW = new Date('2026-11-25T12:00:00Z')

t.test('cart sums line items, ids, units and money as numbers in the shop currency', async (t) => {
  const f = buildFacts(
    checkout({
      lines: [
        { productId: 1, variantId: 11, title: 'Boots', quantity: 2, total: '119.10' },
        { productId: 2, variantId: 21, quantity: 1, total: '0.20' },
        { productId: 1, variantId: 12, quantity: 1, total: '10.00' }
      ],
      total: '150.55'
    }),
    { now: NOW }
  )
  t.same(f.cart.productIds, [1, 2], 'product ids are unique, in cart order')
  t.same(f.cart.variantIds, [11, 21, 12])
  t.equal(f.cart.quantity, 4, 'quantity counts units')
  t.equal(f.cart.lineCount, 3)
  t.equal(f.cart.subtotal, 129.3, 'subtotal is the sum of line totals, without float noise')
  t.equal(f.cart.total, 150.55, 'total includes shipping and tax')
  t.equal(f.cart.currency, 'USD')
  t.equal(f.cart.hasSubscription, false)
  t.same(f.cart.lineItems[0], {
    productId: 1,
    variantId: 11,
    productTitle: 'Boots',
    variantTitle: 'Default Title',
    quantity: 2,
    total: 119.1,
    sellingPlanId: null,
    tags: [],
    vendor: null,
    productType: null,
    collections: []
  })
})

t.test('a line with a selling plan makes hasSubscription true', async (t) => {
  const f = buildFacts(checkout({ lines: [{ productId: 1 }, { productId: 2, sellingPlanId: 3031072 }] }), { now: NOW })
  t.equal(f.cart.hasSubscription, true)
  t.equal(f.cart.lineItems[1]?.sellingPlanId, 3031072)
})

t.test('shippingCountry is the destination code, or null without a shipping address', async (t) => {
  t.equal(buildFacts(checkout({ country: 'CA' })).shippingCountry, 'CA')
  t.equal(buildFacts(checkout({ country: null })).shippingCountry, null)
})

t.test('shop, locale and now come through; locale defaults to "en"', async (t) => {
  const f = buildFacts(checkout({ locale: 'fr-CA' }), { now: NOW })
  t.same(f.shop, { id: 1, domain: 'demo-snow.myshopify.com' })
  t.equal(f.locale, 'fr-CA')
  t.equal(f.now, '2026-11-25T12:00:00.000Z', 'now is an ISO string')
  const input = checkout() as { locale?: string }
  delete input.locale
  t.equal(buildFacts(input).locale, 'en')
})

t.test('customer id arrives as a number, a numeric string or a GID; absent means null', async (t) => {
  t.equal(buildFacts(checkout({ customerId: 207119551 })).customer.id, 207119551)
  t.equal(buildFacts(checkout({ customerId: '207119551' })).customer.id, 207119551)
  t.equal(buildFacts(checkout({ customerId: 'gid://shopify/Customer/42' })).customer.id, 42)
  t.equal(buildFacts(checkout({ customerId: null })).customer.id, null)
  t.same(
    buildFacts(checkout()).customer,
    { id: 207119551, tags: [], numberOfOrders: null },
    'no catalog: no tags, unknown order count'
  )
})

t.test('payment is eligible for an ordinary card checkout', async (t) => {
  t.same(buildFacts(checkout()).payment, {
    eligible: true,
    reasons: [],
    shopCurrency: 'USD',
    presentmentCurrency: 'USD'
  })
})

t.test('payment names a reason for each thing Shopify would refuse', async (t) => {
  t.same(buildFacts(checkout({ country: null })).payment.reasons, ['no_shipping_address'])
  const eur = buildFacts(checkout({ presentmentCurrency: 'EUR', presentmentTotal: '99.00' })).payment
  t.same(eur.reasons, ['multi_currency'])
  t.equal(eur.presentmentCurrency, 'EUR')
  t.same(buildFacts(checkout({ lines: [{ productId: 1, total: '0.49' }], total: '0.49' })).payment.reasons, [
    'below_minimum'
  ])
  t.same(
    buildFacts(checkout({ lines: [{ productId: 1, total: '0.50' }], total: '0.50' })).payment.reasons,
    [],
    '0.50 itself is enough'
  )
  const limit = buildFacts(checkout(), { history: { accepted: ['a', 'b', 'c'] } }).payment
  t.same(limit, { eligible: false, reasons: ['offer_limit_reached'], shopCurrency: 'USD', presentmentCurrency: 'USD' })
  const all = buildFacts(
    checkout({ country: null, presentmentCurrency: 'EUR', total: '0.10', lines: [{ productId: 1, total: '0.10' }] }),
    { history: { accepted: ['a', 'b', 'c'] } }
  )
  t.same(all.payment.reasons, ['no_shipping_address', 'multi_currency', 'below_minimum', 'offer_limit_reached'])
})

t.test('history is normalised: missing lists are empty, duplicates and non-strings dropped', async (t) => {
  t.same(buildFacts(checkout()).history, { shown: [], accepted: [], declined: [] })
  t.same(buildFacts(checkout(), { history: { shown: ['a', 'a', 3 as unknown as string], declined: ['b'] } }).history, {
    shown: ['a'],
    accepted: [],
    declined: ['b']
  })
})

t.test('catalog facts enrich line items, cart unions and the customer', async (t) => {
  const f = buildFacts(checkout({ lines: [{ productId: 1 }, { productId: 2 }, { productId: 3 }] }), {
    catalog: {
      products: {
        1: { tags: ['hiking', 'winter'], vendor: 'Alpine Co', productType: 'Boots', collections: ['hiking'] },
        2: { tags: ['winter'], vendor: 'Woolly', productType: null, collections: ['hiking', 'gifts'] }
      },
      customer: { tags: ['vip'], numberOfOrders: 4 }
    }
  })
  t.same(
    f.cart.lineItems.map((l) => [l.tags, l.vendor, l.productType, l.collections]),
    [
      [['hiking', 'winter'], 'Alpine Co', 'Boots', ['hiking']],
      [['winter'], 'Woolly', null, ['hiking', 'gifts']],
      [[], null, null, []]
    ],
    'a product the catalog does not know gets empty values'
  )
  t.same(f.cart.productTags, ['hiking', 'winter'])
  t.same(f.cart.vendors, ['Alpine Co', 'Woolly'])
  t.same(f.cart.productTypes, ['Boots'])
  t.same(f.cart.collections, ['hiking', 'gifts'])
  t.same(f.customer, { id: 207119551, tags: ['vip'], numberOfOrders: 4 })
})

t.test('input_data missing what every checkout has is INPUT_DATA_INVALID, naming the field', async (t) => {
  const cases: [string, (c: Record<string, any>) => unknown, string][] = [
    ['not an object', () => 'nope', ''],
    [
      'no initialPurchase',
      (c) => {
        delete c.initialPurchase
        return c
      },
      '/initialPurchase'
    ],
    [
      'no referenceId',
      (c) => {
        delete c.initialPurchase.referenceId
        return c
      },
      '/initialPurchase/referenceId'
    ],
    [
      'no line items',
      (c) => {
        delete c.initialPurchase.lineItems
        return c
      },
      '/initialPurchase/lineItems'
    ],
    [
      'no total',
      (c) => {
        delete c.initialPurchase.totalPriceSet
        return c
      },
      '/initialPurchase/totalPriceSet'
    ],
    [
      'money that is not a number',
      (c) => {
        c.initialPurchase.totalPriceSet.shopMoney.amount = 'lots'
        return c
      },
      '/initialPurchase/totalPriceSet/shopMoney/amount'
    ],
    [
      'a product id that is not numeric',
      (c) => {
        c.initialPurchase.lineItems[0].product.id = 'abc'
        return c
      },
      '/initialPurchase/lineItems/0/product/id'
    ],
    [
      'no shop',
      (c) => {
        delete c.shop
        return c
      },
      '/shop'
    ]
  ]
  for (const [name, mutate, pointer] of cases) {
    const input = mutate(structuredClone(checkout()))
    try {
      buildFacts(input)
      t.fail(`${name}: expected an error`)
    } catch (err) {
      t.ok(err instanceof RulesError, name)
      t.equal((err as RulesError).code, 'INPUT_DATA_INVALID', name)
      t.equal((err as RulesError).pointer, pointer, `${name} points at ${pointer}`)
      t.match((err as Error).message, /expected/, `${name}: the message says what was expected`)
    }
  }
})

t.test('money as numbers and ids as numeric strings are tolerated', async (t) => {
  const input = checkout() as Record<string, any>
  input.initialPurchase.lineItems[0].product.id = '632910392'
  input.initialPurchase.totalPriceSet.shopMoney.amount = 110
  const f = buildFacts(input)
  t.same(f.cart.productIds, [632910392])
  t.equal(f.cart.total, 110)
})

t.test('malformed catalog data is ignored value by value, never fails the checkout', async (t) => {
  const f = buildFacts(checkout({ lines: [{ productId: 1 }] }), {
    catalog: {
      products: { 1: { tags: 'hiking', vendor: 5, productType: 'Boots', collections: [null, 'c'] } },
      customer: { tags: null, numberOfOrders: 'many' }
    } as never
  })
  t.same(
    [
      f.cart.lineItems[0]?.tags,
      f.cart.lineItems[0]?.vendor,
      f.cart.lineItems[0]?.productType,
      f.cart.lineItems[0]?.collections
    ],
    [[], null, 'Boots', ['c']]
  )
  t.same(f.customer, { id: 207119551, tags: [], numberOfOrders: null })
  t.same(buildFacts(checkout(), { catalog: { products: null, customer: 3 } as never }).customer.tags, [])
})

t.test('an invalid now is INVALID_OPTIONS', async (t) => {
  t.throws(() => buildFacts(checkout(), { now: new Date('nope') }), { code: 'INVALID_OPTIONS' })
})
