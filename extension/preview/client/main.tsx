// The preview page: fixture and payment pickers, the post-purchase page and the Thank-you page as the buyer sees them,
// and the logs beside them.
import { useCallback, useEffect, useState } from 'react'
import ReactDOM from 'react-dom'
import { Children, type RemoteNode } from './components.js'
import { AdminOrder, ThankYouPane, useFrameLog, type Payment, type ThankYouPage } from './thank-you-pane.js'

type Fixture = { name: string; shop: string; locale: string; country: string | null; total: string; items: string[] }
type LogEntry = { seq: number; ms: number; kind: string; summary: string; detail?: unknown }
type State = {
  id: string
  fixture: string
  referenceId: string
  phase: 'should-render' | 'rendering' | 'no-offer' | 'done' | 'error'
  tree: RemoteNode[]
  log: LogEntry[]
  applied: { items: string[]; charged: { amount: string; currencyCode: string } }[]
  error: string | null
  reason: string | null
}

declare global {
  interface Window {
    __PREVIEW__: {
      serviceUrl: string
      bundleBytes: number
      remoteImages: boolean
      thankYou: { serviceUrl: string; bundleBytes: number; compressedBytes: number; orders: string }
    }
  }
}

const config = window.__PREVIEW__

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init)
  return (await res.json()) as T
}

function Log({ entries, testId = 'log' }: { entries: Omit<LogEntry, 'seq'>[]; testId?: string }) {
  return (
    <ul className="log" data-testid={testId}>
      {entries.map((e, i) => (
        <li key={i}>
          <span className="ms">{e.ms} ms</span>
          <span className={`kind ${e.kind}`}>{e.kind}</span>
          {e.detail === undefined ? (
            e.summary
          ) : (
            <details style={{ display: 'inline' }}>
              <summary style={{ display: 'inline', cursor: 'pointer' }}>{e.summary}</summary>
              <pre>{JSON.stringify(e.detail, null, 2)}</pre>
            </details>
          )}
        </li>
      ))}
    </ul>
  )
}

type Decision = {
  ruleId: string | null
  arm: string | null
  holdout?: boolean
  skipped?: string | null
  after: { outcome: string | null } | null
  answer: string | null
  acceptance: { variantId: number; quantity: number } | null
  events: { type: string; status: string | null; amount: string | null }[]
}

function Stored({ state }: { state: State }) {
  const [stored, setStored] = useState<{ decisions?: Decision[]; available?: boolean; reason?: string } | null>(null)
  useEffect(() => {
    if (state.phase !== 'done' && state.phase !== 'no-offer') return
    json<typeof stored>(`/api/sessions/${state.id}/decisions`)
      .then(setStored)
      .catch(() => setStored(null))
  }, [state.id, state.phase])
  if (stored === null) return null
  return (
    <section className="card stored" data-testid="stored">
      <h2>What the service stored for {state.referenceId}</h2>
      {stored.decisions ? (
        <table>
          <thead>
            <tr>
              <th>Rule</th>
              <th>Arm</th>
              <th>Asked after</th>
              <th>Answer</th>
              <th>Accepted</th>
              <th>Events</th>
            </tr>
          </thead>
          <tbody>
            {stored.decisions.map((d, i) => (
              <tr key={i}>
                <td>
                  <code>{d.ruleId ?? (d.holdout ? 'holdout' : `no offer${d.skipped ? ` (${d.skipped})` : ''}`)}</code>
                </td>
                <td>{d.arm ?? '–'}</td>
                <td>{d.after?.outcome ?? '–'}</td>
                <td>{d.answer ?? '–'}</td>
                <td>{d.acceptance ? `${d.acceptance.quantity} × ${d.acceptance.variantId}` : '–'}</td>
                <td>
                  {d.events
                    .map(
                      (e) =>
                        e.type +
                        (e.amount ? ` ${e.amount}` : '') +
                        (e.status && e.type === 'failed' ? ` (${e.status})` : '')
                    )
                    .join(', ') || '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="fixture-meta">{stored.reason ?? 'Not available.'}</p>
      )}
      <details>
        <summary>Raw answer of GET /admin/decisions/{state.referenceId}</summary>
        <pre>{JSON.stringify(stored, null, 2)}</pre>
      </details>
    </section>
  )
}

function Checkout({ state, shop, skipped }: { state: State | null; shop: string; skipped: boolean }) {
  const invoke = useCallback(
    (node: string, prop: string, args: unknown[]) => {
      if (!state) return
      void fetch(`/api/sessions/${state.id}/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ node, prop, args })
      })
    },
    [state]
  )
  let body: JSX.Element
  if (skipped)
    body = (
      <div className="empty" data-testid="skipped">
        <p>
          <b>Paid with a wallet: no post-purchase page.</b>
        </p>
        <p>
          Shopify skips this page for Apple Pay, Google Pay, Shop Pay Installments and the like: the buyer goes straight
          to the Thank-you page, where the same rules decide.
        </p>
      </div>
    )
  else if (!state || state.phase === 'should-render') body = <div className="empty">Running ShouldRender…</div>
  else if (state.phase === 'no-offer') {
    body = (
      <div className="empty" data-testid="no-offer">
        <p>
          <b>No offer for this checkout.</b>
        </p>
        <p>
          ShouldRender answered <code>render: false</code>: the buyer goes straight to the thank-you page.
        </p>
        {state.reason ? <p data-testid="no-offer-reason">Because {state.reason}.</p> : null}
        <p>
          Why? <code>npm run rules:simulate -- {state.fixture}</code>
        </p>
      </div>
    )
  } else if (state.phase === 'done') {
    body = (
      <div className="thanks" data-testid="thank-you">
        <div className="check">✓</div>
        <h2>Thank you!</h2>
        <p>The buyer reached the thank-you page.</p>
        {state.applied.length > 0 ? (
          <ul>
            {state.applied.map((a, i) => (
              <li key={i}>
                Added {a.items.join(', ')} · charged {a.charged.amount} {a.charged.currencyCode}
              </li>
            ))}
          </ul>
        ) : (
          <p className="fixture-meta">Nothing was added to the order.</p>
        )}
      </div>
    )
  } else if (state.phase === 'error')
    body = (
      <div className="empty" style={{ color: '#b42318' }}>
        The extension failed: {state.error}
      </div>
    )
  else
    body = (
      <div data-testid="extension">
        <Children nodes={state.tree} ctx={{ invoke, remoteImages: config.remoteImages }} />
      </div>
    )
  return (
    <section className="phone" aria-label="Post-purchase page">
      <div className="shop">
        <div className="logo">{shop.slice(0, 1).toUpperCase()}</div>
        <div className="name">{shop}</div>
        <div className="secure">
          <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true">
            <path
              fill="currentColor"
              d="M6 10V7a6 6 0 1 1 12 0v3h1a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V11a1 1 0 0 1 1-1h1zm2 0h8V7a4 4 0 1 0-8 0v3z"
            />
          </svg>
          Secure checkout
        </div>
      </div>
      <div className="paid">✓ Payment received: your order is confirmed.</div>
      <div className="page">{body}</div>
    </section>
  )
}

const PAYMENT_LABELS: Record<Payment, string> = {
  card: 'Card: the post-purchase page, then the Thank-you page',
  wallet: 'Wallet: Shopify skips the post-purchase page'
}

async function createPage(body: Record<string, unknown>): Promise<ThankYouPage> {
  return json<ThankYouPage>('/api/thank-you-pages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
}

function App() {
  const [fixtures, setFixtures] = useState<Fixture[]>([])
  const [picked, setPicked] = useState('')
  const [payment, setPayment] = useState<Payment>('card')
  const [ran, setRan] = useState<Payment>('card')
  const [state, setState] = useState<State | null>(null)
  const [page, setPage] = useState<ThankYouPage | null>(null)
  const frameLog = useFrameLog(page?.id ?? null)

  const run = useCallback(async (name: string, how: Payment) => {
    setState(null)
    setPage(null)
    setRan(how)
    if (how === 'wallet') return setPage(await createPage({ payment: 'wallet', fixture: name }))
    const created = await json<State>('/api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fixture: name })
    })
    setState(created)
  }, [])

  useEffect(() => {
    void json<Fixture[]>('/api/fixtures').then((list) => {
      setFixtures(list)
      const query = new URLSearchParams(location.search)
      const fromUrl = query.get('fixture')
      const how: Payment = query.get('payment') === 'wallet' ? 'wallet' : 'card'
      const first = list.find((f) => f.name === fromUrl)?.name ?? list[0]?.name ?? ''
      setPicked(first)
      setPayment(how)
      if (first) void run(first, how)
    })
  }, [run])

  const id = state?.id
  useEffect(() => {
    if (!id) return
    const source = new EventSource(`/api/sessions/${id}/stream`)
    source.onmessage = (e) => setState(JSON.parse(e.data) as State)
    return () => source.close()
  }, [id])

  // A card order reaches the Thank-you page once its post-purchase page is over (or was not shown).
  const finished = state !== null && (state.phase === 'done' || state.phase === 'no-offer')
  useEffect(() => {
    if (!finished || !id) return
    let live = true
    void createPage({ payment: 'card', session: id }).then((p) => live && setPage(p))
    return () => {
      live = false
    }
  }, [finished, id])

  const fixture = fixtures.find((f) => f.name === picked)
  const shop = fixture ? fixture.shop.replace(/\.myshopify\.com$/, '') : 'shop'
  return (
    <>
      <header className="bar">
        <b>Encore</b>
        <span>preview: the post-purchase page and the Thank-you page</span>
        <span className="meta">
          service {config.serviceUrl} · post-purchase bundle {(config.bundleBytes / 1024).toFixed(1)} KiB · Thank-you
          bundle {(config.thankYou.bundleBytes / 1024).toFixed(1)} KiB (
          {(config.thankYou.compressedBytes / 1024).toFixed(1)} KiB compressed)
        </span>
      </header>
      <main>
        <Checkout state={state} shop={shop} skipped={ran === 'wallet'} />
        <ThankYouPane
          page={page}
          shop={shop}
          waiting={ran === 'card' ? 'The buyer is on the post-purchase page.' : 'Placing the order…'}
        />
        <div className="side">
          <section className="card">
            <h2>Checkout fixture</h2>
            <div className="picker">
              <select
                aria-label="Fixture"
                data-testid="fixture"
                value={picked}
                onChange={(e) => setPicked(e.target.value)}
              >
                {fixtures.map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name}
                  </option>
                ))}
              </select>
              <select
                aria-label="Payment"
                data-testid="payment"
                value={payment}
                onChange={(e) => setPayment(e.target.value === 'wallet' ? 'wallet' : 'card')}
              >
                {(Object.keys(PAYMENT_LABELS) as Payment[]).map((p) => (
                  <option key={p} value={p}>
                    {PAYMENT_LABELS[p]}
                  </option>
                ))}
              </select>
              <button type="button" data-testid="run" onClick={() => void run(picked, payment)}>
                Run checkout
              </button>
            </div>
            {fixture ? (
              <div className="fixture-meta" data-testid="run-meta">
                {fixture.items.join(', ')} · {fixture.total} · ship to{' '}
                {fixture.country ?? 'nowhere (no shipping address)'} · locale {fixture.locale}
                {state ? (
                  <>
                    {' '}
                    · referenceId <code>{state.referenceId}</code>
                  </>
                ) : null}
                {page ? (
                  <>
                    {' '}
                    · order <code>{page.order.id}</code>
                  </>
                ) : null}
              </div>
            ) : (
              <div className="fixture-meta">No fixtures in rules/fixtures.</div>
            )}
          </section>
          {ran === 'card' ? (
            <section className="card">
              <h2>Post-purchase page: calculated, signed, applied</h2>
              <Log entries={state?.log ?? []} />
            </section>
          ) : null}
          {state ? <Stored state={state} /> : null}
          <section className="card">
            <h2>Thank-you page: asked and answered</h2>
            <p className="fixture-meta">
              The block asks {config.thankYou.serviceUrl}; orders: {config.thankYou.orders}.
            </p>
            <Log entries={frameLog} testId="thank-you-log" />
          </section>
          {page ? <AdminOrder page={page} entries={frameLog} /> : null}
        </div>
      </main>
    </>
  )
}

ReactDOM.render(<App />, document.getElementById('app'))
