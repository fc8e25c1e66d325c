// Public types of the rules module: the contract shared by the server, the CLI and the tests.

export type History = { shown: string[]; accepted: string[]; declined: string[] }

export type Diagnostic = {
  severity: 'error' | 'warning'
  code: string
  file: string
  pointer: string
  line: number
  column: number
  message: string
}

/** A condition tree exactly as written in a rule file (json-rules-engine's format). */
export type ConditionNode =
  | { all: ConditionNode[]; priority?: number; name?: string }
  | { any: ConditionNode[]; priority?: number; name?: string }
  | { not: ConditionNode; priority?: number; name?: string }
  | { condition: string; priority?: number; name?: string }
  | LeafCondition

export type LeafCondition = {
  fact: string
  path?: string
  operator: string
  value: unknown
  params?: Record<string, unknown>
  priority?: number
  name?: string
}

export type Discount = { type: 'percentage' | 'fixed_amount'; value: number; title: string }

export type ContentSpec = {
  headline?: string
  body?: string
  image?: string
  imageAlt?: string
  acceptLabel?: string
  declineLabel?: string
}

/** What the variant picker shows for each variant, keyed by the variant id as a decimal string. */
export type VariantLabels = Record<string, string>

/** One locale's overrides: content fields, and variant labels key by key. */
export type TranslationSpec = ContentSpec & { variantLabels?: VariantLabels }

export type OfferSpec = {
  productId?: number
  variantId: number
  variants?: number[]
  variantLabels?: VariantLabels
  quantity?: number | { default: number; min: number; max: number }
  discount?: Discount | null
  content?: ContentSpec
  translations?: Record<string, TranslationSpec>
  expiresInSeconds?: number | null
}

export type ArmSpec = { id: string; weight: number; holdout?: boolean; offer?: Partial<OfferSpec> }

export type ExperimentSpec = { name: string; arms: ArmSpec[] }

/** One rule (offers/<id>.json) with its defaults applied. */
export interface RuleSpec {
  readonly id: string
  readonly file: string
  readonly description: string | null
  readonly enabled: boolean
  readonly priority: number
  readonly schedule: { readonly from: string | null; readonly until: string | null } | null
  readonly conditions: ConditionNode
  readonly offer: OfferSpec
  readonly experiment: ExperimentSpec | null
  readonly next: { readonly onAccept: string | null; readonly onDecline: string | null }
}

export type NamedCondition = { name: string; conditions: ConditionNode }

export type RuleTest = {
  name: string
  checkout: string | Record<string, unknown>
  at?: string
  /** The page the offer is for (default post_purchase). */
  surface?: Surface
  history?: Partial<History>
  catalog?: CatalogFacts
  expect: { offer: string | null; arm?: string | null; holdout?: boolean }
}

export interface Ruleset {
  readonly hash: string
  readonly loadedAt: string
  readonly count: number
  readonly rules: readonly RuleSpec[]
  getRule(id: string): RuleSpec | undefined
  readonly files: Readonly<Record<string, string>>
  readonly fixtures: Readonly<Record<string, unknown>>
  readonly conditions: Readonly<Record<string, NamedCondition>>
  readonly tests: Readonly<Record<string, readonly RuleTest[]>>
  readonly needs: { readonly productCatalog: boolean; readonly customerCatalog: boolean }
}

export type LoadResult =
  { ok: true; ruleset: Ruleset; warnings: Diagnostic[] } | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] }

export type CatalogFacts = {
  products?: Record<
    string,
    { tags: string[]; vendor: string | null; productType: string | null; collections: string[] }
  >
  customer?: { tags: string[]; numberOfOrders: number }
}

export type LineItemFact = {
  productId: number
  variantId: number
  productTitle: string
  variantTitle: string | null
  quantity: number
  total: number
  sellingPlanId: number | null
  tags: string[]
  vendor: string | null
  productType: string | null
  collections: string[]
}

export type CartFact = {
  lineItems: LineItemFact[]
  productIds: number[]
  variantIds: number[]
  quantity: number
  lineCount: number
  subtotal: number
  total: number
  currency: string
  hasSubscription: boolean
  productTags: string[]
  vendors: string[]
  productTypes: string[]
  collections: string[]
}

export type PaymentReason = 'no_shipping_address' | 'multi_currency' | 'below_minimum' | 'offer_limit_reached'

/** The page an offer is for: Shopify's post-purchase page, or the Thank-you page (an order edit or a checkout). */
export type Surface = 'post_purchase' | 'thank_you'

export type Facts = {
  cart: CartFact
  shippingCountry: string | null
  shop: { id: number; domain: string }
  locale: string
  customer: { id: number | string | null; tags: string[]; numberOfOrders: number | null }
  payment: { eligible: boolean; reasons: PaymentReason[]; shopCurrency: string; presentmentCurrency: string }
  history: History
  surface: Surface
  now: string
}

export type ResolvedOffer = {
  ruleId: string
  arm: string | null
  productId: number | null
  variantId: number
  variants: number[]
  /** Labels of the allow-listed variants only, translated; null when the rule names none of them. */
  variantLabels: VariantLabels | null
  quantity: { default: number; min: number; max: number }
  discount: Discount | null
  content: {
    headline: string | null
    body: string | null
    image: string | null
    imageAlt: string | null
    acceptLabel: string
    declineLabel: string
  }
  expiresInSeconds: number | null
  next: { onAccept: string | null; onDecline: string | null }
}

export type ConditionExplanation =
  | { all: ConditionExplanation[]; result: boolean }
  | { any: ConditionExplanation[]; result: boolean }
  | { not: ConditionExplanation; result: boolean }
  | { condition: string; result: boolean; conditions: ConditionExplanation | null }
  | {
      fact: string
      path: string | null
      operator: string
      value: unknown
      factValue: unknown
      valueResult?: unknown
      result: boolean
    }

export type RuleStatus =
  | 'disabled'
  | 'outside_schedule'
  | 'not_requested'
  | 'already_in_history'
  | 'offer_limit_reached'
  | 'not_matched'
  | 'matched'
  | 'won'

export type RuleExplanation = {
  ruleId: string
  priority: number
  status: RuleStatus
  /** Why the status, in words a merchandiser reads. */
  reason: string
  conditions: ConditionExplanation
}

export type Explanation = {
  ruleId: string | null
  arm: string | null
  holdout: boolean
  referenceId: string
  now: string
  rules: RuleExplanation[]
}

export type Decision = {
  ruleId: string | null
  arm: string | null
  holdout: boolean
  offer: ResolvedOffer | null
  explanation?: Explanation
}

export type DecideOptions = { referenceId: string; only?: string[]; explain?: boolean }
