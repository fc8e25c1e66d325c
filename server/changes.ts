// The one place changeset `changes` are built: the SDK's spelling, `variantId`, and Shopify's discount shape.
import type { ResolvedOffer } from './rules/index.js'

export type Change = {
  type: 'add_variant'
  variantId: number
  quantity: number
  discount?: { value: number; valueType: 'percentage' | 'fixed_amount'; title: string }
}

export function addVariantChanges(variantId: number, quantity: number, discount: ResolvedOffer['discount']): Change[] {
  const change: Change = { type: 'add_variant', variantId, quantity }
  if (discount) change.discount = { value: discount.value, valueType: discount.type, title: discount.title }
  return [change]
}

export const changeSchema = {
  type: 'object',
  required: ['type', 'variantId', 'quantity'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['add_variant'] },
    variantId: { type: 'integer' },
    quantity: { type: 'integer' },
    discount: {
      type: 'object',
      required: ['value', 'valueType', 'title'],
      additionalProperties: false,
      properties: {
        value: { type: 'number' },
        valueType: { type: 'string', enum: ['percentage', 'fixed_amount'] },
        title: { type: 'string' }
      }
    }
  }
} as const
