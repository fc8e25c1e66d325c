// Helpers for the rules tests: checkouts built like Shopify's input_data, and rulesets from files.
import { loadRulesFromFiles, type Diagnostic, type Ruleset } from '../../server/rules/index.js'

export type LineSpec = {
  productId: number
  variantId?: number
  title?: string
  quantity?: number
  total?: string
  sellingPlanId?: number
}

export type CheckoutSpec = {
  referenceId?: string
  lines?: LineSpec[]
  country?: string | null
  locale?: string
  customerId?: number | string | null
  total?: string
  currency?: string
  presentmentCurrency?: string
  presentmentTotal?: string
}

const money = (amount: string, currencyCode: string) => ({ amount, currencyCode })

/** A checkout's input_data exactly as Shopify signs it (numeric ids, decimal strings). */
export function checkout(spec: CheckoutSpec = {}): Record<string, unknown> {
  const currency = spec.currency ?? 'USD'
  const lines = spec.lines ?? [{ productId: 632910392 }]
  const lineItems = lines.map((l) => ({
    product: {
      id: l.productId,
      title: l.title ?? `Product ${l.productId}`,
      metafields: [],
      variant: { id: l.variantId ?? l.productId * 10, title: 'Default Title', metafields: [] }
    },
    quantity: l.quantity ?? 1,
    totalPriceSet: {
      shopMoney: money(l.total ?? '100.00', currency),
      presentmentMoney: money(l.total ?? '100.00', currency)
    },
    ...(l.sellingPlanId !== undefined ? { sellingPlanId: l.sellingPlanId } : {})
  }))
  const total = spec.total ?? (lines.reduce((n, l) => n + Number(l.total ?? '100.00'), 0) + 10).toFixed(2)
  const purchase: Record<string, unknown> = { referenceId: spec.referenceId ?? 'r-test-1' }
  if (spec.customerId !== null) purchase.customerId = spec.customerId ?? 207119551
  if (spec.country !== null) purchase.destinationCountryCode = spec.country ?? 'US'
  purchase.totalPriceSet = {
    shopMoney: money(total, currency),
    presentmentMoney: money(spec.presentmentTotal ?? total, spec.presentmentCurrency ?? currency)
  }
  purchase.lineItems = lineItems
  return {
    extensionPoint: 'Checkout::PostPurchase::ShouldRender',
    locale: spec.locale ?? 'en',
    version: 'unstable',
    shop: { id: 1, domain: 'demo-snow.myshopify.com', metafields: [] },
    initialPurchase: purchase
  }
}

/** A minimal valid rule file's object, with overrides. */
export function rule(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    conditions: { all: [{ fact: 'payment', path: '$.eligible', operator: 'equal', value: true }] },
    offer: { productId: 632910400, variantId: 808950810, content: { headline: `Offer ${id}` } },
    ...over
  }
}

/** Files of a rules directory: each rule under offers/<id>.json, pretty-printed as merchandisers write them. */
export function files(rules: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const r of rules) out[`offers/${String(r.id)}.json`] = JSON.stringify(r, null, 2)
  for (const [k, v] of Object.entries(extra)) out[k] = typeof v === 'string' ? v : JSON.stringify(v, null, 2)
  return out
}

export function loadOk(
  f: Record<string, string>,
  now = new Date('2026-11-25T12:00:00Z')
): { ruleset: Ruleset; warnings: Diagnostic[] } {
  const r = loadRulesFromFiles(f, { now })
  if (!r.ok)
    throw new Error(
      `expected a valid ruleset, got:\n${r.errors.map((e) => `${e.file} ${e.pointer} ${e.code} ${e.message}`).join('\n')}`
    )
  return { ruleset: r.ruleset, warnings: r.warnings }
}

export function loadErrors(f: Record<string, string>): Diagnostic[] {
  const r = loadRulesFromFiles(f, { now: new Date('2026-11-25T12:00:00Z') })
  if (r.ok) throw new Error('expected errors, the ruleset loaded')
  return r.errors
}
