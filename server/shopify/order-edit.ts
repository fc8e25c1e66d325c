// Adds an accepted Thank-you offer to the paid order: orderEditBegin, orderEditAddVariant, a discount on the added
// line, orderEditCommit, then orderInvoiceSend for the balance; the same idempotency key never adds the line twice.
import { createHash } from 'node:crypto'
import type { AddToOrderResult, LineToAdd, Money, OrderFailure } from '../plugins/shopify-default.js'
import type { AdminGraphql, AdminResult } from './admin-graphql.js'
import { gid } from './catalog-queries.js'
import { FAILURE_MESSAGES, ORDER_EDIT_SCOPE, orderFailure, readOrder } from './orders.js'
import { MAX_REMEMBERED, OncePerLine, lineProblem } from './once-per-line.js'
import {
  ORDER_EDIT_ADD_DISCOUNT,
  ORDER_EDIT_ADD_VARIANT,
  ORDER_EDIT_BEGIN,
  ORDER_EDIT_COMMIT,
  ORDER_INVOICE_SEND,
  type AddDiscountAnswer,
  type AddVariantAnswer,
  type BeginAnswer,
  type CommitAnswer,
  type InvoiceAnswer,
  type OrderNode,
  type UserError
} from './order-queries.js'

/** orderInvoiceSend needs it; without it the line is still added and `invoiceSent` is false. */
export const INVOICE_SCOPE = 'write_orders'

/**
 * The mark an edit carries so a retry can recognise it: `encore:<12 hex of sha256(key)>`. It goes into the added line's
 * discount description (stored with the order, read back by the look-up before any new edit) and the commit's staff
 * note (the merchant's timeline). The key itself stays ours: only its hash reaches Shopify.
 */
export function editMark(idempotencyKey: string): string {
  return `encore:${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12)}`
}

type Attempt = { variantQuantityBefore: number }

const failed = (reason: OrderFailure | 'not_editable' | 'rejected', message: string): AddToOrderResult => ({
  ok: false,
  reason,
  message
})

const MESSAGES: Record<OrderFailure, string> = {
  ...FAILURE_MESSAGES,
  not_found: 'Shopify has no such order in this shop.',
  scope_missing: 'The shop has not granted order editing yet (write_order_edits).',
  timeout: 'Shopify did not answer in time; the edit may or may not have been made (retry with the same key).'
}

const messageOf = (errors: UserError[]) => errors.map((e) => e.message).join('; ')

function variantQuantity(order: OrderNode, variantGid: string): number {
  return order.lineItems.nodes
    .filter((l) => l.variant?.id === variantGid)
    .reduce((sum, l) => sum + (l.currentQuantity ?? l.quantity), 0)
}

function carriesMark(order: OrderNode, mark: string): boolean {
  return order.lineItems.nodes.some((l) =>
    (l.discountAllocations ?? []).some(
      (a) => a.discountApplication?.description?.includes(mark) || a.discountApplication?.title?.includes(mark)
    )
  )
}

export class OrderEditor {
  /** Keys whose commit was sent without an answer: what the variant's quantity was before, to recognise the commit. */
  private readonly attempts = new Map<string, Attempt>()
  // Remember what is final: success and Shopify's refusals; an outage or timeout may succeed on a retry.
  private readonly once = new OncePerLine<AddToOrderResult>(
    (r) => r.ok || r.reason === 'rejected' || r.reason === 'not_editable',
    (key) => this.attempts.delete(key)
  )

  constructor(private readonly admin: AdminGraphql) {}

  async addToOrder(shop: string, line: LineToAdd, deadline: number): Promise<AddToOrderResult> {
    const problem = lineProblem(line)
    if (problem) return failed('rejected', problem)
    return this.once.run(OncePerLine.key(shop, line), () => this.run(shop, line, deadline))
  }

  private async run(shop: string, line: LineToAdd, deadline: number): Promise<AddToOrderResult> {
    if (!(await this.admin.hasScopes(shop, ORDER_EDIT_SCOPE))) {
      // No token at all reads as no_session; a token without the scope as scope_missing.
      if (!(await this.admin.hasSession(shop))) return failed('no_session', MESSAGES.no_session)
      return failed('scope_missing', MESSAGES.scope_missing)
    }
    const key = OncePerLine.key(shop, line)
    const mark = editMark(line.idempotencyKey)
    const variantGid = gid.variant(line.variantId)

    // 1. The order as it is now: already carrying this key's edit (a retry after a lost answer)?
    const read = await readOrder(this.admin, shop, line.orderId, deadline)
    if (!read.ok) return failed(read.reason, MESSAGES[read.reason])
    const order = read.node
    const attempt = this.attempts.get(key)
    const alreadyCommitted =
      carriesMark(order, mark) ||
      (attempt !== undefined && variantQuantity(order, variantGid) >= attempt.variantQuantityBefore + line.quantity)
    if (alreadyCommitted) return this.invoice(shop, order.id, buyerMoney(order.totalOutstandingSet), deadline)

    if (order.cancelledAt !== null || order.closed || !order.merchantEditable)
      return failed('not_editable', order.merchantEditableErrors.join('; ') || 'Shopify will not edit this order.')

    // 2. Begin: Shopify refuses orders it cannot edit here too (fulfilled, too old, created by another app...).
    const begin = await this.admin.query<BeginAnswer>(shop, ORDER_EDIT_BEGIN, { id: order.id }, deadline)
    const began = payload(begin, (d) => d.orderEditBegin)
    if (!began.ok) return began.result
    const calculatedOrderId = began.value.calculatedOrder?.id
    if (began.value.userErrors.length || !calculatedOrderId)
      return failed('not_editable', messageOf(began.value.userErrors) || 'Shopify would not begin an edit.')

    // 3. The variant, as its own line (allowDuplicates): the discount applies to the added units only.
    const add = await this.admin.query<AddVariantAnswer>(
      shop,
      ORDER_EDIT_ADD_VARIANT,
      { id: calculatedOrderId, variantId: variantGid, quantity: line.quantity, allowDuplicates: true },
      deadline
    )
    const added = payload(add, (d) => d.orderEditAddVariant)
    if (!added.ok) return added.result
    const lineItemId = added.value.calculatedLineItem?.id
    if (added.value.userErrors.length || !lineItemId)
      return failed('rejected', messageOf(added.value.userErrors) || 'Shopify did not add the variant.')

    // 4. The offer's discount on that line, carrying the mark.
    if (line.discount) {
      const value =
        line.discount.type === 'percentage'
          ? { percentValue: line.discount.value }
          : // Per unit, as on the post-purchase page; in the buyer's currency (the order's presentment currency).
            { fixedValue: { amount: line.discount.value.toFixed(2), currencyCode: order.presentmentCurrencyCode } }
      const discount = await this.admin.query<AddDiscountAnswer>(
        shop,
        ORDER_EDIT_ADD_DISCOUNT,
        { id: calculatedOrderId, lineItemId, discount: { ...value, description: `${line.discount.title} (${mark})` } },
        deadline
      )
      const discounted = payload(discount, (d) => d.orderEditAddLineItemDiscount)
      if (!discounted.ok) return discounted.result
      if (discounted.value.userErrors.length) return failed('rejected', messageOf(discounted.value.userErrors))
    }

    // 5. Commit. From here an unanswered call may have committed: the attempt is remembered to recognise it.
    this.attempts.set(key, { variantQuantityBefore: variantQuantity(order, variantGid) })
    if (this.attempts.size > MAX_REMEMBERED) this.attempts.delete(this.attempts.keys().next().value!)
    const commit = await this.admin.query<CommitAnswer>(
      shop,
      ORDER_EDIT_COMMIT,
      {
        id: calculatedOrderId,
        // The invoice below is the buyer's message; a second "order edited" email would say the same.
        notifyCustomer: false,
        staffNote: `Encore: Thank-you offer accepted on the order status page (${mark}).`
      },
      deadline
    )
    const committed = payload(commit, (d) => d.orderEditCommit)
    if (!committed.ok) return committed.result
    const outstanding = committed.value.order?.totalOutstandingSet
    if (committed.value.userErrors.length || !outstanding) {
      this.attempts.delete(key)
      return failed('rejected', messageOf(committed.value.userErrors) || 'Shopify did not commit the edit.')
    }
    return this.invoice(shop, order.id, buyerMoney(outstanding), deadline)
  }

  /** 6. The invoice for the balance (a checkout link by email); the line stays added whatever happens here. */
  private async invoice(shop: string, orderId: string, amountDue: Money, deadline: number): Promise<AddToOrderResult> {
    if (!(Number(amountDue.amount) > 0) || !(await this.admin.hasScopes(shop, INVOICE_SCOPE)))
      return { ok: true, amountDue, invoiceSent: false }
    const res = await this.admin.query<InvoiceAnswer>(shop, ORDER_INVOICE_SEND, { id: orderId }, deadline)
    const sent = res.ok && res.data.orderInvoiceSend !== null && res.data.orderInvoiceSend.userErrors.length === 0
    return { ok: true, amountDue, invoiceSent: sent }
  }
}

/** What the buyer pays is in the order's presentment currency (the shop's, for a single-currency order). */
function buyerMoney(bag: { presentmentMoney: Money }): Money {
  return { amount: bag.presentmentMoney.amount, currencyCode: bag.presentmentMoney.currencyCode }
}

/** A mutation's payload, or the failure to answer with (the client's, or a null payload with GraphQL errors). */
function payload<T, P>(
  res: AdminResult<T>,
  pick: (data: T) => P | null | undefined
): { ok: true; value: P } | { ok: false; result: AddToOrderResult } {
  if (!res.ok) {
    const reason = orderFailure(res.reason)
    return { ok: false, result: failed(reason, MESSAGES[reason]) }
  }
  const value = pick(res.data)
  if (value === null || value === undefined) {
    const denied = res.errors.some((e) => e.extensions?.code === 'ACCESS_DENIED')
    return {
      ok: false,
      result: failed(denied ? 'scope_missing' : 'error', denied ? MESSAGES.scope_missing : MESSAGES.error)
    }
  }
  return { ok: true, value }
}
