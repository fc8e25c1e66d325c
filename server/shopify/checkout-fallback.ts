// Where an order cannot be edited: a draft order with the offered line and its discount, whose invoice URL is a
// checkout for a separate order; paying it completes the draft, so the link buys once. One draft per idempotency key.
import type { CheckoutResult, LineToAdd, OrderFailure } from '../plugins/shopify-default.js'
import type { AdminGraphql, AdminResult } from './admin-graphql.js'
import { gid } from './catalog-queries.js'
import { FAILURE_MESSAGES, orderFailure } from './orders.js'
import { editMark } from './order-edit.js'
import { OncePerLine, lineProblem } from './once-per-line.js'
import {
  DRAFT_ORDER_CREATE,
  DRAFT_ORDERS_BY_TAG,
  type DraftCreateAnswer,
  type DraftNode,
  type DraftOrdersAnswer
} from './order-queries.js'

/** draftOrderCreate (and reading drafts back by tag) needs it. */
export const DRAFT_ORDER_SCOPE = 'write_draft_orders'

const failed = (reason: OrderFailure | 'rejected', message: string): CheckoutResult => ({ ok: false, reason, message })

const MESSAGES: Record<OrderFailure, string> = {
  ...FAILURE_MESSAGES,
  not_found: 'Shopify has no such variant in this shop.',
  scope_missing: 'The shop has not granted draft orders yet (write_draft_orders).',
  timeout: 'Shopify did not answer in time; retry with the same key.'
}

/**
 * Only an https invoice link is handed to the buyer's page. A completed draft's link is handed on as well: the same key
 * answers the same link, which then shows the order it became instead of selling twice.
 */
function checkoutUrl(draft: DraftNode | null | undefined): string | null {
  if (!draft?.invoiceUrl) return null
  try {
    return new URL(draft.invoiceUrl).protocol === 'https:' ? draft.invoiceUrl : null
  } catch {
    return null
  }
}

function failure<T>(res: AdminResult<T> & { ok: false }): CheckoutResult {
  const reason = orderFailure(res.reason)
  return failed(reason, MESSAGES[reason])
}

export class CheckoutFallback {
  // What is final is remembered: a link, or Shopify's refusal; an outage or timeout may succeed on a retry.
  private readonly once = new OncePerLine<CheckoutResult>((r) => r.ok || r.reason === 'rejected')

  constructor(private readonly admin: AdminGraphql) {}

  async singleUseCheckout(shop: string, line: LineToAdd, deadline: number): Promise<CheckoutResult> {
    const problem = lineProblem(line)
    if (problem) return failed('rejected', problem)
    return this.once.run(OncePerLine.key(shop, line), () => this.run(shop, line, deadline))
  }

  private async run(shop: string, line: LineToAdd, deadline: number): Promise<CheckoutResult> {
    if (!(await this.admin.hasScopes(shop, DRAFT_ORDER_SCOPE)))
      return (await this.admin.hasSession(shop))
        ? failed('scope_missing', MESSAGES.scope_missing)
        : failed('no_session', MESSAGES.no_session)
    // The mark as a tag (letters, digits, dashes): a retry after a lost answer finds the draft it made.
    const tag = `encore-${editMark(line.idempotencyKey).slice('encore:'.length)}`
    const existing = await this.admin.query<DraftOrdersAnswer>(
      shop,
      DRAFT_ORDERS_BY_TAG,
      { query: `tag:${tag}` },
      deadline
    )
    if (!existing.ok) return failure(existing)
    const found = checkoutUrl(existing.data.draftOrders?.nodes[0])
    if (found) return { ok: true, url: found }

    const d = line.discount
    const input = {
      lineItems: [
        {
          variantId: gid.variant(line.variantId),
          quantity: line.quantity,
          ...(d
            ? {
                appliedDiscount: {
                  valueType: d.type === 'percentage' ? 'PERCENTAGE' : 'FIXED_AMOUNT',
                  value: d.value,
                  title: d.title,
                  description: d.title
                }
              }
            : {})
        }
      ],
      ...(line.customerId !== null ? { purchasingEntity: { customerId: gid.customer(line.customerId) } } : {}),
      tags: ['encore', tag],
      note: `Encore: Thank-you offer for order ${line.orderId} (${editMark(line.idempotencyKey)}).`
    }
    const res = await this.admin.query<DraftCreateAnswer>(shop, DRAFT_ORDER_CREATE, { input }, deadline)
    if (!res.ok) return failure(res)
    const payload = res.data.draftOrderCreate
    if (!payload) {
      const denied = res.errors.some((e) => e.extensions?.code === 'ACCESS_DENIED')
      return denied ? failed('scope_missing', MESSAGES.scope_missing) : failed('error', MESSAGES.error)
    }
    if (payload.userErrors.length) return failed('rejected', payload.userErrors.map((e) => e.message).join('; '))
    const url = checkoutUrl(payload.draftOrder)
    return url ? { ok: true, url } : failed('error', 'Shopify gave no https checkout link for the draft order.')
  }
}
