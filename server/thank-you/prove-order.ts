// Whether the caller can prove the order is theirs (contract: shared/design/thank-you.md, Security): the token's
// shop, created within 2 hours, the confirmation number the page sent, the logged-in customer; via the Admin API.
import type { OrderFailure, PaidOrder, ShopifyIntegration } from '../plugins/shopify-default.js'
import type { Buyer } from '../plugins/session-token-auth.js'
import { OrderNotYours } from '../errors.js'

/** How old an order may be and still get an offer or an edit. */
export const ORDER_MAX_AGE_MS = 2 * 60 * 60 * 1000
/** An order stamped further in the future than this is not believed (clock skew between Shopify and us). */
const FUTURE_SKEW_MS = 5 * 60 * 1000

/**
 * Waits before asking again when Shopify does not know the order yet: the Thank-you page can render a moment before
 * the order exists in the Admin API (docs/extension.md, "What a live store must still confirm"). Bounded by the
 * request's deadline.
 */
export const NOT_FOUND_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000]

export type Proof = { ok: true; order: PaidOrder } | { ok: false; reason: Exclude<OrderFailure, 'not_found'> }

type Log = { warn(obj: unknown, msg: string): void }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The look-up with its deadline: a slow or throwing integration is a `timeout` or an `error`, never a hang. */
async function lookUp(shopify: ShopifyIntegration, shop: string, orderId: string, deadline: number, log: Log) {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<{ ok: false; reason: 'timeout' }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), Math.max(0, deadline - Date.now()))
  })
  try {
    return await Promise.race([
      Promise.resolve()
        .then(() => shopify.lookUpOrder(shop, orderId, deadline))
        .catch((err: unknown) => {
          log.warn({ err }, 'order look-up failed')
          return { ok: false as const, reason: 'error' as const }
        }),
      timeout
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** Throws ORDER_NOT_YOURS unless every check holds; the order otherwise. */
export function checkOwnership(
  order: PaidOrder,
  buyer: Buyer,
  req: { orderId: string; confirmationNumber: string },
  now: number
): PaidOrder {
  const created = Date.parse(order.createdAt)
  const owned =
    order.id === req.orderId &&
    order.confirmationNumber !== null &&
    order.confirmationNumber === req.confirmationNumber &&
    Number.isFinite(created) &&
    created <= now + FUTURE_SKEW_MS &&
    now - created <= ORDER_MAX_AGE_MS &&
    (buyer.customerId === null || order.customerId === buyer.customerId)
  if (!owned) throw new OrderNotYours()
  return order
}

/**
 * The order, proven the caller's; `{ ok: false }` when the Admin API could not answer (the caller shows nothing);
 * throws ORDER_NOT_YOURS when it answered and the order is not theirs, or never appeared within the deadline.
 */
export async function proveOrder(
  shopify: ShopifyIntegration,
  buyer: Buyer,
  req: { orderId: string; confirmationNumber: string },
  deadline: number,
  opts: { log: Log; retryDelaysMs?: readonly number[] }
): Promise<Proof> {
  const delays = opts.retryDelaysMs ?? NOT_FOUND_RETRY_DELAYS_MS
  for (let attempt = 0; ; attempt++) {
    const found = await lookUp(shopify, buyer.shopDomain, req.orderId, deadline, opts.log)
    if (found.ok) return { ok: true, order: checkOwnership(found.order, buyer, req, Date.now()) }
    if (found.reason !== 'not_found') return { ok: false, reason: found.reason }
    const delay = delays[attempt]
    // Not found, and no time left to ask again: an order id nobody can show is 403, like a forged one.
    if (delay === undefined || Date.now() + delay >= deadline) throw new OrderNotYours()
    await sleep(delay)
  }
}
