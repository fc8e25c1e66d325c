// A small world for the offer service's tests: its own rules dir, checkouts built to order, tokens signed like Shopify.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.js'
import type { Config } from '../../server/config.js'
import { testConfig } from './test-config.js'
import { mintCheckoutToken, type InputData, type MintOptions } from '../../extension/harness/checkout-token.js'
import type { ShopifyIntegration } from '../../server/plugins/shopify-default.js'

export type { InputData }

export const SECRET = 'encore-test-secret-0123456789abcdef'
export const API_KEY = 'encore-test-api-key'
export const ADMIN_TOKEN = 'encore-test-admin-token-0123456789'

export const BOOTS = 1001
export const HAT = 1002
export const SOCKS_VARIANT = 2001
export const SOCKS_VARIANT_2 = 2002

type Rule = Record<string, unknown>

const rule = (
  id: string,
  priority: number,
  conditions: unknown,
  offer: Record<string, unknown>,
  extra: Rule = {}
): Rule => ({ id, priority, conditions, offer: { content: { headline: `${id} headline` }, ...offer }, ...extra })

/** The rules most tests use: a chain (socks -> gift wrap | single socks) and a 100% holdout experiment. */
export function standardRules(): Rule[] {
  return [
    rule(
      'socks',
      30,
      { all: [{ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [BOOTS] }] },
      {
        productId: 3001,
        variantId: SOCKS_VARIANT,
        variants: [SOCKS_VARIANT, SOCKS_VARIANT_2],
        quantity: { default: 1, min: 1, max: 3 },
        discount: { type: 'percentage', value: 20, title: '20% off' },
        content: {
          headline: 'Warm socks',
          body: 'Add socks',
          imageAlt: 'Socks',
          acceptLabel: 'Add',
          declineLabel: 'No thanks'
        },
        translations: { fr: { headline: 'Chaussettes chaudes' } },
        expiresInSeconds: 600
      },
      { next: { onAccept: 'gift-wrap', onDecline: 'single-socks' } }
    ),
    rule(
      'gift-wrap',
      20,
      { all: [{ fact: 'history', path: '$.accepted', operator: 'contains', value: 'socks' }] },
      { variantId: 2100 }
    ),
    rule(
      'single-socks',
      19,
      { all: [{ fact: 'history', path: '$.declined', operator: 'contains', value: 'socks' }] },
      { variantId: 2200, discount: { type: 'fixed_amount', value: 5, title: '5 off' } }
    ),
    rule(
      'hat-test',
      10,
      { all: [{ fact: 'cart', path: '$.productIds', operator: 'containsAny', value: [HAT] }] },
      { variantId: 2300 },
      { experiment: { name: 'hat', arms: [{ id: 'holdout', weight: 100, holdout: true }] } }
    )
  ]
}

/** `count` rules that all match any eligible checkout, in priority order r0 > r1 > ... */
export function matchAllRules(count: number): Rule[] {
  return Array.from({ length: count }, (_, i) =>
    rule(
      `r${i}`,
      100 - i,
      { all: [{ fact: 'payment', path: '$.eligible', operator: 'equal', value: true }] },
      { variantId: 5000 + i }
    )
  )
}

export function writeRules(dir: string, rules: Rule[]): void {
  rmSync(join(dir, 'offers'), { recursive: true, force: true })
  mkdirSync(join(dir, 'offers'), { recursive: true })
  for (const r of rules) writeFileSync(join(dir, 'offers', `${String(r.id)}.json`), JSON.stringify(r, null, 2))
}

export type CheckoutOptions = {
  referenceId?: string
  productIds?: number[]
  country?: string | null
  locale?: string
  total?: string
  shop?: string
  customerId?: number | string | null
}

let seq = 0
/** An input_data object in the exact shape Shopify signs. */
export function checkout(o: CheckoutOptions = {}): InputData {
  const money = (amount: string) => ({
    shopMoney: { amount, currencyCode: 'USD' },
    presentmentMoney: { amount, currencyCode: 'USD' }
  })
  const purchase: InputData['initialPurchase'] = {
    referenceId: o.referenceId ?? `ref-${process.pid}-${++seq}`,
    customerId: o.customerId === undefined ? 207119551 : o.customerId,
    totalPriceSet: money(o.total ?? '129.00'),
    lineItems: (o.productIds ?? [BOOTS]).map((id) => ({
      product: {
        id,
        title: `Product ${id}`,
        metafields: [],
        variant: { id: id * 10, title: 'Default', metafields: [] }
      },
      quantity: 1,
      totalPriceSet: money('100.00')
    }))
  }
  if (o.country !== null) purchase.destinationCountryCode = o.country ?? 'US'
  return {
    extensionPoint: 'Checkout::PostPurchase::ShouldRender',
    locale: o.locale ?? 'en',
    version: 'unstable',
    shop: { id: 1, domain: o.shop ?? 'test-shop.myshopify.com', metafields: [] },
    initialPurchase: purchase
  }
}

/** The checkout's referenceId: what decisions and acceptances are stored under. */
export function referenceIdOf(inputData: InputData): string {
  return inputData.initialPurchase.referenceId
}

export function tokenFor(inputData: InputData, opts: MintOptions = {}, secret = SECRET): string {
  return mintCheckoutToken(inputData, secret, opts)
}

export type World = { app: FastifyInstance; dir: string; rulesDir: string; config: Config; close(): Promise<void> }

/** What buildWorld and startService need of a tap test: a place to register their own clean-up. */
export type Teardown = { teardown(fn: () => unknown): void }

/**
 * Builds the real app on a fresh temp rules dir and an in-memory SQLite database migrated from migrations/ (a file
 * only when `config.databasePath` names one); closed and removed when `t` ends.
 */
export async function buildWorld(
  t: Teardown,
  opts: { rules?: Rule[]; config?: Partial<Config>; shopify?: ShopifyIntegration } = {}
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'encore-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const rulesDir = join(dir, 'rules')
  writeRules(rulesDir, opts.rules ?? standardRules())
  const config = testConfig({
    rulesDir,
    databasePath: ':memory:',
    apiSecret: SECRET,
    apiKey: API_KEY,
    adminToken: ADMIN_TOKEN,
    ...opts.config
  })
  const app = await buildApp({ config, ...(opts.shopify ? { shopify: opts.shopify } : {}) })
  // Registered last, so it runs first: the app closes before its directory goes.
  t.teardown(() => app.close())
  await app.ready()
  return { app, dir, rulesDir, config, close: () => app.close() }
}

/** POSTs JSON with a checkout token through inject(); returns status and parsed body. */
export async function post(
  app: FastifyInstance,
  url: string,
  token: string | null,
  body: unknown = {}
): Promise<{ status: number; body: any }> {
  const res = await app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: res.statusCode, body: res.body === '' ? null : JSON.parse(res.body) }
}

export function decodeJwt(token: string): { header: any; payload: any } {
  const [h, p] = token.split('.')
  return {
    header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString())
  }
}

/** A fresh checkout that has been made the standard offer: its input, token, referenceId and the offer. */
export async function offered(w: World) {
  const input = checkout()
  const token = tokenFor(input)
  const offer = (await post(w.app, '/api/offer', token)).body.offer
  return { input, token, offer, ref: referenceIdOf(input) }
}
