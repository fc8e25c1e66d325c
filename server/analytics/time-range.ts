// Parses the report's query: times as ISO strings or epoch ms inside Date's range, [from, to), and the bucket.
import { InvalidQuery } from '../errors.js'

/** Date's own limit: ±8.64e15 ms (±100,000,000 days); anything beyond cannot be printed as ISO time. */
const MAX_TIME = 8.64e15
const DAY = 86_400_000
export const DEFAULT_RANGE_MS = 30 * DAY
/** Hourly series beyond this are thousands of points nobody reads: ask for days instead. */
export const MAX_HOURLY_RANGE_MS = 92 * DAY

export type Bucket = 'day' | 'hour'
export const BUCKET_MS: Record<Bucket, number> = { day: DAY, hour: 3_600_000 }

/** ISO 8601 dates and date-times only: Date.parse alone also reads "1.5" or "Tuesday 3" as times. */
const ISO = /^[+-]?\d{4,6}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

export function parseTime(name: string, raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null
  const n = /^-?\d{1,20}$/.test(raw) ? Number(raw) : ISO.test(raw) ? Date.parse(raw) : NaN
  if (!Number.isFinite(n) || !Number.isInteger(n) || Math.abs(n) > MAX_TIME) {
    throw new InvalidQuery(`${name} must be an ISO time or epoch milliseconds within ±8.64e15`)
  }
  return n
}

export type Range = { from: number; to: number; bucket: Bucket }

export function parseRange(q: { from?: string; to?: string; bucket?: string }, now: number): Range {
  const to = parseTime('to', q.to) ?? now
  const from = parseTime('from', q.from) ?? Math.max(-MAX_TIME, to - DEFAULT_RANGE_MS)
  if (to < from) throw new InvalidQuery('to must not be before from')
  const bucket = (q.bucket ?? 'day') as Bucket
  if (bucket !== 'day' && bucket !== 'hour') throw new InvalidQuery('bucket must be day or hour')
  if (bucket === 'hour' && to - from > MAX_HOURLY_RANGE_MS) {
    throw new InvalidQuery('bucket=hour covers at most 92 days; use bucket=day')
  }
  return { from, to, bucket }
}
