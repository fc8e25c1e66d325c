// The Thank-you routes' wire shapes (contract: shared/design/thank-you.md), taken from the shared wire contract
// (contract/wire.ts) as types only, so nothing of the schema library reaches the bundle.
import type {
  Money,
  Settle,
  ThankYouAcceptAnswer,
  ThankYouAcceptRequest,
  ThankYouOffer as WireThankYouOffer,
  UnitPrice
} from '../../../contract/wire.js'

export type { Money, Settle, UnitPrice }

/**
 * The offer object of POST /api/thank-you/offer: POST /api/offer's plus `settle`, `prices` and `orderName`.
 * `changes` feeds calculateChangeset previews on the post-purchase page; the Thank-you page has no such API and never
 * reads it, so parse.ts does not vouch for it.
 */
export type ThankYouOffer = Omit<WireThankYouOffer, 'changes'> & { changes: unknown[] }

export type OfferAnswer = { render: false } | { render: true; offer: ThankYouOffer }

/** The extension always sends quantity and variant, as the post-purchase page does. */
export type AcceptBody = Required<ThankYouAcceptRequest>

export type AcceptAnswer = ThankYouAcceptAnswer
