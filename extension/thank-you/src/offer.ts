// The Thank-you routes' wire shapes (contract: shared/design/thank-you.md). The offer object is the one of
// POST /api/offer, taken from the shared wire contract (contract/wire.ts) as types only, so nothing of the schema
// library reaches the bundle; what only the Thank-you page adds is spelled here, until the contract module gains it.
import type { Offer as WireOffer } from '../../../contract/wire.js'

export type Money = { amount: string; currencyCode: string }

/**
 * The offer object of POST /api/offer. `changes` feeds calculateChangeset previews on the post-purchase page; the
 * Thank-you page has no such API and never reads it, so parse.ts does not vouch for it.
 */
export type Offer = Omit<WireOffer, 'changes'> & { changes: unknown[] }

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
