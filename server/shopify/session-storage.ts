// Session storage for @shopify/shopify-api sessions, backed by our SQLite through drizzle (same interface as Shopify's
// adapters).
import { Session } from '@shopify/shopify-api'
import { eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../db/open-database.js'
import { shopifySessions } from './schema.js'

export type { Db }

type Row = typeof shopifySessions.$inferSelect

function toRow(session: Session, now: number): Row {
  return {
    id: session.id,
    shop: session.shop,
    state: session.state,
    isOnline: session.isOnline,
    scope: session.scope ?? null,
    expires: session.expires ? session.expires.getTime() : null,
    accessToken: session.accessToken ?? null,
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpires: session.refreshTokenExpires ? session.refreshTokenExpires.getTime() : null,
    onlineAccessInfo: session.onlineAccessInfo ? JSON.stringify(session.onlineAccessInfo) : null,
    updatedAt: now
  }
}

function fromRow(row: Row): Session {
  return new Session({
    id: row.id,
    shop: row.shop,
    state: row.state,
    isOnline: row.isOnline,
    ...(row.scope !== null ? { scope: row.scope } : {}),
    ...(row.expires !== null ? { expires: new Date(row.expires) } : {}),
    ...(row.accessToken !== null ? { accessToken: row.accessToken } : {}),
    ...(row.refreshToken !== null ? { refreshToken: row.refreshToken } : {}),
    ...(row.refreshTokenExpires !== null ? { refreshTokenExpires: new Date(row.refreshTokenExpires) } : {}),
    ...(row.onlineAccessInfo !== null ? { onlineAccessInfo: JSON.parse(row.onlineAccessInfo) } : {})
  })
}

/**
 * The methods of Shopify's SessionStorage interface, synchronous underneath (better-sqlite3) but async to match it.
 * Statements are prepared once: the catalog looks a session up on every checkout that needs catalog data.
 */
export class SqliteSessionStorage {
  private readonly byId
  private readonly byShop
  private readonly upsert

  constructor(private readonly db: Db) {
    this.byId = db
      .select()
      .from(shopifySessions)
      .where(eq(shopifySessions.id, sql.placeholder('id')))
      .prepare()
    this.byShop = db
      .select()
      .from(shopifySessions)
      .where(eq(shopifySessions.shop, sql.placeholder('shop')))
      .prepare()
    this.upsert = (row: Row) =>
      db
        .insert(shopifySessions)
        .values(row)
        .onConflictDoUpdate({ target: shopifySessions.id, set: { ...row } })
        .run()
  }

  async storeSession(session: Session): Promise<boolean> {
    this.upsert(toRow(session, Date.now()))
    return true
  }

  async loadSession(id: string): Promise<Session | undefined> {
    return this.loadSessionSync(id)
  }

  loadSessionSync(id: string): Session | undefined {
    const row = this.byId.get({ id })
    return row ? fromRow(row) : undefined
  }

  async deleteSession(id: string): Promise<boolean> {
    this.db.delete(shopifySessions).where(eq(shopifySessions.id, id)).run()
    return true
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    if (ids.length) this.db.delete(shopifySessions).where(inArray(shopifySessions.id, ids)).run()
    return true
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return this.byShop.all({ shop }).map(fromRow)
  }

  /** Removes every session of a shop (app/uninstalled, shop/redact); returns how many went. */
  deleteShopSessions(shop: string): number {
    return this.db.delete(shopifySessions).where(eq(shopifySessions.shop, shop)).run().changes
  }
}
