// Opens the SQLite file (WAL, synchronous=NORMAL: survives a killed process) and applies the generated migrations.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as offerSchema from './schema.js'
import * as shopifySchema from '../shopify/schema.js'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/sqlite', import.meta.url))

/** Both schemas, so one typed client serves the offer service and the Shopify integration. */
const schema = { ...offerSchema, ...shopifySchema }

export type Db = BetterSQLite3Database<typeof schema>
export type OpenDatabase = { sqlite: Database.Database; db: Db }

export function openDatabase(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  // NORMAL in WAL mode loses nothing when the process dies; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  const db = drizzle({ client: sqlite, schema })
  migrate(db, { migrationsFolder: MIGRATIONS_DIR })
  return { sqlite, db }
}
