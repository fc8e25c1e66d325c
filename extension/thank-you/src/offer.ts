// The Thank-you routes' wire shapes, types only (contract: shared/design/thank-you.md and http-api.md).
// TODO(contract): import these from server/contract/ once the shared wire-contract module lands; until then this
// file is the only place the extension spells them, and parse.ts checks every answer against them.

export type Money = { amount: string; currencyCode: string }

/** The offer object of POST /api/offer (shared/design/http-api.md), field for field. */
export type Offer = {
  id: string
  ruleId: string
  arm: string | null
  variantId: number
  variants: number[]
  quantity: { default: number; min: number; max: number }
  discount: { type: 'percentage' | 'fixed_amount'; value: number; title: string } | null
  content: {
    headline: string
    body: string
    image: string | null
    imageAlt: string
    acceptLabel: string
    declineLabel: string
  }
  expiresAt: string | null
  changes: unknown[]
  /** Not in the contract (as on the post-purchase page): buyer-facing names for the picker, by variant id. */
  variantLabels?: Record<string, string>
}

/** What one unit costs the buyer, after (`amount`) and before (`originalAmount`) the offer's discount. */
export type UnitPrice = { amount: string; originalAmount: string; currencyCode: string }

export type Settle = 'order_edit' | 'checkout'

/** POST /api/thank-you/offer's offer: the same object plus how accepting settles. */
export type ThankYouOffer = Offer & {
  settle: Settle
  /**
   * Not in the contract yet (a proposal, see docs/thank-you-platform.md): the unit price by variant id, so the page
   * can say what the buyer will pay before accepting. Without it the page shows no price line and says the amount
   * after accepting, from the accept answer.
   */
  prices?: Record<string, UnitPrice>
  /** Not in the contract yet: the order's name as the buyer knows it ("#1234"); else the confirmation number. */
  orderName?: string
}

export type OfferAnswer = { render: false } | { render: true; offer: ThankYouOffer }

export type AcceptBody = { offerId: string; quantity: number; variantId: number }

export type AcceptAnswer =
  { status: 'added'; amountDue: Money; invoiceSent: boolean } | { status: 'checkout'; url: string }
