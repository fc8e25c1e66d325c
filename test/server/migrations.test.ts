// Migrations for both dialects: the two schemas have the same tables and columns, a SQLite file migrated from the old
// layout (migrations/ at the top) opens unchanged, and several instances starting at once on Postgres migrate once.
import t from 'tap'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { getTableConfig as sqliteTable, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import { getTableConfig as pgTable, type PgTable } from 'drizzle-orm/pg-core'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { is, Table } from 'drizzle-orm'
import * as sqliteOffers from '../../server/db/schema.js'
import * as sqliteShopify from '../../server/shopify/schema.js'
import * as pgOffers from '../../server/db/schema.pg.js'
import * as pgShopify from '../../server/shopify/schema.pg.js'
import * as sqliteAnalytics from '../../server/analytics/schema.js'
import * as pgAnalytics from '../../server/analytics/schema.pg.js'
import { MIGRATIONS_DIR, openDatabase } from '../../server/db/open-database.js'
import { openPostgres } from '../../server/db/open-postgres.js'
import { postgresUnavailable } from '../../scripts/lib/postgres-cluster.js'
import { sharedCluster } from '../support/databases.js'

type Shape = Record<string, { columns: Record<string, { notNull: boolean; primary: boolean }>; indexes: string[] }>

function shapeOf(tables: unknown[], config: (t: never) => ReturnType<typeof sqliteTable | typeof pgTable>): Shape {
  const out: Shape = {}
  for (const table of tables) {
    if (!is(table, Table)) continue
    const c = config(table as never)
    out[c.name] = {
      columns: Object.fromEntries(c.columns.map((col) => [col.name, { notNull: col.notNull, primary: col.primary }])),
      indexes: c.indexes.map((i) => i.config.name ?? '').sort()
    }
  }
  return out
}

t.test('the SQLite and PostgreSQL schemas have the same tables, columns, keys and indexes', async (t) => {
  const sqlite = shapeOf(Object.values({ ...sqliteOffers, ...sqliteShopify, ...sqliteAnalytics }), (x: SQLiteTable) =>
    sqliteTable(x)
  )
  const pg = shapeOf(Object.values({ ...pgOffers, ...pgShopify, ...pgAnalytics }), (x: PgTable) => pgTable(x))
  t.ok(Object.keys(sqlite).length >= 17, 'every table is compared')
  t.same(Object.keys(pg).sort(), Object.keys(sqlite).sort(), 'the same tables')
  // Postgres has no rowid to find the oldest facts by, so it has this index SQLite does without; and the analytics
  // consumer reads the sources by (txid, id) there (server/analytics/postgres-consumer.ts).
  const pgOnly = new Set([
    'checkout_facts_created_idx',
    'decisions_txid_idx',
    'acceptances_txid_idx',
    'events_txid_idx'
  ])
  const pgOnlyColumns = new Set(['txid'])
  // The consumer's position: a rowid or id on SQLite, (transaction id, row id) on Postgres.
  const differ = new Set(['analytics_watermarks'])
  for (const name of Object.keys(sqlite)) {
    if (differ.has(name)) continue
    const pgColumns = Object.fromEntries(Object.entries(pg[name]?.columns ?? {}).filter(([c]) => !pgOnlyColumns.has(c)))
    t.same(pgColumns, sqlite[name]?.columns, `${name}: the same columns, keys and nullability (but txid)`)
    t.same(
      pg[name]?.indexes.filter((i) => !pgOnly.has(i)),
      sqlite[name]?.indexes,
      `${name}: the same indexes (but ${[...pgOnly].join(', ')})`
    )
  }
  t.same(Object.keys(pg.analytics_watermarks?.columns ?? {}), ['source', 'last_txid', 'last_key'])
})

t.test('a SQLite file migrated from the old layout (migrations/ at the top) opens unchanged', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-migrations-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // The old layout: the same generated files, directly under migrations/ (as before migrations/sqlite/ existed).
  const oldLayout = join(dir, 'migrations')
  cpSync(MIGRATIONS_DIR, oldLayout, { recursive: true })
  const path = join(dir, 'old.db')
  const sqlite = new Database(path)
  migrate(drizzle({ client: sqlite }), { migrationsFolder: oldLayout })
  sqlite
    .prepare(
      `INSERT INTO decisions (id, reference_id, shop_domain, step, holdout, ruleset_hash, created_at)
       VALUES ('dc_old', 'ref-old', 's', 's:', 0, 'h', 1)`
    )
    .run()
  const applied = sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY id').all()
  sqlite.close()

  const reopened = openDatabase(path)
  t.same(
    reopened.sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY id').all(),
    applied,
    'no migration is applied again or recorded twice'
  )
  t.same(reopened.sqlite.prepare("SELECT id FROM decisions WHERE reference_id = 'ref-old'").all(), [{ id: 'dc_old' }])
  reopened.sqlite.close()
})

t.test(
  'instances starting at once on one Postgres: one migrates under the advisory lock, the others wait',
  postgresUnavailable() ? { skip: postgresUnavailable() as string } : {},
  async (t) => {
    const cluster = await sharedCluster()
    const url = cluster.createDatabase(`mig${process.pid}`)
    const opened = await Promise.all(Array.from({ length: 4 }, () => openPostgres({ url, poolMax: 2 })))
    const { rows } = await opened[0]!.pool.query('SELECT hash FROM drizzle.__drizzle_migrations')
    const journal = (await import('../../migrations/postgres/meta/_journal.json', { with: { type: 'json' } })).default
    t.equal(rows.length, journal.entries.length, 'each migration recorded once')
    const tables = await opened[0]!.pool.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
    )
    t.ok(
      tables.rows.some((r: { table_name: string }) => r.table_name === 'decisions'),
      'the tables exist'
    )
    const locks = await opened[0]!.pool.query("SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory'")
    t.equal(locks.rows[0].n, 0, 'the migration lock is released')
    await Promise.all(opened.map((o) => o.pool.end()))
  }
)
