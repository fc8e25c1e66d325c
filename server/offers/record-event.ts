// POST /api/events' logic: an event for one of the checkout's offers, stored for reporting; the first answer also
// marks the decision.
import type { Storage } from '../db/storage.js'
import type { Checkout } from '../plugins/checkout-auth.js'
import { OfferNotFound } from '../errors.js'
import type { EventBody } from '../../contract/wire.js'

export function createEventRecorder(deps: { storage: Storage }) {
  const { storage } = deps
  return async function recordEvent(checkout: Checkout, body: EventBody): Promise<void> {
    const row = await storage.decision(body.offerId, checkout.referenceId)
    if (!row || row.offer === null) throw new OfferNotFound(body.offerId)
    const writes = [
      storage.saveEvent({
        offerId: row.id,
        referenceId: checkout.referenceId,
        shopDomain: checkout.shopDomain,
        customerId: checkout.customerId,
        ruleId: row.ruleId,
        arm: row.arm,
        type: body.type,
        status: body.status ?? null,
        errors: body.errors ? JSON.stringify(body.errors.map((e) => ({ code: e.code, message: e.message }))) : null,
        amount: body.amount ?? null,
        createdAt: Date.now()
      })
    ]
    if ((body.type === 'accepted' || body.type === 'declined') && row.answer === null)
      writes.push(storage.setAnswer(row.id, body.type))
    await Promise.all(writes)
  }
}
