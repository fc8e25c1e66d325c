// The one place changeset `changes` are built (their wire shape is contract/wire.ts `Change`).
import type { Change } from '../contract/wire.js'
import type { ResolvedOffer } from './rules/index.js'

export function addVariantChanges(variantId: number, quantity: number, discount: ResolvedOffer['discount']): Change[] {
  const change: Change = { type: 'add_variant', variantId, quantity }
  if (discount) change.discount = { value: discount.value, valueType: discount.type, title: discount.title }
  return [change]
}
