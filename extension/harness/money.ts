// Money in cents: Shopify sends decimal strings, and sums must not drift.

export type Money = { amount: string; currencyCode: string }
export type MoneyBag = { shopMoney: Money; presentmentMoney: Money }

export const toCents = (amount: string | number): number => Math.round(Number(amount) * 100)
export const fromCents = (cents: number): string => (cents / 100).toFixed(2)

/** A bag from an amount in the shop's currency, converted at the checkout's own rate. */
export function bag(shopCents: number, shopCurrency: string, presentmentCurrency: string, rate: number): MoneyBag {
  return {
    shopMoney: { amount: fromCents(shopCents), currencyCode: shopCurrency },
    presentmentMoney: { amount: fromCents(Math.round(shopCents * rate)), currencyCode: presentmentCurrency }
  }
}
