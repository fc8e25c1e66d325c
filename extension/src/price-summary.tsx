// The price preview: what the buyer pays now for this offer, from Shopify's own calculation.
import {
  BlockStack,
  Bookend,
  Separator,
  Spinner,
  Text,
  TextBlock,
  InlineStack
} from '@shopify/post-purchase-ui-extensions-react'
import { formatMoney, sumAmounts, type Money } from './money.js'
import type { Strings } from './messages.js'

type MoneyBag = { presentmentMoney: Money }
export type CalculatedPurchase = {
  totalOutstandingSet: MoneyBag
  addedTaxLines: { priceSet: MoneyBag }[]
  addedShippingLines: { priceSet: MoneyBag }[]
  updatedLineItems: { priceSet: MoneyBag; totalPriceSet: MoneyBag; variantId: number; quantity: number }[]
}

export type PriceLines = {
  original: Money
  discount: Money | null
  subtotal: Money
  shipping: Money
  taxes: Money
  total: Money
}

/** Reads the lines the buyer needs from a calculated purchase; null when the added line is missing. */
export function priceLines(purchase: CalculatedPurchase, variantId: number, quantity: number): PriceLines | null {
  const line = [...purchase.updatedLineItems].reverse().find((l) => l.variantId === variantId)
  if (!line) return null
  const currencyCode = line.totalPriceSet.presentmentMoney.currencyCode
  const original = (Math.round(Number(line.priceSet.presentmentMoney.amount) * 100) * quantity) / 100
  const subtotal = Number(line.totalPriceSet.presentmentMoney.amount)
  const discount = Math.round((original - subtotal) * 100) / 100
  const money = (amount: string): Money => ({ amount, currencyCode })
  return {
    original: money(original.toFixed(2)),
    discount: discount > 0 ? money(discount.toFixed(2)) : null,
    subtotal: money(subtotal.toFixed(2)),
    shipping: money(sumAmounts(purchase.addedShippingLines.map((s) => s.priceSet.presentmentMoney.amount))),
    taxes: money(sumAmounts(purchase.addedTaxLines.map((t) => t.priceSet.presentmentMoney.amount))),
    total: purchase.totalOutstandingSet.presentmentMoney
  }
}

function Line({
  label,
  value,
  emphasized,
  appearance
}: {
  label: string
  value: string
  emphasized?: boolean
  appearance?: 'success'
}) {
  return (
    <Bookend trailing alignment="baseline">
      <Text emphasized={emphasized} size={emphasized ? 'large' : 'medium'}>
        {label}
      </Text>
      <Text emphasized={emphasized} size={emphasized ? 'large' : 'medium'} appearance={appearance}>
        {value}
      </Text>
    </Bookend>
  )
}

export function PriceSummary({
  lines,
  locale,
  strings,
  discountTitle
}: {
  lines: PriceLines | null
  locale: string
  strings: Strings
  discountTitle: string | null
}) {
  if (lines === null) {
    return (
      <InlineStack spacing="tight" alignment="center">
        <Spinner size="small" />
        <TextBlock subdued>{strings.calculating}</TextBlock>
      </InlineStack>
    )
  }
  const fmt = (m: Money) => formatMoney(m, locale)
  return (
    <BlockStack spacing="tight">
      <Separator />
      <Line label={strings.originalPrice} value={fmt(lines.original)} />
      {lines.discount ? (
        <Line label={discountTitle ?? strings.discount} value={`−${fmt(lines.discount)}`} appearance="success" />
      ) : null}
      <Line label={strings.subtotal} value={fmt(lines.subtotal)} />
      <Line label={strings.shipping} value={Number(lines.shipping.amount) === 0 ? strings.free : fmt(lines.shipping)} />
      <Line label={strings.taxes} value={fmt(lines.taxes)} />
      <Separator />
      <Line label={strings.totalNow} value={fmt(lines.total)} emphasized />
    </BlockStack>
  )
}
