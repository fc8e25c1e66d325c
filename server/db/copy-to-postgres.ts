// Copies an existing SQLite database into an empty PostgreSQL one (moving to several instances): every table of the
// three schemas, ids kept, in one transaction, so a failed copy leaves the target empty.
import type Database from 'better-sqlite3'
import type pg from 'pg'
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core'
import * as offerTables from './schema.pg.js'
import * as shopifyTables from '../shopify/schema.pg.js'
import * as analyticsTables from '../analytics/schema.pg.js'
import { AnalyticsConsumer } from '../analytics/consumer.js'

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
  shopifyTables.shopifyDataRequests,
  // The analytics as SQLite built them (caught up first): the order webhooks' confirmations cannot be rebuilt from
  // decisions. Their watermarks are set after the copy instead (their position differs, see setWatermarks).
  analyticsTables.analyticsCheckoutRules,
  analyticsTables.analyticsOffers,
  analyticsTables.analyticsHourly,
  analyticsTables.analyticsDaily,
  analyticsTables.analyticsOrders,
  analyticsTables.analyticsRefundLines,
  analyticsTables.analyticsSkipped
]

const ANALYTICS = new Set<PgTable>(Object.values(analyticsTables))

/**
 * The consumer's position after every copied row: the copy's transaction id and the largest id of each source (the
 * copied rows all carry that transaction id, and were all read by the SQLite consumer before the copy). Rows written
 * afterwards have larger transaction ids, so the PostgreSQL consumer reads exactly those.
 */
async function setWatermarks(client: pg.PoolClient): Promise<void> {
  await client.query(
    `INSERT INTO analytics_watermarks (source, last_txid, last_key)
     SELECT s.source, pg_current_xact_id()::text::bigint, s.key FROM (
       SELECT 'decisions' AS source, (SELECT MAX(id) FROM decisions) AS key
       UNION ALL SELECT 'acceptances', (SELECT MAX(id)::text FROM acceptances)
       UNION ALL SELECT 'events', (SELECT MAX(id)::text FROM events)
     ) s WHERE s.key IS NOT NULL
     ON CONFLICT (source) DO UPDATE SET last_txid = excluded.last_txid, last_key = excluded.last_key`
  )
}

const BATCH = 500

export type CopyResult = Record<string, number>

export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CopyRefusedError'
  }
}

/**
 * `opts.analytics` false: the offer service's and the Shopify tables only.
 * `sqlite` must be migrated (openDatabase) and `pool` migrated (openPostgres). Refuses a target that already holds
 * decisions or acceptances: a copy never merges into a live database.
 */
export async function copySqliteToPostgres(
  sqlite: Database.Database,
  pool: pg.Pool,
  opts: { analytics?: boolean } = {}
): Promise<CopyResult> {
  const analytics = opts.analytics ?? true
  // Every decision, acceptance and event into the roll-ups first, so that the copied analytics are complete.
  if (analytics) new AnalyticsConsumer(sqlite).catchUp()
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
    // Without the analytics (npm run bench:stats), the PostgreSQL consumer builds them from the copied rows.
    for (const table of analytics ? TABLES : TABLES.filter((x) => !ANALYTICS.has(x))) {
      const { name, columns: all } = getTableConfig(table)
      // Postgres-only columns (the consumer's txid) take their defaults.
      const present = new Set(
        sqlite
          .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}')`)
          .all()
          .map((c) => c.name)
      )
      const columns = all.filter((c) => present.has(c.name))
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
    if (analytics) await setWatermarks(client)
    await client.query('COMMIT')
    client.release()
    return copied
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    client.release(true)
    throw err
  }
}
