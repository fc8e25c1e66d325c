// One checkout in the local harness: Shopify's side of both extension points, around the real bundle.
import { loadCatalog, type Catalog } from './catalog.js'
import {
  calculate,
  type ChangesetError,
  type ChangesetErrorCode,
  type CalculatedPurchase,
  type Change
} from './changeset-calculator.js'
import { verifyChangeset, type ChangesetClaims } from './changeset-verifier.js'
import { mintCheckoutToken, type InputData } from './checkout-token.js'
import { createCorsFetch, type Exchange } from './cors-fetch.js'
import { createHost, findAll, snapshot, textOf, type Host, type TreeNode } from './remote-tree.js'
import { runBundle, type Sandbox } from './sandbox.js'

export type LogEntry = {
  seq: number
  ms: number
  kind: 'should-render' | 'storage' | 'request' | 'calculate' | 'apply' | 'done' | 'console' | 'error'
  summary: string
  detail?: unknown
}
export type ApplyResult = {
  status: 'processed' | 'partially_processed' | 'unprocessed'
  errors: ChangesetError[]
  changesetApplicationsRemaining: number
}
export type Applied = { claims: ChangesetClaims; changes: Change[]; purchase: CalculatedPurchase }

export type SessionOptions = {
  /** The built extension (extension/build.ts). */
  bundle: string
  /** A checkout exactly as in rules/fixtures (the token is minted here). */
  inputData: InputData
  secret: string
  apiKey: string
  catalog?: Catalog
  /** Pretend the buyer's browser enforces CORS against this origin (default on). */
  cors?: boolean
  origin?: string
  /** Called after every change of the remote tree or the log (the preview streams on it). */
  onUpdate?(): void
}

const RENDER = 'Checkout::PostPurchase::Render'
const SHOULD_RENDER = 'Checkout::PostPurchase::ShouldRender'
/** A few words on what the service answered, for the log. */
function describeAnswer(x: Exchange): string {
  const body = x.response as {
    render?: boolean
    offer?: { ruleId?: string; arm?: string | null }
    token?: string
    error?: { code?: string }
  } | null
  if (body?.error?.code) return `: ${body.error.code}`
  if (x.path === '/api/offer' && typeof body?.render === 'boolean') {
    return body.render
      ? `: offer ${body.offer?.ruleId}${body.offer?.arm ? ` (arm ${body.offer.arm})` : ''}`
      : ': no offer'
  }
  if (x.path === '/api/sign-changeset' && body?.token) return ': changeset signed'
  if (x.path === '/api/events') return `: ${(x.request as { type?: string } | null)?.type ?? ''} reported`
  return ''
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

export class CheckoutSession {
  readonly log: LogEntry[] = []
  readonly applied: Applied[] = []
  readonly exchanges: Exchange[] = []
  readonly catalog: Catalog
  readonly token: string
  storageData: unknown = null
  doneCalled = false
  renderError: Error | null = null
  /** The next applyChangeset answers with this error (after verifying the token, as Shopify would first). */
  forceApplyError: { code: ChangesetErrorCode; status?: 'unprocessed' | 'partially_processed' } | null = null
  private readonly sandbox: Sandbox
  private readonly started = performance.now()
  private readonly usedJtis = new Set<string>()
  private readonly onUpdate: () => void
  private host: Host | null = null
  private purchaseCompletedAt = 0
  private remaining = 3
  private inFlight = 0

  constructor(private readonly opts: SessionOptions) {
    this.catalog = opts.catalog ?? loadCatalog()
    this.onUpdate = opts.onUpdate ?? (() => {})
    this.token = mintCheckoutToken(opts.inputData, opts.secret)
    const fetchForExtension = createCorsFetch({
      origin: opts.origin ?? 'https://extensions.shopifycdn.com',
      cors: opts.cors ?? true,
      onStart: () => this.inFlight++,
      onEnd: () => this.inFlight--,
      onExchange: (x) => {
        this.exchanges.push(x)
        this.record('request', `${x.method} ${x.path} -> ${x.status ?? x.error} (${x.ms} ms)${describeAnswer(x)}`, x)
      }
    })
    const say =
      (level: string) =>
      (...args: unknown[]) =>
        this.record('console', `console.${level}: ${args.map(String).join(' ')}`)
    this.sandbox = runBundle(opts.bundle, {
      fetch: fetchForExtension,
      console: { log: say('log'), info: say('info'), debug: say('debug'), warn: say('warn'), error: say('error') }
    })
  }

  private record(kind: LogEntry['kind'], summary: string, detail?: unknown) {
    this.log.push({
      seq: this.log.length + 1,
      ms: Math.round(performance.now() - this.started),
      kind,
      summary,
      ...(detail !== undefined ? { detail } : {})
    })
    this.onUpdate()
  }

  private inputFor(extensionPoint: string) {
    return { ...structuredClone(this.opts.inputData), extensionPoint, token: this.token }
  }

  /** Checkout::PostPurchase::ShouldRender, as on the payment page. A throw counts as "do not render". */
  async shouldRender(): Promise<{ render: boolean }> {
    const callback = this.sandbox.points.get(SHOULD_RENDER)
    if (!callback) throw new Error('the bundle did not register Checkout::PostPurchase::ShouldRender')
    const inputData = this.inputFor(SHOULD_RENDER)
    const storage = {
      initialData: null,
      update: async (data: unknown) => {
        // Storage crosses Shopify's boundary as JSON.
        this.storageData = data === undefined ? null : JSON.parse(JSON.stringify(data))
        this.record('storage', 'storage.update', this.storageData)
      }
    }
    try {
      const result = (await callback({
        extensionPoint: SHOULD_RENDER,
        version: 'unstable',
        locale: inputData.locale,
        inputData,
        storage
      })) as { render?: unknown } | undefined
      const render = result?.render === true
      this.record('should-render', `ShouldRender -> render: ${render}`)
      return { render }
    } catch (error) {
      this.record('error', `ShouldRender threw: ${(error as Error).message}`)
      return { render: false }
    }
  }

  /** Checkout::PostPurchase::Render, after payment: mounts the extension's tree on a 29-component root. */
  async render(): Promise<void> {
    const callback = this.sandbox.points.get(RENDER)
    if (!callback) throw new Error('the bundle did not register Checkout::PostPurchase::Render')
    this.purchaseCompletedAt = Date.now()
    this.host = createHost(this.onUpdate)
    const inputData = this.inputFor(RENDER)
    const purchase = inputData.initialPurchase
    const api = {
      extensionPoint: RENDER,
      version: 'unstable',
      locale: inputData.locale,
      inputData,
      storage: {
        initialData: this.storageData,
        update: async (data: unknown) => {
          this.storageData = JSON.parse(JSON.stringify(data ?? null))
        }
      },
      calculateChangeset: async (changeset: unknown) => {
        let changes: unknown = (changeset as { changes?: unknown } | null)?.changes
        if (typeof changeset === 'string') {
          const v = verifyChangeset(changeset, {
            secret: this.opts.secret,
            apiKey: this.opts.apiKey,
            referenceId: purchase.referenceId,
            purchaseCompletedAt: 0,
            usedJtis: new Set()
          })
          if (!v.ok) return this.calculated({ status: 'unprocessed', errors: v.errors }, changeset)
          changes = v.claims.changes
        }
        const c = calculate(changes, purchase, this.catalog)
        return this.calculated(
          c.ok
            ? { status: 'processed', errors: [], calculatedPurchase: c.purchase }
            : { status: 'unprocessed', errors: c.errors },
          changes
        )
      },
      applyChangeset: async (token: unknown) => this.apply(token, purchase),
      done: async () => {
        this.doneCalled = true
        this.record('done', 'done(): the buyer goes to the thank-you page')
      }
    }
    try {
      callback(this.host.root, api)
    } catch (error) {
      this.renderError = error as Error
      this.record('error', `Render threw: ${(error as Error).message}`)
    }
    await this.idle()
  }

  private calculated<T extends { status: string; errors: ChangesetError[]; calculatedPurchase?: CalculatedPurchase }>(
    result: T,
    changes: unknown
  ): T {
    const total = result.calculatedPurchase?.totalOutstandingSet.presentmentMoney
    this.record(
      'calculate',
      result.status === 'processed'
        ? `calculateChangeset -> ${total?.amount} ${total?.currencyCode} due now`
        : `calculateChangeset -> unprocessed (${result.errors.map((e) => e.code).join(', ')})`,
      { changes, result }
    )
    return result
  }

  private async apply(token: unknown, purchase: InputData['initialPurchase']): Promise<ApplyResult> {
    const answer = (
      status: ApplyResult['status'],
      errors: ChangesetError[],
      detail?: unknown,
      note = ''
    ): ApplyResult => {
      const result = { status, errors, changesetApplicationsRemaining: this.remaining }
      this.record(
        'apply',
        `applyChangeset -> ${status}${errors.length ? ` (${errors.map((e) => e.code).join(', ')})` : ''}${note}`,
        { ...(detail as object), result }
      )
      return result
    }
    const v = verifyChangeset(token, {
      secret: this.opts.secret,
      apiKey: this.opts.apiKey,
      referenceId: purchase.referenceId,
      purchaseCompletedAt: this.purchaseCompletedAt,
      usedJtis: this.usedJtis
    })
    if (!v.ok) return answer('unprocessed', v.errors)
    const claims = v.claims
    if (this.forceApplyError) {
      const { code, status } = this.forceApplyError
      this.forceApplyError = null
      return answer(status ?? 'unprocessed', [{ code, message: `${code} (simulated by the harness)` }], { claims })
    }
    if (this.remaining <= 0)
      return answer(
        'unprocessed',
        [{ code: 'invalid_request', message: 'no changeset applications remain for this purchase' }],
        { claims }
      )
    const c = calculate(claims.changes, purchase, this.catalog)
    if (!c.ok) return answer('unprocessed', c.errors, { claims })
    for (const change of c.changes) {
      if (change.type === 'add_variant') this.catalog.variants.get(change.variantId)!.inventory -= change.quantity
    }
    this.usedJtis.add(claims.jti)
    this.remaining--
    this.applied.push({ claims, changes: c.changes, purchase: c.purchase })
    const charged = c.purchase.totalOutstandingSet.presentmentMoney
    const what = c.changes
      .map((ch) =>
        ch.type === 'add_variant'
          ? `${ch.quantity} × ${this.catalog.variants.get(ch.variantId)?.product ?? ch.variantId}`
          : 'shipping'
      )
      .join(', ')
    return answer('processed', [], { claims, charged }, `: ${what}, charged ${charged.amount} ${charged.currencyCode}`)
  }

  /** Resolves once no request is running and React has flushed (several quiet turns of the event loop). */
  async idle(): Promise<void> {
    let quiet = 0
    while (quiet < 3) {
      await tick()
      quiet = this.inFlight === 0 ? quiet + 1 : 0
      if (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  tree(): TreeNode[] {
    return this.host ? snapshot(this.host.receiver) : []
  }

  text(): string {
    return this.tree().map(textOf).join(' ').replace(/\s+/g, ' ').trim()
  }

  find(type: string, test: (n: TreeNode) => boolean = () => true): TreeNode[] {
    return findAll(this.tree(), (n) => n.type === type && test(n))
  }

  button(label: string | RegExp): TreeNode | undefined {
    return this.find('Button', (n) =>
      typeof label === 'string' ? textOf(n).includes(label) : label.test(textOf(n))
    )[0]
  }

  /** Taps a button like a buyer: refuses a disabled one, and waits until the extension has settled. */
  async press(label: string | RegExp, opts: { wait?: boolean } = {}): Promise<void> {
    const node = this.button(label)
    if (!node) throw new Error(`no button ${String(label)} in: ${this.text()}`)
    if (node.props.disabled === true) throw new Error(`button ${String(label)} is disabled`)
    const onPress = node.props.onPress as (() => unknown) | undefined
    if (typeof onPress !== 'function') throw new Error(`button ${String(label)} has no onPress`)
    await onPress()
    if (opts.wait !== false) await this.idle()
  }

  /** Calls a component's function prop by node id (the preview forwards the browser's events here). */
  async invoke(id: string, prop: string, args: unknown[]): Promise<void> {
    const node = findAll(this.tree(), (n) => n.id === id)[0]
    const fn = node?.props[prop]
    if (typeof fn !== 'function') throw new Error(`no ${prop} on component ${id}`)
    await (fn as (...a: unknown[]) => unknown)(...args)
    await this.idle()
  }

  async select(label: string, value: string): Promise<void> {
    const node = this.find('Select', (n) => n.props.label === label)[0]
    if (!node) throw new Error(`no select labelled ${label}`)
    await this.invoke(node.id, 'onChange', [value])
  }

  /** Polls until `check` returns something truthy; throws with the page's text when it never does. */
  async waitFor<T>(check: () => T | false | null | undefined, what = 'condition', timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = check()
      if (value) return value
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; page shows: ${this.text() || '(nothing)'}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  close(): void {
    this.sandbox.dispose()
  }
}
