import t from 'tap'
import { readFileSync } from 'node:fs'
import { AuthScopes } from '@shopify/shopify-api'
import { WEBHOOK_PATHS } from '../../server/shopify/webhook-routes.js'
import { loadShopifyConfig } from '../../server/shopify/config.js'
import { CALLBACK_PATH } from '../../server/shopify/oauth-routes.js'
import { APP_URL_PATH } from '../../server/shopify/app-url-route.js'
import { shopifyWorld, SHOPIFY_TEST_SECRET } from '../support/shopify-app.js'
import { BROWSER, signedAppUrlQuery } from '../support/shopify-signing.js'

// No TOML parser in the tree: the [webhooks] section is simple enough to read line by line.
const toml = readFileSync(new URL('../../shopify.app.toml', import.meta.url), 'utf8')
const section = toml.slice(toml.indexOf('[webhooks]'))
const applicationUrl = /^application_url\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? ''
const redirectUrls =
  /^redirect_urls\s*=\s*\[([^\]]*)\]/m
    .exec(toml)?.[1]
    ?.match(/"[^"]+"/g)
    ?.map((s) => s.slice(1, -1)) ?? []

/** How the Shopify CLI resolves a relative webhook URI: appended to application_url as a string (url_prepender.ts). */
const resolveUri = (uri: string) => (uri.startsWith('/') ? `${applicationUrl.replace(/\/$/, '')}${uri}` : uri)

type Sub = { topics: string[]; uri: string; comment: string }
function subscriptions(): Sub[] {
  const subs: Sub[] = []
  const blocks = section.split('[[webhooks.subscriptions]]')
  for (let i = 1; i < blocks.length; i++) {
    const before = blocks[i - 1]!.trim().split('\n')
    const comment = before[before.length - 1]?.trim() ?? ''
    const body = blocks[i]!
    const topics =
      /(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/
        .exec(body)?.[1]
        ?.match(/"[^"]+"/g)
        ?.map((s) => s.slice(1, -1)) ?? []
    const uri = /uri\s*=\s*"([^"]+)"/.exec(body)?.[1] ?? ''
    subs.push({ topics, uri, comment })
  }
  return subs
}

t.test('shopify.app.toml subscribes every webhook route, each with a comment naming its handler', async (t) => {
  const subs = subscriptions()
  for (const [topic, path] of Object.entries(WEBHOOK_PATHS)) {
    const sub = subs.find((s) => s.topics.includes(topic))
    t.equal(sub?.uri, path, topic)
    t.equal(
      resolveUri(sub?.uri ?? ''),
      `${new URL(applicationUrl).origin}${path}`,
      `${topic}: Shopify posts to the route itself`
    )
    t.match(sub?.comment ?? '', new RegExp(`^# handler: POST ${path} `), `${topic} has a handler comment`)
  }
  t.equal(subs.length, Object.keys(WEBHOOK_PATHS).length, 'no subscription without a route')
})

t.test('the three compliance topics are compliance_topics', async (t) => {
  for (const topic of ['customers/data_request', 'customers/redact', 'shop/redact']) {
    t.match(section, new RegExp(`compliance_topics = \\["${topic}"\\]`), topic)
  }
})

t.test('[access_scopes] asks for exactly the default SHOPIFY_SCOPES', async (t) => {
  const scopes = /^scopes\s*=\s*"([^"]*)"/m.exec(toml.slice(toml.indexOf('[access_scopes]')))?.[1]
  t.ok(scopes, 'a scopes line under [access_scopes]')
  t.same(new AuthScopes(scopes).toArray().sort(), new AuthScopes(loadShopifyConfig({}).scopes).toArray().sort())
  // What the Thank-you page needs (docs/shopify.md, "Access scopes").
  for (const needed of ['read_orders', 'write_order_edits', 'write_orders', 'write_draft_orders'])
    t.ok(new AuthScopes(scopes).has(needed), needed)
})

t.test('the webhooks API version is the one the server uses', async (t) => {
  t.equal(/api_version\s*=\s*"([^"]+)"/.exec(section)?.[1], loadShopifyConfig({}).apiVersion)
})

t.test("application_url is where Shopify opens and installs the app: GET / of the app's origin", async (t) => {
  const url = new URL(applicationUrl)
  t.equal(url.protocol, 'https:')
  t.equal(url.pathname, APP_URL_PATH)
  t.equal(url.search + url.hash, '')
})

t.test('redirect_urls is the OAuth callback on the same origin', async (t) => {
  t.same(redirectUrls, [`${new URL(applicationUrl).origin}${CALLBACK_PATH}`])
})

t.test('Shopify opening application_url for a shop without a session begins OAuth', async (t) => {
  const world = await shopifyWorld({ shopify: { appUrl: new URL(new URL(applicationUrl).origin) } })
  t.teardown(() => world.close())
  const shop = 'demo-snow.myshopify.com'
  const res = await world.app.inject({
    method: 'GET',
    url: `${new URL(applicationUrl).pathname}?${signedAppUrlQuery(SHOPIFY_TEST_SECRET, shop)}`,
    headers: BROWSER
  })
  t.equal(res.statusCode, 302, res.body)
  const authorize = new URL(String(res.headers.location))
  t.equal(`${authorize.origin}${authorize.pathname}`, `https://${shop}/admin/oauth/authorize`)
  t.ok(
    redirectUrls.includes(authorize.searchParams.get('redirect_uri') ?? ''),
    'the redirect_uri sent is one the toml allows'
  )
})

t.test('the app is embedded: the admin opens application_url in its iframe, which lands on /dashboard', async (t) => {
  t.match(toml, /^embedded = true$/m, 'embedded = true')
  t.notMatch(toml, /^embedded = false$/m)
  t.match(toml, /\/dashboard/, 'the comment says where the admin lands')
})
