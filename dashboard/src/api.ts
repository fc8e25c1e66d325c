// How the page talks to the service: who it is (embedded: App Bridge session tokens; standalone: the admin token kept
// for this browser session) and how it reads the JSON, whose shapes are contract/admin.ts's (imported as types only).

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
