// One transaction on one pooled PostgreSQL connection, the way every PostgreSQL store runs one: an unreachable
// database is DATABASE_UNAVAILABLE, and a connection that failed is closed rather than handed back to the pool.
import type pg from 'pg'
import { asDatabaseError } from './unavailable.js'

/** Runs `work` between `begin` (BEGIN and its options) and COMMIT; on any error, ROLLBACK and the error rethrown. */
export async function inTransaction<T>(
  pool: pg.Pool,
  begin: string,
  work: (client: pg.PoolClient) => Promise<T>
): Promise<T> {
  let client: pg.PoolClient
  try {
    client = await pool.connect()
  } catch (err) {
    throw asDatabaseError(err)
  }
  try {
    await client.query(begin)
    const result = await work(client)
    await client.query('COMMIT')
    client.release()
    return result
  } catch (err) {
    // ROLLBACK on a live connection; a dead one is destroyed by release(err) and the server rolls back by itself.
    await client.query('ROLLBACK').catch(() => {})
    client.release(err as Error)
    throw asDatabaseError(err)
  }
}
