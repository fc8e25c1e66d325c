// Money display: amounts arrive as decimal strings; the buyer sees them in their locale and currency.

export type Money = { amount: string; currencyCode: string }

export function formatMoney(money: Money | undefined | null, locale: string): string {
  if (!money) return ''
  const value = Number(money.amount)
  if (!Number.isFinite(value)) return `${money.amount} ${money.currencyCode}`
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currencyCode }).format(value)
  } catch {
    return `${value.toFixed(2)} ${money.currencyCode}`
  }
}

/** Sums decimal-string amounts in cents so 0.1 + 0.2 stays 0.30. */
export function sumAmounts(amounts: string[]): string {
  const cents = amounts.reduce((total, a) => total + Math.round(Number(a) * 100), 0)
  return (cents / 100).toFixed(2)
}

export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  return `${minutes}:${seconds < 10 ? '0' : ''}${seconds}`
}
