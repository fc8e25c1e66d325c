// Offer-service rows for one checkout, written through the storage interface (for tests of code that reads them).
import type { Storage } from '../../server/db/storage.js'

export type SeedOptions = {
  shop: string
  customerId: string | null
  referenceId: string
  /** Also store an acceptance (and so an `accepted` answer). */
  accept?: boolean
  answer?: 'accepted' | 'declined' | null
  createdAt?: number
}

/** A checkout with one offer decision (id `<referenceId>-o1`), an optional acceptance and an `applied` event. */
export async function seedCheckout(storage: Storage, o: SeedOptions): Promise<string> {
  const now = o.createdAt ?? Date.now()
  const offerId = `${o.referenceId}-o1`
  const base = { referenceId: o.referenceId, shopDomain: o.shop, customerId: o.customerId }
  await storage.decideOnce(
    { ...base, currency: 'USD', facts: '{}', createdAt: now },
    {
      ...base,
      id: offerId,
      step: 's:',
      ruleId: 'wool-socks',
      arm: null,
      holdout: false,
      skipped: null,
      rulesetHash: 'h',
      context: null,
      offer: '{}',
      signableUntil: now + 60_000,
      afterOfferId: null,
      afterOutcome: null,
      answer: o.answer ?? null,
      createdAt: now
    }
  )
  if (o.accept) {
    await storage.acceptOnce(
      {
        ...base,
        offerId,
        ruleId: 'wool-socks',
        arm: null,
        variantId: 808950810,
        quantity: 1,
        changes: '[]',
        jti: `${o.referenceId}-jti`,
        token: 't',
        createdAt: now
      },
      3
    )
  }
  await storage.saveEvent({
    ...base,
    offerId,
    ruleId: 'wool-socks',
    arm: null,
    type: 'applied',
    status: 'processed',
    errors: null,
    amount: '12.00',
    createdAt: now
  })
  return offerId
}
