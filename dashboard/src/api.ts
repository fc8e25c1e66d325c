// How the page talks to the service: who it is (embedded: App Bridge session tokens; standalone: the admin token kept
// for this browser session) and the JSON it reads.

declare global {
  interface Window {
    /** App Bridge, loaded by the page only when Shopify's admin embeds it. */
    shopify?: { idToken(): Promise<string> }
  }
}

const TOKEN_KEY = 'encore-admin-token'

export const embedded = document.querySelector('meta[name="encore-mode"]')?.getAttribute('content') === 'embedded'

export class Unauthorized extends Error {}

export function storedToken(): string | null {
  return embedded ? null : sessionStorage.getItem(TOKEN_KEY)
}
export function keepToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token)
}
export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY)
}

async function bearer(): Promise<string> {
  if (embedded) {
    if (!window.shopify) throw new Unauthorized('App Bridge did not load')
    // A fresh token per request: they live one minute.
    return window.shopify.idToken()
  }
  const token = storedToken()
  if (token === null) throw new Unauthorized('no token')
  return token
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${await bearer()}` } })
  if (res.status === 401 || res.status === 503) {
    if (!embedded) forgetToken()
    throw new Unauthorized((await res.json().catch(() => null))?.error?.message ?? `HTTP ${res.status}`)
  }
  const body = await res.json()
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`)
  return body as T
}

export type Interval = { value: number; low: number; high: number }
export type Row = {
  ruleId: string
  arm: string | null
  holdout: boolean
  currency: string | null
  checkouts: number
  offers: number
  views: number
  accepts: number
  declines: number
  applied: number
  confirmed: number
  acceptRate: Interval | null
  revenue: number
  revenueConfirmed: number
  revenuePerCheckout: Interval | null
  lift: (Interval & { vsArm: string; significant: boolean }) | null
  verdict: string | null
  /** The buyer's next 30 days (rules with a holdout only). */
  followOn: FollowOn | null
}
export type FollowOn = {
  checkouts: number
  excludedGuests: number
  excludedRecent: number
  ordersPerCheckout: number | null
  revenuePerCheckout: Interval | null
  lift: (Interval & { vsArm: string; significant: boolean }) | null
}
export type Point = {
  t: string
  ruleId: string
  arm: string | null
  currency: string | null
  checkouts: number
  accepts: number
  revenue: number
}
/** Offers per page they were made on (`surfaces` of /admin/stats). */
export type Surface = {
  surface: 'post_purchase' | 'thank_you'
  currency: string | null
  offers: number
  accepts: number
  revenue: number
}
export type Stats = {
  from: string
  to: string
  shop: string | null
  rows: Row[]
  series: Point[]
  surfaces: Surface[]
}
export type Ruleset = {
  hash: string
  loadedAt: string
  count: number
  rules: { id: string; priority: number; enabled: boolean; experiment: { name: string; arms: string[] } | null }[]
  warnings: { code: string; file?: string; message: string }[]
}
export type Decisions = { referenceId: string; orderId: string | null; decisions: Record<string, unknown>[] }
