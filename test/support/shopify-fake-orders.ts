// The fake Admin API's orders: order(id:), order editing (begin, add variant, line discount, commit), invoices and
// draft orders, answered the way Shopify shapes them (money as MoneyBags of decimal strings, userErrors as values).
import { randomBytes } from 'node:crypto'
import type { FakeProduct } from './shopify-fake-admin.js'

/** One line of a fake order; `price` is the unit price in the order's currency (a decimal string). */
export type FakeOrderLine = {
  variantId: number
  productId?: number
  title: string
  variantTitle?: string | null
  quantity: number
  price: string
  /** A manual discount on the line (what an order edit adds), whole-line amount in cents is derived from it. */
  discount?: { title: string; description: string | null; percent?: number; amountPerUnit?: string } | null
}

/** An order as a test creates it with `fake.addOrder()`; everything but `id`, `shop` and `lineItems` has a default. */
export type FakeOrder = {
  id: number
  shop: string
  /** `#1001` by default. */
  name?: string
  /** `XPAV284CT`-like; null for old orders. */
  confirmationNumber?: string | null
  /** ISO time; now by default. */
  createdAt?: string
  customerId?: number | null
  email?: string | null
  /** The shop's currency (USD by default) and the buyer's (the same by default). */
  currency?: string
  presentmentCurrency?: string
  shippingCountry?: string | null
  locale?: string | null
  shipping?: string
  lineItems: FakeOrderLine[]
  /** What the buyer paid; the order's total by default (nothing outstanding). */
  paid?: string
  cancelledAt?: string | null
  closed?: boolean
  /** Reasons Shopify gives for not editing it (e.g. "Orders created by apps can't be edited"); editable when empty. */
  notEditableReasons?: string[]
}

/** A committed order edit, as `fake.committedEdits(orderGid)` lists it. */
export type FakeCommittedEdit = {
  orderId: string
  calculatedOrderId: string
  staffNote: string | null
  notifyCustomer: boolean
  lines: {
    lineItemId: string
    variantId: number
    quantity: number
    unitPrice: string
    discount: FakeOrderLine['discount']
  }[]
  /** The order's outstanding balance right after the commit. */
  totalOutstanding: string
  at: string
}

export type FakeDraftOrder = {
  id: string
  shop: string
  invoiceUrl: string
  status: 'OPEN' | 'COMPLETED'
  tags: string[]
  customerId: number | null
  lines: { variantId: number; quantity: number; unitPrice: string; discount: unknown }[]
  total: string
}

type StoredLine = FakeOrderLine & { lineItemId: number }
/** `paidCents`: fixed when the order is added, so an edit that adds a line leaves a balance. */
type Stored = Omit<FakeOrder, 'lineItems'> & { lineItems: StoredLine[]; paidCents: number }
type Staged = {
  calcLineId: number
  variantId: number
  productId: number
  title: string
  variantTitle: string | null
  quantity: number
  price: string
  discount: FakeOrderLine['discount']
}
type Edit = { id: number; orderId: number; shop: string; added: Staged[]; committed: boolean }
type UserError = { field: string[] | null; message: string; code?: string }

const cents = (amount: string | number): number => Math.round(Number(amount) * 100)
const dec = (c: number): string => (c / 100).toFixed(2)
const gidOf = (type: string, id: number | string) => `gid://shopify/${type}/${id}`

function idOf(gid: unknown, type: string): number | null {
  if (typeof gid !== 'string') return null
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid)
  return m ? Number(m[1]) : null
}

/** The discount of one whole line, in cents: a percentage of the line, or an amount per unit. */
function lineDiscountCents(line: { quantity: number; price: string; discount?: FakeOrderLine['discount'] }): number {
  const d = line.discount
  if (!d) return 0
  const gross = cents(line.price) * line.quantity
  if (d.percent !== undefined) return Math.round((gross * d.percent) / 100)
  return Math.min(gross, cents(d.amountPerUnit ?? '0') * line.quantity)
}

export class FakeOrders {
  private readonly orders = new Map<number, Stored>()
  private readonly edits = new Map<number, Edit>()
  private readonly committed: FakeCommittedEdit[] = []
  private readonly invoices: { orderId: string; at: string }[] = []
  readonly draftOrders: FakeDraftOrder[] = []
  private nextLineId = 900_000_001
  private nextEditId = 70_000_001
  private nextCalcLineId = 80_000_001
  private nextDraftId = 1_000_001

  constructor(private readonly products: Map<number, FakeProduct>) {}

  add(order: FakeOrder): void {
    const stored: Stored = {
      ...order,
      lineItems: order.lineItems.map((l) => ({ ...l, lineItemId: this.nextLineId++ })),
      paidCents: 0
    }
    stored.paidCents = order.paid === undefined ? this.totalCents(stored) : cents(order.paid)
    this.orders.set(order.id, stored)
  }

  update(id: number, patch: Partial<Omit<FakeOrder, 'id' | 'lineItems'>>): void {
    const o = this.orders.get(id)
    if (o) Object.assign(o, patch)
  }

  committedEdits(orderGid: string): FakeCommittedEdit[] {
    return this.committed.filter((e) => e.orderId === orderGid)
  }

  invoicesSent(orderGid: string): number {
    return this.invoices.filter((i) => i.orderId === orderGid).length
  }

  // ---- money ----

  private subtotalCents(o: Stored): number {
    return o.lineItems.reduce((sum, l) => sum + cents(l.price) * l.quantity - lineDiscountCents(l), 0)
  }

  private totalCents(o: Stored): number {
    return this.subtotalCents(o) + cents(o.shipping ?? '0')
  }

  private outstandingCents(o: Stored): number {
    return this.totalCents(o) - o.paidCents
  }

  private bag(o: Stored, c: number) {
    const presentment = o.presentmentCurrency ?? o.currency ?? 'USD'
    return {
      shopMoney: { amount: dec(c), currencyCode: o.currency ?? 'USD' },
      presentmentMoney: { amount: dec(c), currencyCode: presentment }
    }
  }

  private editableErrors(o: Stored): string[] {
    const reasons = [...(o.notEditableReasons ?? [])]
    if (o.cancelledAt) reasons.unshift("Canceled orders can't be edited")
    else if (o.closed) reasons.unshift("Archived orders can't be edited")
    return reasons
  }

  // ---- answers ----

  orderNode(shop: string, gid: unknown) {
    const o = this.orders.get(idOf(gid, 'Order') ?? -1)
    if (!o || o.shop !== shop) return null
    const errors = this.editableErrors(o)
    return {
      id: gidOf('Order', o.id),
      legacyResourceId: String(o.id),
      name: o.name ?? '#1001',
      confirmationNumber: o.confirmationNumber === undefined ? 'XPAV284CT' : o.confirmationNumber,
      createdAt: o.createdAt ?? new Date().toISOString(),
      cancelledAt: o.cancelledAt ?? null,
      closed: o.closed ?? false,
      merchantEditable: errors.length === 0,
      merchantEditableErrors: errors,
      email: o.email === undefined ? 'buyer@example.com' : o.email,
      customer: o.customerId ? { id: gidOf('Customer', o.customerId) } : null,
      currencyCode: o.currency ?? 'USD',
      presentmentCurrencyCode: o.presentmentCurrency ?? o.currency ?? 'USD',
      customerLocale: o.locale === undefined ? 'en' : o.locale,
      shippingAddress: o.shippingCountry === null ? null : { countryCodeV2: o.shippingCountry ?? 'US' },
      currentSubtotalPriceSet: this.bag(o, this.subtotalCents(o)),
      currentTotalPriceSet: this.bag(o, this.totalCents(o)),
      totalOutstandingSet: this.bag(o, this.outstandingCents(o)),
      lineItems: {
        nodes: o.lineItems.map((l) => ({
          id: gidOf('LineItem', l.lineItemId),
          title: l.title,
          variantTitle: l.variantTitle ?? null,
          quantity: l.quantity,
          currentQuantity: l.quantity,
          variant: { id: gidOf('ProductVariant', l.variantId) },
          product: l.productId ? { id: gidOf('Product', l.productId) } : null,
          originalUnitPriceSet: this.bag(o, cents(l.price)),
          discountedTotalSet: this.bag(o, cents(l.price) * l.quantity - lineDiscountCents(l)),
          discountAllocations: l.discount
            ? [
                {
                  allocatedAmountSet: this.bag(o, lineDiscountCents(l)),
                  discountApplication: {
                    __typename: 'ManualDiscountApplication',
                    title: l.discount.title,
                    description: l.discount.description
                  }
                }
              ]
            : []
        }))
      }
    }
  }

  private calculatedOrder(edit: Edit) {
    const o = this.orders.get(edit.orderId)!
    const added = edit.added.reduce((s, l) => s + cents(l.price) * l.quantity - lineDiscountCents(l), 0)
    return {
      id: gidOf('CalculatedOrder', edit.id),
      originalOrder: { id: gidOf('Order', o.id) },
      subtotalPriceSet: this.bag(o, this.subtotalCents(o) + added),
      totalOutstandingSet: this.bag(o, this.outstandingCents(o) + added),
      addedLineItems: { nodes: edit.added.map((l) => this.calculatedLine(o, l)) }
    }
  }

  private calculatedLine(o: Stored, l: Staged) {
    return {
      id: gidOf('CalculatedLineItem', l.calcLineId),
      quantity: l.quantity,
      title: l.title,
      variant: { id: gidOf('ProductVariant', l.variantId) },
      originalUnitPriceSet: this.bag(o, cents(l.price)),
      discountedUnitPriceSet: this.bag(o, cents(l.price) - Math.round(lineDiscountCents(l) / l.quantity))
    }
  }

  private edit(shop: string, gid: unknown): Edit | null {
    const edit = this.edits.get(idOf(gid, 'CalculatedOrder') ?? -1)
    return edit && edit.shop === shop && !edit.committed ? edit : null
  }

  orderEditBegin(shop: string, vars: Record<string, unknown>) {
    const o = this.orders.get(idOf(vars.id, 'Order') ?? -1)
    if (!o || o.shop !== shop)
      return { calculatedOrder: null, userErrors: [{ field: ['id'], message: 'The order does not exist.' }] }
    const errors = this.editableErrors(o)
    if (errors.length) return { calculatedOrder: null, userErrors: errors.map((m) => ({ field: ['id'], message: m })) }
    const edit: Edit = { id: this.nextEditId++, orderId: o.id, shop, added: [], committed: false }
    this.edits.set(edit.id, edit)
    return { calculatedOrder: this.calculatedOrder(edit), userErrors: [] }
  }

  orderEditAddVariant(shop: string, vars: Record<string, unknown>) {
    const none = { calculatedOrder: null, calculatedLineItem: null }
    const edit = this.edit(shop, vars.id)
    if (!edit) return { ...none, userErrors: [{ field: ['id'], message: 'The calculated order does not exist.' }] }
    const variantId = idOf(vars.variantId, 'ProductVariant')
    const found = variantId === null ? null : this.variant(variantId)
    if (!found) return { ...none, userErrors: [{ field: ['variantId'], message: 'Variant does not exist.' }] }
    const quantity = Number(vars.quantity)
    if (!Number.isInteger(quantity) || quantity < 1)
      return { ...none, userErrors: [{ field: ['quantity'], message: 'Quantity must be greater than or equal to 1.' }] }
    if (found.variant.availableForSale === false)
      return { ...none, userErrors: [{ field: ['variantId'], message: 'Variant is not available for sale.' }] }
    const o = this.orders.get(edit.orderId)!
    const onOrder =
      o.lineItems.some((l) => l.variantId === variantId) || edit.added.some((l) => l.variantId === variantId)
    if (onOrder && vars.allowDuplicates !== true)
      return { ...none, userErrors: [{ field: ['variantId'], message: 'Variant is already on the order.' }] }
    const line: Staged = {
      calcLineId: this.nextCalcLineId++,
      variantId: found.variant.id,
      productId: found.product.id,
      title: found.product.title,
      variantTitle: found.variant.title === 'Default Title' ? null : found.variant.title,
      quantity,
      price: found.variant.price,
      discount: null
    }
    edit.added.push(line)
    return {
      calculatedOrder: this.calculatedOrder(edit),
      calculatedLineItem: this.calculatedLine(o, line),
      userErrors: []
    }
  }

  orderEditAddLineItemDiscount(shop: string, vars: Record<string, unknown>) {
    const none = { calculatedOrder: null, calculatedLineItem: null, addedDiscountStagedChange: null }
    const edit = this.edit(shop, vars.id)
    if (!edit) return { ...none, userErrors: [{ field: ['id'], message: 'The calculated order does not exist.' }] }
    const line = edit.added.find((l) => l.calcLineId === idOf(vars.lineItemId, 'CalculatedLineItem'))
    if (!line) return { ...none, userErrors: [{ field: ['lineItemId'], message: 'Line item does not exist.' }] }
    const d = (vars.discount ?? {}) as {
      percentValue?: number
      fixedValue?: { amount?: string; currencyCode?: string }
      description?: string
    }
    const o = this.orders.get(edit.orderId)!
    const bad = (message: string) => ({ ...none, userErrors: [{ field: ['discount'], message }] })
    if ((d.percentValue === undefined) === (d.fixedValue === undefined))
      return bad('Exactly one of percent value or fixed value is required.')
    if (d.percentValue !== undefined && !(d.percentValue > 0 && d.percentValue <= 100))
      return bad('Percent value must be between 0 and 100.')
    if (d.fixedValue !== undefined) {
      const amount = Number(d.fixedValue.amount)
      if (!(amount > 0)) return bad('Fixed value must be greater than 0.')
      if (cents(amount) > cents(line.price)) return bad('Discount cannot exceed the price of the line item.')
      if (d.fixedValue.currencyCode !== (o.presentmentCurrency ?? o.currency ?? 'USD'))
        return bad("Currency code must match the order's currency.")
    }
    if (line.discount) return bad('The line item already has a discount.')
    line.discount = {
      title: d.description ?? '',
      description: d.description ?? null,
      ...(d.percentValue !== undefined ? { percent: d.percentValue } : { amountPerUnit: String(d.fixedValue!.amount) })
    }
    return {
      calculatedOrder: this.calculatedOrder(edit),
      calculatedLineItem: this.calculatedLine(o, line),
      addedDiscountStagedChange: {
        id: gidOf('OrderStagedChangeAddLineItemDiscount', line.calcLineId),
        description: d.description ?? null
      },
      userErrors: []
    }
  }

  orderEditCommit(shop: string, vars: Record<string, unknown>) {
    const edit = this.edit(shop, vars.id)
    if (!edit)
      return {
        order: null,
        successMessages: null,
        userErrors: [{ field: ['id'], message: 'The calculated order does not exist.' }]
      }
    const o = this.orders.get(edit.orderId)!
    const errors = this.editableErrors(o)
    if (errors.length)
      return { order: null, successMessages: null, userErrors: errors.map((m) => ({ field: ['id'], message: m })) }
    edit.committed = true
    const lines = edit.added.map((l) => {
      const stored: StoredLine = {
        lineItemId: this.nextLineId++,
        variantId: l.variantId,
        productId: l.productId,
        title: l.title,
        variantTitle: l.variantTitle,
        quantity: l.quantity,
        price: l.price,
        discount: l.discount
      }
      o.lineItems.push(stored)
      return {
        lineItemId: gidOf('LineItem', stored.lineItemId),
        variantId: l.variantId,
        quantity: l.quantity,
        unitPrice: l.price,
        discount: l.discount
      }
    })
    this.committed.push({
      orderId: gidOf('Order', o.id),
      calculatedOrderId: gidOf('CalculatedOrder', edit.id),
      staffNote: typeof vars.staffNote === 'string' ? vars.staffNote : null,
      notifyCustomer: vars.notifyCustomer === true,
      lines,
      totalOutstanding: dec(this.outstandingCents(o)),
      at: new Date().toISOString()
    })
    return { order: this.orderNode(shop, gidOf('Order', o.id)), successMessages: ['Order updated'], userErrors: [] }
  }

  orderInvoiceSend(shop: string, vars: Record<string, unknown>) {
    const o = this.orders.get(idOf(vars.id, 'Order') ?? -1)
    const error = (message: string): { order: null; userErrors: UserError[] } => ({
      order: null,
      userErrors: [{ field: null, message, code: 'ORDER_INVOICE_SEND_UNSUCCESSFUL' }]
    })
    if (!o || o.shop !== shop) return error('Order not found.')
    if (
      (o.email === undefined ? 'buyer@example.com' : o.email) === null &&
      !(vars.email as { to?: string } | undefined)?.to
    )
      return error('The order has no email address.')
    this.invoices.push({ orderId: gidOf('Order', o.id), at: new Date().toISOString() })
    return { order: { id: gidOf('Order', o.id) }, userErrors: [] }
  }

  draftOrderCreate(shop: string, vars: Record<string, unknown>) {
    const input = (vars.input ?? {}) as {
      lineItems?: {
        variantId?: string
        quantity?: number
        appliedDiscount?: { value?: number; valueType?: string; title?: string }
      }[]
      purchasingEntity?: { customerId?: string }
      tags?: string[]
    }
    const error = (field: string[], message: string) => ({ draftOrder: null, userErrors: [{ field, message }] })
    const lines = input.lineItems ?? []
    if (!lines.length) return error(['lineItems'], 'Add at least 1 product')
    const stored: FakeDraftOrder['lines'] = []
    let total = 0
    for (const [i, l] of lines.entries()) {
      const found = this.variant(idOf(l.variantId, 'ProductVariant') ?? -1)
      if (!found) return error(['lineItems', String(i), 'variantId'], 'Product with ID could not be found.')
      const quantity = Number(l.quantity)
      if (!Number.isInteger(quantity) || quantity < 1)
        return error(['lineItems', String(i), 'quantity'], 'Quantity must be greater than 0.')
      const d = l.appliedDiscount
      if (d && !(Number(d.value) > 0))
        return error(['lineItems', String(i), 'appliedDiscount', 'value'], 'Value must be greater than 0')
      if (d && d.valueType === 'PERCENTAGE' && Number(d.value) > 100)
        return error(['lineItems', String(i), 'appliedDiscount', 'value'], 'Value must be less than or equal to 100')
      const gross = cents(found.variant.price) * quantity
      const off = !d
        ? 0
        : d.valueType === 'PERCENTAGE'
          ? Math.round((gross * Number(d.value)) / 100)
          : Math.min(gross, cents(Number(d.value)) * quantity)
      total += gross - off
      stored.push({ variantId: found.variant.id, quantity, unitPrice: found.variant.price, discount: d ?? null })
    }
    const id = this.nextDraftId++
    const draft: FakeDraftOrder = {
      id: gidOf('DraftOrder', id),
      shop,
      invoiceUrl: `https://${shop}/61234567/invoices/${randomBytes(16).toString('hex')}`,
      status: 'OPEN',
      tags: input.tags ?? [],
      customerId: idOf(input.purchasingEntity?.customerId, 'Customer'),
      lines: stored,
      total: dec(total)
    }
    this.draftOrders.push(draft)
    return { draftOrder: this.draftNode(draft), userErrors: [] }
  }

  /** `draftOrders(first:, query: "tag:...")`: the fake understands a single `tag:<value>` filter. */
  draftOrdersByQuery(shop: string, vars: Record<string, unknown>) {
    const tag = /tag:'?"?([^'"\s]+)/.exec(String(vars.query ?? ''))?.[1]
    const nodes = this.draftOrders.filter((d) => d.shop === shop && (tag === undefined || d.tags.includes(tag)))
    return { nodes: nodes.slice(0, Number(vars.first ?? 10)).map((d) => this.draftNode(d)) }
  }

  private draftNode(d: FakeDraftOrder) {
    return {
      id: d.id,
      invoiceUrl: d.invoiceUrl,
      status: d.status,
      tags: d.tags,
      totalPriceSet: { shopMoney: { amount: d.total, currencyCode: 'USD' } }
    }
  }

  private variant(variantId: number) {
    for (const product of this.products.values()) {
      const variant = product.variants.find((v) => v.id === variantId)
      if (variant) return { product, variant }
    }
    return null
  }
}
