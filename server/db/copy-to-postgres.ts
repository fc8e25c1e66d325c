// Copies an existing SQLite database into an empty PostgreSQL one (moving to several instances): every table of both
// schemas, ids kept, in one transaction, so a failed copy leaves the target empty.
import type Database from 'better-sqlite3'
import type pg from 'pg'
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core'
import * as offerTables from './schema.pg.js'
import * as shopifyTables from '../shopify/schema.pg.js'

/** Parents first, in the order a reader would check them. */
const TABLES: PgTable[] = [
  offerTables.rulesets,
  offerTables.checkouts,
  offerTables.checkoutFacts,
  offerTables.decisions,
  offerTables.acceptances,
  offerTables.events,
  shopifyTables.shopifySessions,
  shopifyTables.shopifyShops,
  shopifyTables.shopifyWebhookDeliveries,
  shopifyTables.shopifyDataRequests
]

const BATCH = 500

export type CopyResult = Record<string, number>

export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CopyRefusedError'
  }
}

/**
 * `sqlite` must be migrated (openDatabase) and `pool` migrated (openPostgres). Refuses a target that already holds
 * decisions or acceptances: a copy never merges into a live database.
 */
export async function copySqliteToPostgres(sqlite: Database.Database, pool: pg.Pool): Promise<CopyResult> {
  const client = await pool.connect()
  const copied: CopyResult = {}
  try {
    await client.query('SET statement_timeout = 0')
    await client.query('BEGIN')
    for (const table of [offerTables.decisions, offerTables.acceptances]) {
      const { name } = getTableConfig(table)
      const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM "${name}") AS used`)
      if (rows[0].used)
        throw new CopyRefusedError(`the PostgreSQL database already holds ${name}: copy into an empty one`)
    }
    for (const table of TABLES) {
      const { name, columns } = getTableConfig(table)
      const names = columns.map((c) => c.name)
      const booleans = new Set(columns.filter((c) => c.getSQLType() === 'boolean').map((c) => c.name))
      const select = sqlite.prepare(`SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM "${name}"`).raw()
      let batch: unknown[][] = []
      let n = 0
      const flush = async () => {
        if (batch.length === 0) return
        const values: unknown[] = []
        const tuples = batch.map((row) => {
          const marks = row.map((v, i) => {
            values.push(booleans.has(names[i] as string) && v !== null ? v === 1 : v)
            return `$${values.length}`
          })
          return `(${marks.join(', ')})`
        })
        await client.query(
          `INSERT INTO "${name}" (${names.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`,
          values
        )
        n += batch.length
        batch = []
      }
      for (const row of select.iterate() as Iterable<unknown[]>) {
        batch.push(row)
        if (batch.length >= BATCH) await flush()
      }
      await flush()
      // Identity columns continue after the copied ids.
      if (names.includes('id') && columns.find((c) => c.name === 'id')?.getSQLType() === 'bigint')
        await client.query(
          `SELECT setval(pg_get_serial_sequence('"${name}"', 'id'), COALESCE((SELECT MAX(id) FROM "${name}"), 0) + 1, false)`
        )
      copied[name] = n
    }
    await client.query('COMMIT')
    client.release()
    return copied
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    client.release(true)
    throw err
  }
}
