// Preview sessions: one harness checkout per run of a fixture, with its state pushed to the browser.
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { CheckoutSession, serialise, type InputData } from '../harness/index.js'

export type Service = { url: string; secret: string; apiKey: string; adminToken: string | null }

export type PreviewState = {
  id: string
  fixture: string
  referenceId: string
  phase: 'should-render' | 'rendering' | 'no-offer' | 'done' | 'error'
  tree: unknown[]
  log: { seq: number; ms: number; kind: string; summary: string; detail?: unknown }[]
  applied: { items: string[]; charged: unknown }[]
  error: string | null
  /** Why ShouldRender said no, from the service's answer (a 401 usually means another secret). */
  reason: string | null
}

export class PreviewSession {
  readonly id = randomUUID()
  readonly referenceId: string
  /** The checkout as Shopify sent it (with this run's reference id). */
  readonly inputData: InputData
  readonly checkout: CheckoutSession
  phase: PreviewState['phase'] = 'should-render'
  error: string | null = null
  private readonly listeners = new Set<ServerResponse>()
  private scheduled = false

  constructor(
    readonly fixture: string,
    inputData: InputData,
    bundle: string,
    service: Service,
    run: number,
    referenceId?: string
  ) {
    // The first run is the fixture's own checkout (its experiment arms are what rules:test expects). The service
    // never offers a rule twice in one checkout, so each rerun is a new checkout (and may land in another arm).
    // With an Admin API the checkout is named by its order's id instead (thank-you-pages.ts).
    this.referenceId =
      referenceId ??
      (run === 1 ? inputData.initialPurchase.referenceId : `${inputData.initialPurchase.referenceId}-preview-${run}`)
    const data = structuredClone(inputData)
    data.initialPurchase.referenceId = this.referenceId
    this.inputData = data
    this.checkout = new CheckoutSession({
      bundle,
      inputData: data,
      secret: service.secret,
      apiKey: service.apiKey,
      onUpdate: () => this.changed()
    })
  }

  async start(): Promise<void> {
    try {
      const { render } = await this.checkout.shouldRender()
      if (!render) {
        this.phase = 'no-offer'
      } else {
        this.phase = 'rendering'
        await this.checkout.render()
        if (this.checkout.renderError) {
          this.phase = 'error'
          this.error = this.checkout.renderError.message
        }
      }
    } catch (error) {
      this.phase = 'error'
      this.error = (error as Error).message
    }
    this.changed()
  }

  async invoke(nodeId: string, prop: string, args: unknown[]): Promise<void> {
    await this.checkout.invoke(nodeId, prop, args)
    this.changed()
  }

  /** The lines the buyer's accepted offers added to the order, as the applied changesets say. */
  added(): { variantId: number; quantity: number }[] {
    return this.checkout.applied.flatMap((a) =>
      a.changes.flatMap((c) => (c.type === 'add_variant' ? [{ variantId: c.variantId, quantity: c.quantity }] : []))
    )
  }

  state(): PreviewState {
    const done = this.checkout.doneCalled
    return {
      id: this.id,
      fixture: this.fixture,
      referenceId: this.referenceId,
      phase: done ? 'done' : this.phase,
      tree: done ? [] : serialise(this.checkout.tree()),
      log: this.checkout.log.map((l) => ({ ...l })),
      applied: this.checkout.applied.map((a) => ({
        items: a.changes.flatMap((c) => {
          if (c.type !== 'add_variant') return []
          const v = this.checkout.catalog.variants.get(c.variantId)
          return [`${c.quantity} × ${v ? `${v.product} (${v.title})` : `variant ${c.variantId}`}`]
        }),
        charged: a.purchase.totalOutstandingSet.presentmentMoney
      })),
      error: this.error,
      reason: this.phase === 'no-offer' ? this.reason() : null
    }
  }

  private reason(): string | null {
    const asked = this.checkout.exchanges.find((x) => x.path === '/api/offer')
    if (!asked) return 'the extension did not call the service'
    if (asked.error) return asked.error
    const body = asked.response as { render?: boolean; error?: { code?: string; message?: string } } | null
    if (asked.status === 401)
      return `the service refused the checkout token (${body?.error?.code ?? 401}): does it share SHOPIFY_API_SECRET with the preview?`
    if (asked.status !== 200)
      return `the service answered ${asked.status}${body?.error?.code ? ` ${body.error.code}` : ''}`
    if (body?.render === false)
      return 'the service decided: no offer (no rule matched, the checkout is not eligible, or a holdout arm)'
    return null
  }

  /** Server-sent events: the whole state on every change, coalesced to one message per turn. */
  subscribe(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    this.listeners.add(res)
    res.on('close', () => this.listeners.delete(res))
    res.write(`data: ${JSON.stringify(this.state())}\n\n`)
  }

  private changed(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      const message = `data: ${JSON.stringify(this.state())}\n\n`
      for (const res of this.listeners) res.write(message)
    })
  }

  close(): void {
    for (const res of this.listeners) res.end()
    this.listeners.clear()
    this.checkout.close()
  }
}
