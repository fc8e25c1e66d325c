// The quantity stepper and the variant picker, shown only when the offer allows a choice.
import { BlockStack, Button, InlineStack, Select, Text } from '@shopify/post-purchase-ui-extensions-react'
import type { Offer } from './offer.js'
import type { Strings } from './messages.js'

type Props = {
  offer: Offer
  strings: Strings
  quantity: number
  variantId: number
  disabled: boolean
  onQuantity(q: number): void
  onVariant(v: number): void
}

export function OfferControls({ offer, strings, quantity, variantId, disabled, onQuantity, onVariant }: Props) {
  const { min, max } = offer.quantity
  const showStepper = max > min
  const showPicker = offer.variants.length > 1
  if (!showStepper && !showPicker) return null
  return (
    <BlockStack spacing="tight">
      {showPicker ? (
        <Select
          label={strings.option}
          value={String(variantId)}
          disabled={disabled}
          options={offer.variants.map((id, i) => ({
            value: String(id),
            label: offer.variantLabels?.[String(id)] ?? strings.optionN(i + 1)
          }))}
          onChange={(value) => {
            const id = Number(value)
            if (offer.variants.includes(id)) onVariant(id)
          }}
        />
      ) : null}
      {showStepper ? (
        <InlineStack spacing="loose" alignment="center">
          <Text>{strings.quantity}</Text>
          <Button
            subdued
            disabled={disabled || quantity <= min}
            onPress={() => onQuantity(Math.max(min, quantity - 1))}
          >
            −
          </Button>
          <Text emphasized>{String(quantity)}</Text>
          <Button
            subdued
            disabled={disabled || quantity >= max}
            onPress={() => onQuantity(Math.min(max, quantity + 1))}
          >
            +
          </Button>
        </InlineStack>
      ) : null}
    </BlockStack>
  )
}
