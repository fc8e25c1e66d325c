// Number formats and the CSV export of the table.
import type { StatsRow } from '../../contract/admin.js'

export const count = (n: number) => n.toLocaleString('en-US')
export const money = (n: number, currency: string | null) =>
  `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`
export const percent = (x: number) => `${(x * 100).toFixed(1)} %`
export const armName = (r: StatsRow) => r.arm ?? '(no experiment)'

const CSV_COLUMNS: [string, (r: StatsRow) => string | number | null][] = [
  ['rule', (r) => r.ruleId],
  ['arm', (r) => r.arm],
  ['holdout', (r) => String(r.holdout)],
  ['currency', (r) => r.currency],
  ['checkouts', (r) => r.checkouts],
  ['offers', (r) => r.offers],
  ['views', (r) => r.views],
  ['accepts', (r) => r.accepts],
  ['declines', (r) => r.declines],
  ['applied', (r) => r.applied],
  ['confirmed', (r) => r.confirmed],
  ['accept_rate', (r) => r.acceptRate?.value ?? null],
  ['accept_rate_low', (r) => r.acceptRate?.low ?? null],
  ['accept_rate_high', (r) => r.acceptRate?.high ?? null],
  ['revenue', (r) => r.revenue],
  ['revenue_confirmed', (r) => r.revenueConfirmed],
  ['revenue_per_checkout', (r) => r.revenuePerCheckout?.value ?? null],
  ['revenue_per_checkout_low', (r) => r.revenuePerCheckout?.low ?? null],
  ['revenue_per_checkout_high', (r) => r.revenuePerCheckout?.high ?? null],
  ['lift_vs', (r) => r.lift?.vsArm ?? null],
  ['lift', (r) => r.lift?.value ?? null],
  ['lift_low', (r) => r.lift?.low ?? null],
  ['lift_high', (r) => r.lift?.high ?? null],
  ['lift_significant', (r) => (r.lift ? String(r.lift.significant) : null)],
  ['verdict', (r) => r.verdict],
  ['follow_on_checkouts', (r) => r.followOn?.checkouts ?? null],
  ['follow_on_excluded_guests', (r) => r.followOn?.excludedGuests ?? null],
  ['follow_on_excluded_recent', (r) => r.followOn?.excludedRecent ?? null],
  ['follow_on_orders_per_checkout', (r) => r.followOn?.ordersPerCheckout ?? null],
  ['follow_on_revenue_per_checkout', (r) => r.followOn?.revenuePerCheckout?.value ?? null],
  ['follow_on_lift', (r) => r.followOn?.lift?.value ?? null],
  ['follow_on_lift_low', (r) => r.followOn?.lift?.low ?? null],
  ['follow_on_lift_high', (r) => r.followOn?.lift?.high ?? null]
]

function cell(v: string | number | null): string {
  if (v === null) return ''
  const s = String(v)
  // Quote what CSV needs quoted, and neutralise spreadsheet formulas in text cells.
  const safe = typeof v === 'string' && /^[=+\-@]/.test(s) ? `'${s}` : s
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function toCsv(rows: StatsRow[]): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')]
  for (const r of rows) lines.push(CSV_COLUMNS.map(([, get]) => cell(get(r))).join(','))
  return lines.join('\n') + '\n'
}
