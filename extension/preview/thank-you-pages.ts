// The preview's Thank-you pages: for a fixture's order, paid by card (it went through the post-purchase page first)
// or with a wallet (Shopify skipped that page), the order created where the service looks orders up, and the session
// tokens Shopify would hand the block, minted with the service's secret.
import { randomBytes, randomUUID } from 'node:crypto'
import type { InputData } from '../harness/index.js'
import { mintSessionToken } from '../thank-you-harness/session-token.js'
import type { Service } from './sessions.js'

export type Payment = 'card' | 'wallet'
export const PAYMENTS: readonly Payment[] = ['card', 'wallet']

/** The order as the Order Confirmation API gives it to the block, plus its name for the page around it. */
export type PreviewOrder = { id: string; confirmationNumber: string; name: string }

export type NewOrder = {
  fixture: string
  inputData: InputData
  payment: Payment
  /** The checkout's reference id: for a card order, the one its post-purchase page ran with. */
  referenceId: string
  /** What the post-purchase page added to the order (card orders), as Shopify's changesets applied it. */
  added: { variantId: number; quantity: number }[]
}

/** Where the preview puts the buyer's orders: the fake Admin API the service reads, or nowhere. */
export type PreviewOrders = {
  /** A sentence for the page: where the orders live. */
  readonly description: string
  /**
   * For a card order, the reference id its post-purchase checkout runs with. Where orders live in an Admin API, the
   * order's own id (the id the service tries first when it joins the two pages; that Shopify names the checkout so
   * must be confirmed on a live store): reserved now, given to the order `create` makes for that checkout. Without
   * it, the fixture's reference id.
   */
  reserveCheckoutId?(): string
  create(order: NewOrder): Promise<PreviewOrder>
  /** What the Admin API now holds for this order (its edits, its line items), shown beside the page. */
  describe(orderId: string): Promise<unknown>
}

/**
 * Without an Admin API the orders exist only here: the block asks with a well-formed id and confirmation number,
 * and the service, which cannot prove them, offers nothing.
 */
export function unrecordedOrders(): PreviewOrders {
  let next = 5550001
  return {
    description: 'no Admin API: the service cannot look orders up, so it offers nothing on this page',
    async create() {
      const n = next++
      return { id: `gid://shopify/Order/${n}`, confirmationNumber: confirmationNumber(), name: `#${n - 5549000}` }
    },
    async describe() {
      return null
    }
  }
}

/** Shopify's confirmation numbers: nine upper-case letters and digits, without look-alikes. */
export function confirmationNumber(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  return Array.from(randomBytes(9), (b) => alphabet[b % alphabet.length]).join('')
}

export type ThankYouPageState = {
  id: string
  fixture: string
  payment: Payment
  referenceId: string
  order: PreviewOrder
  shop: string
  locale: string
  /** The customer's GID when the buyer is known (the session token's `sub`), else null. */
  customer: string | null
}

export class ThankYouPages {
  private readonly pages = new Map<string, ThankYouPageState>()

  constructor(
    private readonly service: Service,
    readonly orders: PreviewOrders,
    private readonly max = 30
  ) {}

  async create(input: NewOrder): Promise<ThankYouPageState> {
    const order = await this.orders.create(input)
    const customerId = input.inputData.initialPurchase.customerId
    const page: ThankYouPageState = {
      id: randomUUID(),
      fixture: input.fixture,
      payment: input.payment,
      referenceId: input.referenceId,
      order,
      shop: input.inputData.shop.domain,
      locale: input.inputData.locale ?? 'en',
      customer: customerId === undefined || customerId === null ? null : `gid://shopify/Customer/${customerId}`
    }
    this.pages.set(page.id, page)
    for (const id of this.pages.keys()) {
      if (this.pages.size <= this.max) break
      this.pages.delete(id)
    }
    return page
  }

  get(id: string): ThankYouPageState | undefined {
    return this.pages.get(id)
  }

  /** shopify.sessionToken.get() for this page: signed like Shopify's, with the claims shown in the page's log. */
  token(page: ThankYouPageState): { token: string; claims: Record<string, unknown> } {
    const token = mintSessionToken({
      secret: this.service.secret,
      apiKey: this.service.apiKey,
      shop: page.shop,
      ...(page.customer ? { customerId: page.customer } : {})
    })
    const payload = token.split('.')[1] ?? ''
    return { token, claims: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown> }
  }
}
