// The HTTP contract with the checkout extension, written once: each wire type is a TypeBox schema, its type derived.
//
// The server's route schemas, the extension's parser (a types-only import), the harness and the test fakes all use
// this module. It imports nothing but `typebox` (no Fastify, no Node), so a client can `import type` from it without
// bundling anything. The contract these schemas spell out is `docs/api.md` (variantLabels is our documented addition).
import { Type, type Static, type TSchema } from 'typebox'

/** Shopify accepts at most this many post-purchase offers per checkout: the fourth is refused (409). */
export const MAX_ACCEPTED_OFFERS = 3

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
const Id = Type.String({ minLength: 1, maxLength: 100 })
const VariantId = Type.Integer({ minimum: 1 })
const DiscountKind = Type.Enum(['percentage', 'fixed_amount'], { type: 'string' })

/** One line a changeset adds, in the SDK's spelling (`variantId`) and Shopify's discount shape. */
export const Change = Type.Object(
  {
    type: Type.Literal('add_variant'),
    variantId: Type.Integer(),
    quantity: Type.Integer(),
    discount: Type.Optional(
      Type.Object(
        { value: Type.Number(), valueType: DiscountKind, title: Type.String() },
        { additionalProperties: false }
      )
    )
  },
  { additionalProperties: false }
)
export type Change = Static<typeof Change>

export const Discount = Type.Object({ type: DiscountKind, value: Type.Number(), title: Type.String() })
export type Discount = Static<typeof Discount>

/** What `POST /api/offer` answers with `render: true`. */
export const Offer = Type.Object({
  /** Opaque, unique per checkout: what /api/sign-changeset and /api/events take. */
  id: Type.String(),
  ruleId: Type.String(),
  arm: nullable(Type.String()),
  variantId: Type.Integer(),
  /** The allow-list; `[variantId]` when there is no picker. */
  variants: Type.Array(Type.Integer()),
  /**
   * Our addition to the contract: picker labels by variant id (a decimal string), only for allow-listed variants.
   * Absent (never null) when the rule names none, and in offers stored before it existed.
   */
  variantLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
  quantity: Type.Object({ default: Type.Integer(), min: Type.Integer(), max: Type.Integer() }),
  discount: nullable(Discount),
  /** Translated for the buyer's locale. */
  content: Type.Object({
    headline: Type.String(),
    body: Type.String(),
    image: nullable(Type.String()),
    imageAlt: Type.String(),
    acceptLabel: Type.String(),
    declineLabel: Type.String()
  }),
  /** ISO time, when the offer has a countdown. */
  expiresAt: nullable(Type.String()),
  /** What accepting at the default quantity adds: for calculateChangeset previews. */
  changes: Type.Array(Change)
})
export type Offer = Static<typeof Offer>

export const Outcome = Type.Enum(['accepted', 'declined'], { type: 'string' })
export type Outcome = Static<typeof Outcome>

/** `POST /api/offer` body: `{}`, or the answer to the previous offer to ask for the next one in a chain. */
export const OfferRequest = Type.Object(
  { after: Type.Optional(Type.Object({ offerId: Id, outcome: Outcome }, { additionalProperties: false })) },
  { additionalProperties: false }
)
export type OfferRequest = Static<typeof OfferRequest>
export type After = NonNullable<OfferRequest['after']>

/** `POST /api/offer` 200: one object schema (fast to serialize); `OfferAnswer` is the same shape, narrowed. */
export const OfferResponse = Type.Object({ render: Type.Boolean(), offer: Type.Optional(Offer) })
export type OfferAnswer = { render: false } | { render: true; offer: Offer }

/** `POST /api/sign-changeset` body. Anything else (notably `changes`) is refused: the server alone decides. */
export const SignRequest = Type.Object(
  {
    offerId: Id,
    // Any integer: one outside the offer's allow-list is 422 QUANTITY_NOT_ALLOWED (the contract), not a schema 400.
    quantity: Type.Optional(Type.Integer()),
    variantId: Type.Optional(VariantId)
  },
  { additionalProperties: false }
)
export type SignRequest = Static<typeof SignRequest>

/** `POST /api/sign-changeset` 200: the changeset JWT for `applyChangeset`. */
export const SignResponse = Type.Object({ token: Type.String() })
export type SignResponse = Static<typeof SignResponse>

export const EventType = Type.Enum(['viewed', 'accepted', 'declined', 'applied', 'failed'], { type: 'string' })
export type EventType = Static<typeof EventType>

/** `POST /api/events` body: what the buyer saw and what `applyChangeset` answered (204). */
export const EventBody = Type.Object({
  offerId: Id,
  type: EventType,
  status: Type.Optional(Type.String({ maxLength: 100 })),
  errors: Type.Optional(
    Type.Array(Type.Object({ code: Type.String({ maxLength: 100 }), message: Type.String({ maxLength: 1000 }) }), {
      maxItems: 20
    })
  ),
  /** A decimal string, e.g. "12.50". */
  amount: Type.Optional(Type.String({ pattern: '^-?[0-9]{1,12}(\\.[0-9]{1,6})?$' }))
})
export type EventBody = Static<typeof EventBody>

// The Thank-you page (contract: shared/design/thank-you.md). Authenticated by Shopify's session token for checkout UI
// extensions, not the checkout token: the shop and the customer come from the token, the order from the body.

/** Shopify's MoneyV2 as the Thank-you page reads it: a decimal string and an ISO 4217 code. */
export const Money = Type.Object(
  {
    amount: Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,4})?$' }),
    currencyCode: Type.String({ pattern: '^[A-Z]{3}$' })
  },
  { additionalProperties: false }
)
export type Money = Static<typeof Money>

/** What one unit costs the buyer, after (`amount`) and before (`originalAmount`) the offer's discount. */
export const UnitPrice = Type.Object(
  {
    amount: Money.properties.amount,
    originalAmount: Money.properties.amount,
    currencyCode: Money.properties.currencyCode
  },
  { additionalProperties: false }
)
export type UnitPrice = Static<typeof UnitPrice>

/** How accepting settles: an edit of the paid order (an invoice for the balance), or a separate checkout. */
export const Settle = Type.Enum(['order_edit', 'checkout'], { type: 'string' })
export type Settle = Static<typeof Settle>

/** `POST /api/thank-you/offer` body: the order the page shows, as the Order Confirmation API gives it. */
export const ThankYouOfferRequest = Type.Object(
  {
    orderId: Type.String({ maxLength: 64, pattern: '^gid://shopify/Order/[1-9][0-9]{0,19}$' }),
    confirmationNumber: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
  },
  { additionalProperties: false }
)
export type ThankYouOfferRequest = Static<typeof ThankYouOfferRequest>

/**
 * The Thank-you offer: the offer of `POST /api/offer` plus `settle`, and our additions `prices` (the unit price by
 * offered variant id, a decimal string key) and `orderName` (`#1001`), so the page says what the buyer will pay.
 */
export const ThankYouOffer = Type.Object({
  ...Offer.properties,
  settle: Settle,
  prices: Type.Optional(Type.Record(Type.String(), UnitPrice)),
  orderName: Type.Optional(Type.String())
})
export type ThankYouOffer = Static<typeof ThankYouOffer>

/** `POST /api/thank-you/offer` 200. */
export const ThankYouOfferResponse = Type.Object({ render: Type.Boolean(), offer: Type.Optional(ThankYouOffer) })
export type ThankYouOfferAnswer = { render: false } | { render: true; offer: ThankYouOffer }

/** `POST /api/thank-you/accept` body: the offer, quantity and variant within it (the offer's defaults if left out). */
export const ThankYouAcceptRequest = Type.Object(
  {
    offerId: Id,
    // Any integer: one outside the offer's allow-list is 422 QUANTITY_NOT_ALLOWED (the contract), not a schema 400.
    quantity: Type.Optional(Type.Integer()),
    variantId: Type.Optional(VariantId)
  },
  { additionalProperties: false }
)
export type ThankYouAcceptRequest = Static<typeof ThankYouAcceptRequest>

/** `POST /api/thank-you/accept` 200: added to the paid order (an invoice for `amountDue`), or a checkout to pay. */
export const ThankYouAcceptResponse = Type.Union([
  Type.Object(
    { status: Type.Literal('added'), amountDue: Money, invoiceSent: Type.Boolean() },
    { additionalProperties: false }
  ),
  Type.Object({ status: Type.Literal('checkout'), url: Type.String() }, { additionalProperties: false })
])
export type ThankYouAcceptAnswer = Static<typeof ThankYouAcceptResponse>

/** Every error answer, whatever the status and whoever raised it (docs/api.md lists the codes). */
export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() })
})
export type ErrorBody = Static<typeof ErrorBody>
