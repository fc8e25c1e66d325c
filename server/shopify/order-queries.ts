// The Admin GraphQL documents for the Thank-you page (order look-up, order editing, invoice, draft-order checkout),
// and the shapes of their answers. Field names checked against the 2025-10 reference (docs/shopify.md).

const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }'

/** At most this many lines are read: enough for any order a post-purchase buyer places, bounded in query cost. */
export const ORDER_LINES = 100

export const ORDER_QUERY = `query EncoreOrder($id: ID!) {
  order(id: $id) {
    id legacyResourceId name confirmationNumber createdAt cancelledAt closed
    merchantEditable merchantEditableErrors
    customer { id }
    currencyCode presentmentCurrencyCode customerLocale
    shippingAddress { countryCodeV2 }
    currentSubtotalPriceSet { ${MONEY} }
    currentTotalPriceSet { ${MONEY} }
    totalOutstandingSet { ${MONEY} }
    lineItems(first: ${ORDER_LINES}) {
      nodes {
        id title variantTitle quantity currentQuantity
        variant { id }
        product { id }
        discountedTotalSet { ${MONEY} }
        discountAllocations { discountApplication { ... on ManualDiscountApplication { title description } } }
      }
    }
  }
}`

export const ORDER_EDIT_BEGIN = `mutation EncoreOrderEditBegin($id: ID!) {
  orderEditBegin(id: $id) {
    calculatedOrder { id }
    userErrors { field message }
  }
}`

export const ORDER_EDIT_ADD_VARIANT = `mutation EncoreOrderEditAddVariant($id: ID!, $variantId: ID!, $quantity: Int!, $allowDuplicates: Boolean) {
  orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity, allowDuplicates: $allowDuplicates) {
    calculatedLineItem { id }
    userErrors { field message }
  }
}`

export const ORDER_EDIT_ADD_DISCOUNT = `mutation EncoreOrderEditAddDiscount($id: ID!, $lineItemId: ID!, $discount: OrderEditAppliedDiscountInput!) {
  orderEditAddLineItemDiscount(id: $id, lineItemId: $lineItemId, discount: $discount) {
    addedDiscountStagedChange { id }
    userErrors { field message }
  }
}`

export const ORDER_EDIT_COMMIT = `mutation EncoreOrderEditCommit($id: ID!, $notifyCustomer: Boolean, $staffNote: String) {
  orderEditCommit(id: $id, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    order { id totalOutstandingSet { ${MONEY} } }
    userErrors { field message }
  }
}`

export const ORDER_INVOICE_SEND = `mutation EncoreOrderInvoiceSend($id: ID!) {
  orderInvoiceSend(id: $id) {
    order { id }
    userErrors { field message }
  }
}`

export const DRAFT_ORDERS_BY_TAG = `query EncoreDraftOrdersByTag($query: String!) {
  draftOrders(first: 1, query: $query) { nodes { id invoiceUrl status } }
}`

export const DRAFT_ORDER_CREATE = `mutation EncoreDraftOrderCreate($input: DraftOrderInput!) {
  draftOrderCreate(input: $input) {
    draftOrder { id invoiceUrl status }
    userErrors { field message }
  }
}`

export type MoneyV2 = { amount: string; currencyCode: string }
export type MoneyBag = { shopMoney: MoneyV2; presentmentMoney: MoneyV2 }
export type UserError = { field?: string[] | null; message: string }

export type OrderLineNode = {
  id: string
  title: string
  variantTitle: string | null
  quantity: number
  currentQuantity?: number
  variant: { id: string } | null
  product: { id: string } | null
  discountedTotalSet: MoneyBag
  discountAllocations?: { discountApplication: { title?: string | null; description?: string | null } | null }[]
}

export type OrderNode = {
  id: string
  legacyResourceId: string
  name: string
  confirmationNumber: string | null
  createdAt: string
  cancelledAt: string | null
  closed: boolean
  merchantEditable: boolean
  merchantEditableErrors: string[]
  customer: { id: string } | null
  currencyCode: string
  presentmentCurrencyCode: string
  customerLocale: string | null
  shippingAddress: { countryCodeV2: string | null } | null
  currentSubtotalPriceSet: MoneyBag
  currentTotalPriceSet: MoneyBag
  totalOutstandingSet: MoneyBag
  lineItems: { nodes: OrderLineNode[] }
}

export type OrderAnswer = { order: OrderNode | null }
export type BeginAnswer = { orderEditBegin: { calculatedOrder: { id: string } | null; userErrors: UserError[] } | null }
export type AddVariantAnswer = {
  orderEditAddVariant: { calculatedLineItem: { id: string } | null; userErrors: UserError[] } | null
}
export type AddDiscountAnswer = {
  orderEditAddLineItemDiscount: { addedDiscountStagedChange: { id: string } | null; userErrors: UserError[] } | null
}
export type CommitAnswer = {
  orderEditCommit: { order: { id: string; totalOutstandingSet: MoneyBag } | null; userErrors: UserError[] } | null
}
export type InvoiceAnswer = { orderInvoiceSend: { order: { id: string } | null; userErrors: UserError[] } | null }
export type DraftNode = { id: string; invoiceUrl: string | null; status: string }
export type DraftOrdersAnswer = { draftOrders: { nodes: DraftNode[] } | null }
export type DraftCreateAnswer = { draftOrderCreate: { draftOrder: DraftNode | null; userErrors: UserError[] } | null }

export const orderGid = (id: number | string) => `gid://shopify/Order/${id}`
/** `gid://shopify/Order/123` → `123`, or null for anything else. */
export const orderNumericId = (gid: string): string | null =>
  /^gid:\/\/shopify\/Order\/(\d{1,20})$/.exec(gid)?.[1] ?? null
