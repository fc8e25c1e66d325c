// Renders a decision and its explanation as text: rule by rule, condition by condition, with the
// fact values seen. Shared by `rules:simulate` and `rules:test`.
import pc from 'picocolors'
import type { ConditionExplanation, Decision, Facts, RuleExplanation } from '../types.js'

type Colors = ReturnType<typeof pc.createColors>

const show = (v: unknown): string => {
  if (v === undefined) return 'undefined'
  const s = JSON.stringify(v)
  return s.length > 120 ? `${s.slice(0, 117)}...` : s
}

function renderCondition(c: ConditionExplanation, indent: string, col: Colors, out: string[]): void {
  const mark = c.result ? col.green('✓') : col.red('✗')
  if ('all' in c || 'any' in c) {
    const kind = 'all' in c ? 'all' : 'any'
    const kids = 'all' in c ? c.all : c.any
    out.push(`${indent}${mark} ${kind} of:`)
    for (const k of kids) renderCondition(k, `${indent}    `, col, out)
  } else if ('not' in c) {
    out.push(`${indent}${mark} not:`)
    renderCondition(c.not, `${indent}    `, col, out)
  } else if ('condition' in c) {
    out.push(`${indent}${mark} condition "${c.condition}":`)
    if (c.conditions) renderCondition(c.conditions, `${indent}    `, col, out)
  } else {
    const target = c.path ? `${c.fact} ${c.path}` : c.fact
    const against = c.valueResult !== undefined ? `${show(c.value)} = ${show(c.valueResult)}` : show(c.value)
    out.push(`${indent}${mark} ${target} ${col.bold(c.operator)} ${against}  ${col.dim(`(saw ${show(c.factValue)})`)}`)
  }
}

const STATUS_MARK: Record<RuleExplanation['status'], string> = {
  won: '★',
  matched: '✓',
  not_matched: '✗',
  disabled: '·',
  outside_schedule: '·',
  not_requested: '·',
  already_in_history: '·',
  offer_limit_reached: '·'
}

export function renderRules(
  rules: RuleExplanation[],
  col: Colors,
  opts: { conditionsFor?: (r: RuleExplanation) => boolean } = {}
): string[] {
  const out: string[] = []
  const showConditions = opts.conditionsFor ?? (() => true)
  for (const r of rules) {
    const paint =
      r.status === 'won'
        ? col.green
        : r.status === 'matched'
          ? col.cyan
          : r.status === 'not_matched'
            ? col.red
            : col.dim
    out.push(
      `  ${paint(`${STATUS_MARK[r.status]} ${r.status.padEnd(19)}`)} ${col.bold(r.ruleId)} (priority ${r.priority}): ${r.reason}`
    )
    if (showConditions(r)) renderCondition(r.conditions, '      ', col, out)
  }
  return out
}

export function renderFacts(f: Facts): string[] {
  const c = f.cart
  const h = f.history
  const hist = [
    ['shown', h.shown],
    ['accepted', h.accepted],
    ['declined', h.declined]
  ]
    .filter(([, xs]) => (xs as string[]).length > 0)
    .map(([k, xs]) => `${k as string} ${(xs as string[]).join(', ')}`)
  return [
    `  cart: ${c.lineCount} line(s), ${c.quantity} unit(s), products ${show(c.productIds)}, subtotal ${c.subtotal} ${c.currency}, total ${c.total}${c.hasSubscription ? ', has a subscription' : ''}`,
    `  shippingCountry: ${show(f.shippingCountry)}   locale: ${f.locale}   shop: ${f.shop.domain} (${f.shop.id})   customer: ${show(f.customer.id)}`,
    `  payment: ${f.payment.eligible ? 'eligible' : `not eligible (${f.payment.reasons.join(', ')})`}, ${f.payment.shopCurrency}${f.payment.presentmentCurrency !== f.payment.shopCurrency ? ` paid in ${f.payment.presentmentCurrency}` : ''}`,
    `  history: ${hist.length ? hist.join('; ') : 'none'}   surface: ${f.surface}   now: ${f.now}`
  ]
}

/** `808950810 "Grey"` when the rule names the variant, the bare id otherwise. */
function pickerEntry(variantId: number, labels: Readonly<Record<string, string>> | null): string {
  const label = labels?.[String(variantId)]
  return label === undefined ? String(variantId) : `${variantId} "${label}"`
}

export function renderDecision(d: Decision, col: Colors): string[] {
  if (d.ruleId === null) return [`${col.bold('Offer:')} none`]
  if (d.holdout)
    return [`${col.bold('Offer:')} none: ${col.bold(d.ruleId)} won, but this checkout is in holdout arm "${d.arm}"`]
  const o = d.offer
  if (!o) return [`${col.bold('Offer:')} ${d.ruleId}`]
  const disc = o.discount
    ? `${o.discount.type === 'percentage' ? `${o.discount.value}%` : `${o.discount.value} off`} "${o.discount.title}"`
    : 'no discount'
  const next = [o.next.onAccept && `accept → ${o.next.onAccept}`, o.next.onDecline && `decline → ${o.next.onDecline}`]
    .filter(Boolean)
    .join(', ')
  return [
    `${col.bold('Offer:')} ${col.green(col.bold(o.ruleId))}${o.arm ? `, arm ${col.bold(o.arm)}` : ''}`,
    `  variant ${o.variantId}${o.variants.length > 1 ? ` (picker: ${o.variants.map((v) => pickerEntry(v, o.variantLabels)).join(', ')})` : ''}, quantity ${o.quantity.default} (${o.quantity.min}..${o.quantity.max}), ${disc}`,
    `  "${o.content.headline ?? ''}": ${o.content.body ?? ''}`,
    `  buttons: [${o.content.acceptLabel}] [${o.content.declineLabel}]${o.expiresInSeconds ? `, expires in ${o.expiresInSeconds} s` : ''}${next ? `; next: ${next}` : ''}`
  ]
}
