// Tells a database that cannot be reached (refused, dropped, timed out, shutting down) from a bug, and turns the former
// into 503 DATABASE_UNAVAILABLE.
import { DatabaseUnavailable } from '../errors.js'

/** Node's socket errors: the server is down, unreachable or closed the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN'
])

/** PostgreSQL SQLSTATEs that mean "not now" rather than "wrong": shutdown, too many connections, statement timeout. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014'])

/** node-postgres' own messages for a pool that cannot connect in time or a connection that died under a query. */
const PG_CLIENT_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Connection terminated/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
  /not queryable/i
]

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code)) return true
    if (code.startsWith('08')) return true // connection_exception
  }
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable)
  return PG_CLIENT_MESSAGES.some((re) => re.test(err.message))
}

/** Rethrows `err` as DATABASE_UNAVAILABLE (the cause kept for the log) when it is one, unchanged otherwise. */
export function asDatabaseError(err: unknown): unknown {
  if (!isDatabaseUnavailable(err)) return err
  const wrapped = new DatabaseUnavailable()
  wrapped.cause = err
  return wrapped
}
