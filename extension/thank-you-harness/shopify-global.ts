// The `shopify` global of purchase.thank-you.block.render as our hosts give it to the bundle (the happy-dom host in
// tests, the browser host in the preview): no Node API here, so both can use it.

export const TARGET = 'purchase.thank-you.block.render'
export const API_VERSION = '2026-07'

export type Locales = Record<string, Record<string, unknown>>
export type OrderConfirmation = { id: string; number?: string }

export type ShopifyGlobalOptions = {
  /** What the Order Confirmation API gives: the order's GID and its confirmation number (optional in the API). */
  order: OrderConfirmation
  /** shopify.sessionToken.get(): each call may mint a fresh token, like Shopify's cache renewing an expired one. */
  sessionToken: () => string | Promise<string>
  locale: string
  /** Translations by locale file name ("en.default", "fr"), as the CLI uploads locales/*.json. */
  locales: Locales
}

export type ShopifyGlobal = {
  /** The object to install as `shopify` before the bundle runs. */
  shopify: Record<string, unknown>
  /** What the bundle registered for each target. */
  targets: Map<string, (...args: unknown[]) => unknown>
  registered: string[]
  /** The tokens handed to the extension, in order. */
  tokens: string[]
  /** Keys the extension asked shopify.i18n.translate for that no locale file has. */
  missingTranslations: string[]
}

/**
 * shopify.i18n.translate as documented: the buyer's locale (fr-CA), then its language (fr), then the default file;
 * `{{name}}` replaced; `count` picks a plural form. Falling back key by key to the default is our assumption.
 */
export function translator(locales: Locales, locale: string, missing: string[]) {
  const defaultName = Object.keys(locales).find((name) => name.endsWith('.default'))
  const order = [locale, locale.split('-')[0]!, defaultName].filter((n): n is string => !!n && n in locales)
  return (key: string, vars: Record<string, unknown> = {}) => {
    let value: unknown
    for (const name of order) if ((value = locales[name]![key]) !== undefined) break
    if (value !== null && typeof value === 'object' && typeof vars.count === 'number')
      value = (value as Record<string, unknown>)[new Intl.PluralRules(locale).select(vars.count)]
    if (typeof value !== 'string') {
      missing.push(key)
      return key
    }
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all))
  }
}

/** A read-only signal as the API exposes it (`value`, the deprecated `current`, `subscribe`). */
function signalLike<T>(value: T) {
  return { value, current: value, subscribe: () => () => undefined, destroy: async () => undefined }
}

export function createShopifyGlobal(opts: ShopifyGlobalOptions): ShopifyGlobal {
  const { locale } = opts
  const targets = new Map<string, (...args: unknown[]) => unknown>()
  const registered: string[] = []
  const tokens: string[] = []
  const missingTranslations: string[] = []
  const confirmation = { order: { id: opts.order.id }, number: opts.order.number, isFirstOrder: false }
  const shopify = {
    extend(target: string, callback: (...args: unknown[]) => unknown) {
      registered.push(target)
      targets.set(target, callback)
    },
    reload() {},
    // @shopify/ui-extensions/preact hands the host its Signal class; the host keeps it, nothing more is needed here.
    setSignals() {},
    extension: { target: TARGET, apiVersion: API_VERSION, capabilities: signalLike(['network_access']) },
    orderConfirmation: signalLike(confirmation),
    sessionToken: {
      async get() {
        const token = await opts.sessionToken()
        tokens.push(token)
        return token
      }
    },
    localization: { language: signalLike({ isoCode: locale }) },
    i18n: {
      formatCurrency: (n: number | bigint, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, o).format(n),
      formatNumber: (n: number | bigint, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, o).format(n),
      translate: translator(opts.locales, locale, missingTranslations)
    }
  }
  return { shopify, targets, registered, tokens, missingTranslations }
}

/** Runs what the bundle registered for the Thank-you target, or says plainly that it registered something else. */
export async function renderTarget(global: ShopifyGlobal): Promise<void> {
  const render = global.targets.get(TARGET)
  if (!render)
    throw new Error(`the bundle did not register ${TARGET} (registered: ${global.registered.join(', ') || 'none'})`)
  await render()
}
