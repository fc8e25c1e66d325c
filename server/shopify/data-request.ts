// Builds the customers/data_request report: everything the offer service holds about one customer of one shop.
import type { CustomerRows } from './store.js'

export type DataRequestReport = {
  shop: string
  customerId: string
  requestId: string | null
  ordersRequested: number[]
  generatedAt: string
  /** What kinds of data the rows hold, in words a merchant can forward to the customer. */
  categories: string[]
  counts: { decisions: number; acceptances: number; events: number }
  checkouts: {
    referenceId: string
    decisions: { at: string; ruleId: string | null; arm: string | null; offered: boolean; answer: string | null }[]
    acceptances: { at: string; ruleId: string; variantId: number; quantity: number }[]
    events: { at: string; type: string; status: string | null; amount: string | null }[]
  }[]
}

const CATEGORIES = [
  "Post-purchase offer decisions: the checkout reference, the cart (products, variants, quantities, totals), shipping country, locale and customer id as Shopify sent them, the catalog facts used (product tags, vendors, collections, the customer's tags and order count), and which offer was shown",
  'Accepted offers: the product variant, quantity and discount added to the order',
  'Offer events: viewed, accepted, declined, applied or failed, with amounts'
]

/** The report of `rows` (the customer's decisions, acceptances and events, oldest first), for either database. */
export function buildDataRequestReport(
  rows: CustomerRows,
  req: { shop: string; customerId: string; requestId: string | null; ordersRequested: number[] },
  now = new Date()
): DataRequestReport {
  const { decisions: ds, acceptances: as, events: es } = rows
  const byRef = new Map<string, DataRequestReport['checkouts'][number]>()
  const checkout = (referenceId: string) => {
    let c = byRef.get(referenceId)
    if (!c) byRef.set(referenceId, (c = { referenceId, decisions: [], acceptances: [], events: [] }))
    return c
  }
  const iso = (ms: number) => new Date(ms).toISOString()
  for (const d of ds)
    checkout(d.referenceId).decisions.push({
      at: iso(d.createdAt),
      ruleId: d.ruleId,
      arm: d.arm,
      offered: d.offer !== null,
      answer: d.answer
    })
  for (const a of as)
    checkout(a.referenceId).acceptances.push({
      at: iso(a.createdAt),
      ruleId: a.ruleId,
      variantId: a.variantId,
      quantity: a.quantity
    })
  for (const e of es)
    checkout(e.referenceId).events.push({ at: iso(e.createdAt), type: e.type, status: e.status, amount: e.amount })

  return {
    shop: req.shop,
    customerId: req.customerId,
    requestId: req.requestId,
    ordersRequested: req.ordersRequested,
    generatedAt: now.toISOString(),
    categories: ds.length || as.length || es.length ? CATEGORIES : [],
    counts: { decisions: ds.length, acceptances: as.length, events: es.length },
    checkouts: [...byRef.values()]
  }
}
