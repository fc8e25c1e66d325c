// Runs a test body once per database (SQLite in a temp file, PostgreSQL in a throwaway cluster): the storage and
// service suites use it so both backends pass the same tests.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { Config } from '../../server/config.js'
import { openDatabase } from '../../server/db/open-database.js'
import { openPostgres } from '../../server/db/open-postgres.js'
import { PostgresStorage } from '../../server/db/postgres-storage.js'
import { SqliteStorage } from '../../server/db/sqlite-storage.js'
import type { Storage } from '../../server/db/storage.js'
import type { ShopifyStore } from '../../server/shopify/store.js'
import { SqliteShopifyStore } from '../../server/shopify/sqlite-store.js'
import { PostgresShopifyStore } from '../../server/shopify/postgres-store.js'
import { postgresUnavailable, startPostgres, type PostgresCluster } from '../../scripts/lib/postgres-cluster.js'
import { runCluster } from './run-postgres.js'

export type DatabaseKind = 'sqlite' | 'postgres'

export type TestDatabase = {
  kind: DatabaseKind
  /** The configuration that points the app at this database. */
  config: Pick<Config, 'databasePath' | 'databaseUrl'>
  /** A Storage on it, migrated (closed by the caller). */
  openStorage(): Promise<Storage>
  /** The Shopify integration's store on it, migrated, with the offer service's Storage on the same connections. */
  openShopifyStore(): Promise<{ store: ShopifyStore; storage: Storage; close(): Promise<void> }>
}

let cluster: Promise<PostgresCluster> | null = null

/**
 * The tap run's cluster (test/support/run-postgres.ts), or one for this file alone, started on first use and stopped
 * when the process exits. Database names get a random suffix: many files of a run create theirs in one cluster.
 */
export function sharedCluster(): Promise<PostgresCluster> {
  if (!cluster) {
    const run = runCluster()
    cluster = run ? Promise.resolve(run) : startPostgres()
    if (!run) void cluster.then((c) => process.once('exit', () => c.destroy()))
    cluster = cluster.then((c) => ({
      ...c,
      createDatabase: (name: string) => c.createDatabase(`${name}_${randomBytes(4).toString('hex')}`)
    }))
  }
  return cluster
}

/** A fresh, empty database of `kind`, removed with the test. */
export async function freshDatabase(t: Test, kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'encore-db-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const databasePath = join(dir, 'encore.db')
    return {
      kind,
      config: { databasePath, databaseUrl: null },
      openStorage: async () => new SqliteStorage(openDatabase(databasePath)),
      openShopifyStore: async () => {
        const handle = openDatabase(databasePath)
        const storage = new SqliteStorage(handle)
        return { store: new SqliteShopifyStore(handle.db, handle.sqlite), storage, close: () => storage.close() }
      }
    }
  }
  const c = await sharedCluster()
  const url = c.createDatabase('t')
  const dir = mkdtempSync(join(tmpdir(), 'encore-db-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return {
    kind,
    // A DATABASE_PATH beside it, as an operator may leave one set: the app must not open it on PostgreSQL.
    config: { databasePath: join(dir, 'shopify.db'), databaseUrl: url },
    openStorage: async () => new PostgresStorage((await openPostgres({ url, poolMax: 10 })).pool),
    openShopifyStore: async () => {
      const { pool } = await openPostgres({ url, poolMax: 10 })
      return { store: new PostgresShopifyStore(pool), storage: new PostgresStorage(pool), close: () => pool.end() }
    }
  }
}

/** Runs `body` as one subtest per database; PostgreSQL is skipped where it is not installed (never under CI). */
export function eachDatabase(t: Test, name: string, body: (t: Test, db: TestDatabase) => Promise<void>): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    const skip = kind === 'postgres' ? postgresUnavailable() : null
    t.test(`${name} [${kind}]`, skip ? { skip } : {}, async (t) => body(t, await freshDatabase(t, kind)))
  }
}
