// Decimal-string money: multiplied without floating point, formatted in the buyer's locale.
import { platform } from './platform.js'
import type { Money } from './offer.js'

/** "6.48" x 3 -> "19.44", keeping the amount's decimals (integers of minor units, no 0.1 + 0.2). */
export function times(amount: string, quantity: number): string {
  const [whole = '0', fraction = ''] = amount.split('.')
  const minor = BigInt(whole + fraction) * BigInt(quantity)
  if (fraction.length === 0) return minor.toString()
  const digits = minor.toString().padStart(fraction.length + 1, '0')
  return `${digits.slice(0, -fraction.length)}.${digits.slice(-fraction.length)}`
}

/** Shopify's i18n formats in the buyer's locale; Intl is the fallback (the harness, an API without i18n). */
export function formatMoney(money: Money): string {
  const value = Number(money.amount)
  const options = { style: 'currency', currency: money.currencyCode } as const
  try {
    const i18n = platform()?.i18n as { formatCurrency?: (n: number, o: Intl.NumberFormatOptions) => string } | undefined
    if (i18n?.formatCurrency) return i18n.formatCurrency(value, options)
  } catch {
    // fall through to Intl
  }
  try {
    return new Intl.NumberFormat('en-US', options).format(value)
  } catch {
    return `${money.amount} ${money.currencyCode}`
  }
}
