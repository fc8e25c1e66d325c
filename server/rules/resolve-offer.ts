// Turns a rule's offer (with an arm's offer merged over it) into what the checkout shows, translated.
import type {
  ArmSpec,
  ContentSpec,
  OfferSpec,
  ResolvedOffer,
  RuleSpec,
  TranslationSpec,
  VariantLabels
} from './types.js'

export const DEFAULT_ACCEPT_LABEL = 'Add to my order'
export const DEFAULT_DECLINE_LABEL = 'No thanks'

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Objects merge deeply, arrays and scalars are replaced (the spec's arm merge). */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue
    out[k] = Object.prototype.hasOwnProperty.call(out, k) ? deepMerge(out[k], v) : v
  }
  return out as T
}

/** The offer an arm shows: the base offer with the arm's offer merged over it. */
export function mergedOffer(rule: RuleSpec, arm: ArmSpec | null): OfferSpec {
  return arm?.offer ? deepMerge(rule.offer, arm.offer) : rule.offer
}

/** Exact locale first, then the same locale in another case, then its language ("fr-CA" -> "fr"). */
export function pickTranslation(
  translations: Record<string, TranslationSpec> | undefined,
  locale: string
): TranslationSpec | null {
  if (!translations) return null
  if (translations[locale]) return translations[locale]
  const lower = locale.toLowerCase()
  for (const [k, v] of Object.entries(translations)) if (k.toLowerCase() === lower) return v
  const language = lower.split(/[-_]/)[0] as string
  for (const [k, v] of Object.entries(translations)) if (k.toLowerCase() === language) return v
  return null
}

export function normaliseQuantity(q: OfferSpec['quantity']): { default: number; min: number; max: number } {
  if (q === undefined) return { default: 1, min: 1, max: 1 }
  if (typeof q === 'number') return { default: q, min: q, max: q }
  return { default: q.default, min: q.min, max: q.max }
}

/** Labels of the variants the picker offers, in its order: a label for any other variant would never be shown. */
function pickerLabels(variants: number[], labels: VariantLabels): VariantLabels | null {
  const out: VariantLabels = {}
  for (const id of variants) {
    const label = labels[String(id)]
    if (label !== undefined) out[String(id)] = label
  }
  return Object.keys(out).length > 0 ? out : null
}

export function resolveOffer(rule: RuleSpec, arm: ArmSpec | null, locale: string): ResolvedOffer {
  const offer = mergedOffer(rule, arm)
  const { variantLabels: translatedLabels, ...translatedContent } = pickTranslation(offer.translations, locale) ?? {}
  const content: ContentSpec = { ...(offer.content ?? {}), ...translatedContent }
  const variants = offer.variants && offer.variants.length > 0 ? [...offer.variants] : [offer.variantId]
  const d = offer.discount
  return {
    ruleId: rule.id,
    arm: arm ? arm.id : null,
    productId: offer.productId ?? null,
    variantId: offer.variantId,
    variants,
    variantLabels: pickerLabels(variants, { ...offer.variantLabels, ...translatedLabels }),
    quantity: normaliseQuantity(offer.quantity),
    discount: d ? { type: d.type, value: d.value, title: d.title } : null,
    content: {
      headline: content.headline ?? null,
      body: content.body ?? null,
      image: content.image ?? null,
      imageAlt: content.imageAlt ?? null,
      acceptLabel: content.acceptLabel ?? DEFAULT_ACCEPT_LABEL,
      declineLabel: content.declineLabel ?? DEFAULT_DECLINE_LABEL
    },
    expiresInSeconds: offer.expiresInSeconds ?? null,
    next: { onAccept: rule.next.onAccept, onDecline: rule.next.onDecline }
  }
}
