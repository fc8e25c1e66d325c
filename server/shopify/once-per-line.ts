// One Admin API job per accepted line and idempotency key in this process: a second call while the first runs shares
// its result, and a final result is answered again at once (the oldest forgotten past a bound). Shared by the order
// edit and the checkout fallback.
import type { LineToAdd } from '../plugins/shopify-default.js'

/** Results remembered per key (a retry within the process answers at once, identically); the oldest go first. */
export const MAX_REMEMBERED = 10_000

/** Why a line cannot be sent to Shopify at all, or null. */
export function lineProblem(line: LineToAdd): string | null {
  if (
    !Number.isSafeInteger(line.variantId) ||
    line.variantId <= 0 ||
    !Number.isSafeInteger(line.quantity) ||
    line.quantity < 1
  )
    return 'The variant id and quantity must be positive integers.'
  if (line.idempotencyKey === '') return 'An idempotency key is required.'
  return null
}

export class OncePerLine<R> {
  private readonly done = new Map<string, R>()
  private readonly inflight = new Map<string, Promise<R>>()

  /** `isFinal`: what is remembered (success, Shopify's refusals); an outage or timeout may succeed on a retry. */
  constructor(
    private readonly isFinal: (result: R) => boolean,
    private readonly onFinal: (key: string) => void = () => {}
  ) {}

  static key(shop: string, line: LineToAdd): string {
    return `${shop}|${line.orderId}|${line.idempotencyKey}`
  }

  async run(key: string, work: () => Promise<R>): Promise<R> {
    const known = this.done.get(key)
    if (known) return known
    // The same key arriving twice at once (a double tap) shares one job.
    let running = this.inflight.get(key)
    if (!running) {
      running = work().finally(() => this.inflight.delete(key))
      this.inflight.set(key, running)
    }
    const result = await running
    if (this.isFinal(result)) {
      this.onFinal(key)
      this.done.set(key, result)
      if (this.done.size > MAX_REMEMBERED) this.done.delete(this.done.keys().next().value!)
    }
    return result
  }
}
