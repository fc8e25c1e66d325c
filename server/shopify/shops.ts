// Which shops have the app installed: a table plus an in-memory copy so checkouts can ask synchronously.
import { eq } from 'drizzle-orm'
import { shopifyShops } from './schema.js'
import type { Db } from './session-storage.js'

export type ShopState = {
  domain: string
  scopes: string | null
  installedAt: number | null
  uninstalledAt: number | null
  redactedAt: number | null
}

export class ShopRegistry {
  private readonly shops = new Map<string, ShopState>()

  /** `requireInstall`: shops with no row are refused too (by default they are served: see docs/shopify.md). */
  constructor(
    private readonly db: Db,
    private readonly requireInstall = false
  ) {
    this.refresh()
  }

  /**
   * Re-reads the whole table (small: one row per shop), so a change made by another process sharing the file shows up.
   */
  refresh(): void {
    const rows = this.db.select().from(shopifyShops).all()
    this.shops.clear()
    for (const row of rows) this.shops.set(row.domain, row)
  }

  isActive(domain: string): boolean {
    const s = this.shops.get(domain)
    if (!s) return !this.requireInstall
    return s.uninstalledAt === null
  }

  get(domain: string): ShopState | undefined {
    return this.shops.get(domain)
  }

  /** OAuth completed: a first install, a reinstall after uninstalling, or new scopes granted. */
  markInstalled(domain: string, scopes: string | null, now = Date.now()): ShopState {
    const state: ShopState = { domain, scopes, installedAt: now, uninstalledAt: null, redactedAt: null }
    this.write(state, now)
    return state
  }

  markUninstalled(domain: string, now = Date.now()): ShopState {
    const prev = this.shops.get(domain)
    const state: ShopState = {
      domain,
      scopes: prev?.scopes ?? null,
      installedAt: prev?.installedAt ?? null,
      uninstalledAt: prev?.uninstalledAt ?? now,
      redactedAt: prev?.redactedAt ?? null
    }
    this.write(state, now)
    return state
  }

  /**
   * shop/redact: only a tombstone stays (domain and dates), so the shop keeps getting no offers until it reinstalls.
   */
  markRedacted(domain: string, now = Date.now()): ShopState {
    const prev = this.shops.get(domain)
    const state: ShopState = {
      domain,
      scopes: null,
      installedAt: prev?.installedAt ?? null,
      uninstalledAt: prev?.uninstalledAt ?? now,
      redactedAt: now
    }
    this.write(state, now)
    return state
  }

  private write(state: ShopState, now: number): void {
    const row = { ...state, updatedAt: now }
    this.db.insert(shopifyShops).values(row).onConflictDoUpdate({ target: shopifyShops.domain, set: row }).run()
    this.shops.set(state.domain, state)
  }

  /** Re-reads one shop from the table (tests, and after another process changed it). */
  reload(domain: string): void {
    const row = this.db.select().from(shopifyShops).where(eq(shopifyShops.domain, domain)).get()
    if (row) this.shops.set(domain, row)
    else this.shops.delete(domain)
  }
}
