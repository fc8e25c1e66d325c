import t from 'tap'
import { readFileSync } from 'node:fs'
import { WEBHOOK_PATHS } from '../../server/shopify/webhook-routes.js'
import { loadShopifyConfig } from '../../server/shopify/config.js'

// No TOML parser in the tree: the [webhooks] section is simple enough to read line by line.
const toml = readFileSync(new URL('../../shopify.app.toml', import.meta.url), 'utf8')
const section = toml.slice(toml.indexOf('[webhooks]'))

type Sub = { topics: string[]; uri: string; comment: string }
function subscriptions (): Sub[] {
  const subs: Sub[] = []
  const blocks = section.split('[[webhooks.subscriptions]]')
  for (let i = 1; i < blocks.length; i++) {
    const before = blocks[i - 1]!.trim().split('\n')
    const comment = before[before.length - 1]?.trim() ?? ''
    const body = blocks[i]!
    const topics = /(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/.exec(body)?.[1]?.match(/"[^"]+"/g)?.map((s) => s.slice(1, -1)) ?? []
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
    t.match(sub?.comment ?? '', new RegExp(`^# handler: POST ${path} `), `${topic} has a handler comment`)
  }
  t.equal(subs.length, Object.keys(WEBHOOK_PATHS).length, 'no subscription without a route')
})

t.test('the three compliance topics are compliance_topics', async (t) => {
  for (const topic of ['customers/data_request', 'customers/redact', 'shop/redact']) {
    t.match(section, new RegExp(`compliance_topics = \\["${topic}"\\]`), topic)
  }
})

t.test('the webhooks API version is the one the server uses', async (t) => {
  t.equal(/api_version\s*=\s*"([^"]+)"/.exec(section)?.[1], loadShopifyConfig({}).apiVersion)
})
