// Which shops have the app installed: the shared shopify_shops table plus an in-memory copy, so a checkout asks without
// a database read; the copy is refreshed from the table, so another instance's installs and uninstalls show up.
import type { ShopifyStore, ShopState } from './store.js'

export type { ShopState }

/** A first install, a reinstall after uninstalling, or new scopes granted through OAuth. */
export function installedShop(domain: string, scopes: string | null, now: number): ShopState {
  return { domain, scopes, installedAt: now, uninstalledAt: null, redactedAt: null }
}

/** app/uninstalled: uninstalling twice keeps the first date. */
export function uninstalledShop(prev: ShopState | undefined, domain: string, now: number): ShopState {
  return {
    domain,
    scopes: prev?.scopes ?? null,
    installedAt: prev?.installedAt ?? null,
    uninstalledAt: prev?.uninstalledAt ?? now,
    redactedAt: prev?.redactedAt ?? null
  }
}

/** shop/redact: only a tombstone stays (domain and dates), so the shop keeps getting no offers until it reinstalls. */
export function redactedShop(prev: ShopState | undefined, domain: string, now: number): ShopState {
  return {
    domain,
    scopes: null,
    installedAt: prev?.installedAt ?? null,
    uninstalledAt: prev?.uninstalledAt ?? now,
    redactedAt: now
  }
}

/** app/scopes_update: an installed shop's scopes change; an uninstalled or unknown shop stays as it is (undefined). */
export function rescopedShop(prev: ShopState | undefined, scopes: string, now: number): ShopState | undefined {
  return prev && prev.uninstalledAt === null
    ? { ...installedShop(prev.domain, scopes, now), installedAt: prev.installedAt ?? now }
    : undefined
}

export class ShopRegistry {
  private shops = new Map<string, ShopState>()
  /** Rows this instance wrote while a refresh was reading: they win over the (older) rows it read. */
  private writtenDuringRefresh: Map<string, ShopState> | null = null

  /** `requireInstall`: shops with no row are refused too (by default they are served: see docs/shopify.md). */
  constructor(
    private readonly store: ShopifyStore,
    private readonly requireInstall = false
  ) {}

  /**
   * Re-reads the whole table (small: one row per shop). The plugin calls it every SHOPS_REFRESH_MS, so a change made by
   * another instance is seen here within that interval.
   */
  async refresh(): Promise<void> {
    const written = new Map<string, ShopState>()
    this.writtenDuringRefresh = written
    try {
      const rows = await this.store.shops()
      const shops = new Map(rows.map((row) => [row.domain, row]))
      for (const [domain, state] of written) shops.set(domain, state)
      this.shops = shops
    } finally {
      if (this.writtenDuringRefresh === written) this.writtenDuringRefresh = null
    }
  }

  isActive(domain: string): boolean {
    const s = this.shops.get(domain)
    if (!s) return !this.requireInstall
    return s.uninstalledAt === null
  }

  /** From memory (the hot path): up to one refresh interval behind another instance's changes. */
  get(domain: string): ShopState | undefined {
    return this.shops.get(domain)
  }

  /** From the table, now (the app URL, where a merchant may have just installed through another instance). */
  async fresh(domain: string): Promise<ShopState | undefined> {
    const row = await this.store.shop(domain)
    if (row) this.remember(row)
    else this.shops.delete(domain)
    return row
  }

  async markInstalled(domain: string, scopes: string | null, now = Date.now()): Promise<ShopState> {
    const state = await this.store.markInstalled(domain, scopes, now)
    this.remember(state)
    return state
  }

  /** A row committed by this instance (OAuth, a webhook's effect). */
  remember(state: ShopState): void {
    this.shops.set(state.domain, state)
    this.writtenDuringRefresh?.set(state.domain, state)
  }
}
