// Drives a few thousand realistic checkouts through a running Encore (npm start): offers, views, accepts, declines,
// applied events, order webhooks and refunds, so the dashboard has something to show. Seeds nothing by itself.
import { createHmac, randomUUID } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { mintCheckoutToken, type InputData } from '../extension/harness/checkout-token.js'
import { DEV_API_SECRET } from '../server/dev-credentials.js'
import { parseCommandArgs, runIfEntry, type Io } from './lib/cli.js'

const FIXTURES = join(import.meta.dirname, '..', 'rules', 'fixtures')

export async function main(argv: string[], io: Io): Promise<number> {
  const values = parseCommandArgs(
    'demo:traffic',
    argv,
    {
      url: { type: 'string', default: io.env.ENCORE_URL ?? 'http://127.0.0.1:3000' },
      checkouts: { type: 'string', default: '3000' },
      shop: { type: 'string', default: 'demo-snow.myshopify.com' },
      concurrency: { type: 'string', default: '16' },
      help: { type: 'boolean', short: 'h' }
    },
    io
  )
  if (values === null) return 2
  if (values.help) {
    io.out(`Usage: npm run demo:traffic [-- --url http://127.0.0.1:3000 --checkouts 3000 --shop demo-snow.myshopify.com]

Each checkout is one of rules/fixtures/ with a fresh reference id and customer: the service decides, the buyer
views (85 %), accepts (about 1 in 4 of those; more for the 20-off arm) or declines, the extension reports the
applied amount, and Shopify's orders/updated webhook confirms most added lines (a few get refunded). Tokens and
webhooks are signed with SHOPIFY_API_SECRET (the development secret when unset), as the service expects.
Then open ${'${url}'}/dashboard with your ADMIN_TOKEN.\n`)
    return 0
  }
  await drive(
    {
      url: values.url.replace(/\/$/, ''),
      secret: io.env.SHOPIFY_API_SECRET ?? DEV_API_SECRET,
      checkouts: Number(values.checkouts),
      shop: values.shop,
      concurrency: Number(values.concurrency)
    },
    io
  )
  return 0
}

type Options = { url: string; secret: string; checkouts: number; shop: string; concurrency: number }

async function drive({ url, secret, checkouts, shop, concurrency }: Options, io: Io): Promise<void> {
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Record<string, any>)

  let seed = 2026
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x80000000
  }

  async function post(path: string, token: string, body: unknown): Promise<any> {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body)
    })
    const text = await res.text()
    if (res.status >= 500) throw new Error(`${path}: ${res.status} ${text}`)
    return text === '' ? null : JSON.parse(text)
  }

  async function webhook(topic: string, payload: unknown): Promise<void> {
    const body = JSON.stringify(payload)
    const res = await fetch(`${url}/webhooks/${topic}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-shop-domain': shop,
        'x-shopify-api-version': '2025-10',
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-triggered-at': new Date().toISOString(),
        'x-shopify-event-id': randomUUID(),
        'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64')
      },
      body
    })
    if (res.status !== 200) throw new Error(`webhook ${topic}: ${res.status} ${await res.text()}`)
  }

  const tally = { checkouts: 0, offers: 0, accepted: 0, declined: 0, confirmed: 0, refunded: 0 }
  let orderId = 7_000_000

  async function oneCheckout(i: number): Promise<void> {
    const input = structuredClone(fixtures[Math.floor(rnd() * fixtures.length)]!)
    const ref = `demo-${Date.now().toString(36)}-${i}`
    input.shop.domain = shop
    input.initialPurchase.referenceId = ref
    input.initialPurchase.customerId = 100_000 + Math.floor(rnd() * 800)
    const token = mintCheckoutToken(input as InputData, secret)
    tally.checkouts++
    let answer = await post('/api/offer', token, {})
    // A chain: up to three offers per checkout, as the rules' `next` allows.
    for (let step = 0; answer?.render && step < 3; step++) {
      const offer = answer.offer
      tally.offers++
      if (rnd() > 0.85) return // closed the page before seeing it
      await post('/api/events', token, { offerId: offer.id, type: 'viewed' })
      const discounted = typeof offer.discount?.value === 'number' && offer.discount.value >= 20
      const accepts = rnd() < (discounted ? 0.3 : 0.2)
      if (!accepts) {
        tally.declined++
        await post('/api/events', token, { offerId: offer.id, type: 'declined' })
        answer = await post('/api/offer', token, { after: { offerId: offer.id, outcome: 'declined' } })
        continue
      }
      const signed = await post('/api/sign-changeset', token, { offerId: offer.id })
      if (!signed?.token) return
      tally.accepted++
      const price = 8 + Math.round(rnd() * 3200) / 100
      await post('/api/events', token, {
        offerId: offer.id,
        type: 'applied',
        status: 'processed',
        amount: price.toFixed(2)
      })
      if (rnd() < 0.9) {
        // Shopify's order, with the added line (its price as the store states it).
        const id = ++orderId
        const lineId = id * 10 + 2
        await webhook('orders/updated', {
          id,
          checkout_token: ref,
          currency: input.initialPurchase.totalPriceSet.shopMoney.currencyCode,
          created_at: new Date().toISOString(),
          customer: { id: input.initialPurchase.customerId },
          total_price: '150.00',
          line_items: [
            {
              id: lineId,
              variant_id: offer.variantId,
              quantity: 1,
              price: price.toFixed(2),
              price_set: {
                shop_money: {
                  amount: price.toFixed(2),
                  currency_code: input.initialPurchase.totalPriceSet.shopMoney.currencyCode
                }
              }
            }
          ],
          refunds: []
        })
        tally.confirmed++
        if (rnd() < 0.06) {
          await webhook('refunds/create', {
            id: id + 1,
            order_id: id,
            refund_line_items: [{ id: lineId + 1, line_item_id: lineId, quantity: 1, subtotal: price.toFixed(2) }]
          })
          tally.refunded++
        }
      }
      answer = await post('/api/offer', token, { after: { offerId: offer.id, outcome: 'accepted' } })
    }
  }

  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < checkouts) await oneCheckout(next++)
    })
  )
  const s = ((performance.now() - started) / 1000).toFixed(1)
  io.out(
    `${tally.checkouts} checkouts in ${s} s: ${tally.offers} offers, ${tally.accepted} accepted, ${tally.declined} declined, ` +
      `${tally.confirmed} confirmed by an order webhook, ${tally.refunded} refunded.\nOpen ${url}/dashboard\n`
  )
}

runIfEntry(import.meta, main)
