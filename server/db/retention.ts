// Retention: forgets checkout facts older than RETENTION_DAYS in the background, a small batch at a time.
import type { Storage } from './storage.js'
import type { Log } from '../offers/shop-active.js'

export type RetentionOptions = {
  days: number
  /** Checkouts per batch: one short transaction each, so requests queue behind it for a moment at most. */
  batch?: number
  /** How often to look for work. */
  intervalMs?: number
  log?: Log
}

const DAY_MS = 24 * 3600 * 1000

/**
 * Prunes until nothing old is left, yielding to requests between batches, then sleeps until the next interval.
 * Returns a stop function that waits for the batch in progress.
 */
export function startRetention(
  storage: Storage,
  opts: RetentionOptions
): { stop(): Promise<void>; sweep(): Promise<number> } {
  const batch = opts.batch ?? 200
  let stopped = false
  let running: Promise<number> | null = null

  const sweep = (): Promise<number> => {
    if (running) return running
    running = (async () => {
      let total = 0
      const cutoff = Date.now() - opts.days * DAY_MS
      while (!stopped) {
        const n = await storage.pruneFacts(cutoff, batch)
        total += n
        if (n < batch) break
        // Let the requests that arrived meanwhile run before the next batch.
        await new Promise((resolve) => setImmediate(resolve))
      }
      return total
    })()
      .catch((err: unknown) => {
        opts.log?.error({ err }, 'retention: pruning checkout facts failed; will retry')
        return 0
      })
      .finally(() => {
        running = null
      })
    return running
  }

  // Every 10 minutes, or more often when the retention itself is short (soak runs): a twentieth of it.
  const interval = opts.intervalMs ?? Math.max(1000, Math.min(10 * 60_000, (opts.days * DAY_MS) / 20))
  const timer = setInterval(() => void sweep(), interval)
  timer.unref()
  // A first sweep shortly after boot, not during it.
  const first = setTimeout(() => void sweep(), Math.min(5_000, interval))
  first.unref()
  return {
    sweep,
    async stop() {
      stopped = true
      clearInterval(timer)
      clearTimeout(first)
      await running
    }
  }
}
