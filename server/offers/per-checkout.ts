// Runs one offer decision at a time per checkout in this process, so concurrent calls do not decide twice.

/**
 * ShouldRender and Render (or a retried request) can ask for an offer at the same moment. Each
 * reads the checkout's decisions, awaits the catalog, then stores a decision: run side by side,
 * both would find nothing stored and both would decide, leaving two open offers for one
 * checkout. Queued, the second one finds the first one's stored decision and answers with it.
 * The guarantee itself is the database's (Storage.decideOnce: one decision per checkout step, whatever
 * process asks); this queue only spares this process a decision that would be thrown away.
 */
export class PerCheckout {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(referenceId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(referenceId)
    const result = previous === undefined ? work() : previous.then(work, work)
    // The tail never rejects, so one failed request does not fail the ones queued after it.
    const tail = result.then(
      () => undefined,
      () => undefined
    )
    this.tails.set(referenceId, tail)
    void tail.then(() => {
      if (this.tails.get(referenceId) === tail) this.tails.delete(referenceId)
    })
    return result
  }

  /** Checkouts with work in flight (for tests: the map must not grow with traffic). */
  get size(): number {
    return this.tails.size
  }
}
