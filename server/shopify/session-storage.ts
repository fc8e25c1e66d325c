// @shopify/shopify-api sessions as rows of shopify_sessions and back, the same for both databases (the stores in
// sqlite-store.ts and postgres-store.ts run the statements).
import { Session } from '@shopify/shopify-api'

/** A shopify_sessions row with drizzle's names; times in ms since epoch. */
export type SessionRow = {
  id: string
  shop: string
  state: string
  isOnline: boolean
  scope: string | null
  /** Null for tokens that do not expire (offline). */
  expires: number | null
  accessToken: string | null
  refreshToken: string | null
  refreshTokenExpires: number | null
  /** JSON of the online user's info, null for offline sessions. */
  onlineAccessInfo: string | null
  updatedAt: number
}

export function sessionToRow(session: Session, now: number): SessionRow {
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

export function sessionFromRow(row: SessionRow): Session {
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
