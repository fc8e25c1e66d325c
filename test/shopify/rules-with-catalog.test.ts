import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildFacts, decide, loadRulesDir, loadRulesFromFiles } from '../../server/rules/index.js'
import { shopifyWorld, SHOPIFY_TEST_SECRET } from '../support/shopify-app.js'
import { installThroughOAuth } from '../support/shopify-signing.js'

const SHOP = 'demo-snow.myshopify.com'
const SAMPLE_RULES = fileURLToPath(new URL('../../rules', import.meta.url))
const bootsUs = JSON.parse(
  readFileSync(new URL('../../rules/fixtures/boots-us.json', import.meta.url), 'utf8')
) as Record<string, unknown>

t.test('catalog facts from the Admin API decide which rule wins', async (t) => {
  const world = await shopifyWorld()
  t.teardown(() => world.close())
  world.fake.addProduct({
    id: 632910392,
    title: 'Trail boots',
    tags: ['hiking', 'waterproof'],
    vendor: 'Alpine Co',
    productType: 'Boots',
    collections: [{ handle: 'hiking', title: 'Hiking' }],
    variants: [{ id: 39072856, title: '42 / Brown', price: '119.00' }]
  })
  world.fake.addCustomer({ id: 207119551, tags: ['vip'], numberOfOrders: 1 })
  await installThroughOAuth(world.app, world.fake, SHOPIFY_TEST_SECRET, SHOP)

  t.test("a rule on $.productTags and the customer's tags matches through decide", async (t) => {
    const loaded = loadRulesFromFiles({
      'offers/hikers.json': JSON.stringify({
        id: 'hikers',
        conditions: {
          all: [
            { fact: 'cart', path: '$.productTags', operator: 'containsAny', value: ['hiking'] },
            { fact: 'cart', path: '$.collections', operator: 'contains', value: 'hiking' },
            { fact: 'cart', path: '$.vendors', operator: 'contains', value: 'Alpine Co' },
            { fact: 'customer', path: '$.tags', operator: 'contains', value: 'vip' }
          ]
        },
        offer: { variantId: 808950850, content: { headline: 'Gaiters' } }
      })
    })
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
    const ruleset = loaded.ruleset
    t.same(ruleset.needs, { productCatalog: true, customerCatalog: true })
    const catalog = await world.app.shopify.catalogFacts(SHOP, bootsUs, ruleset.needs, Date.now() + 2000)
    const withCatalog = decide(ruleset, buildFacts(bootsUs, { catalog }), { referenceId: 'r-1' })
    t.equal(withCatalog.ruleId, 'hikers')
    const without = decide(ruleset, buildFacts(bootsUs, {}), { referenceId: 'r-1' })
    t.equal(without.ruleId, null, 'without the catalog the rule cannot match')
  })

  t.test('the sample gaiters rule wins for a VIP buying hiking boots', async (t) => {
    const loaded = await loadRulesDir(SAMPLE_RULES)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
    const catalog = await world.app.shopify.catalogFacts(SHOP, bootsUs, loaded.ruleset.needs, Date.now() + 2000)
    t.same(catalog?.customer, { tags: ['vip'], numberOfOrders: 1 })
    const d = decide(loaded.ruleset, buildFacts(bootsUs, { catalog, now: new Date('2026-11-25T12:00:00Z') }), {
      referenceId: 'r-1'
    })
    t.equal(d.ruleId, 'gaiters-for-loyal-hikers')
  })
})
