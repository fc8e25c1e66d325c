// The preview page: fixture picker, the checkout as the buyer sees it, and the harness log beside it.
import { useCallback, useEffect, useState } from 'react'
import ReactDOM from 'react-dom'
import { Children, type RemoteNode } from './components.js'

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
    __PREVIEW__: { serviceUrl: string; bundleBytes: number; remoteImages: boolean }
  }
}

const config = window.__PREVIEW__

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init)
  return (await res.json()) as T
}

function Log({ entries }: { entries: LogEntry[] }) {
  return (
    <ul className="log" data-testid="log">
      {entries.map((e) => (
        <li key={e.seq}>
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

function Checkout({ state, shop }: { state: State | null; shop: string }) {
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
  if (!state || state.phase === 'should-render') body = <div className="empty">Running ShouldRender…</div>
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
    <section className="phone" aria-label="Buyer's view">
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

function App() {
  const [fixtures, setFixtures] = useState<Fixture[]>([])
  const [picked, setPicked] = useState('')
  const [state, setState] = useState<State | null>(null)

  const run = useCallback(async (name: string) => {
    setState(null)
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
      const fromUrl = new URLSearchParams(location.search).get('fixture')
      const first = list.find((f) => f.name === fromUrl)?.name ?? list[0]?.name ?? ''
      setPicked(first)
      if (first) void run(first)
    })
  }, [run])

  const id = state?.id
  useEffect(() => {
    if (!id) return
    const source = new EventSource(`/api/sessions/${id}/stream`)
    source.onmessage = (e) => setState(JSON.parse(e.data) as State)
    return () => source.close()
  }, [id])

  const fixture = fixtures.find((f) => f.name === picked)
  return (
    <>
      <header className="bar">
        <b>Encore</b>
        <span>post-purchase preview</span>
        <span className="meta">
          service {config.serviceUrl} · extension bundle {(config.bundleBytes / 1024).toFixed(1)} KiB
        </span>
      </header>
      <main>
        <Checkout state={state} shop={fixture ? fixture.shop.replace(/\.myshopify\.com$/, '') : 'shop'} />
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
              <button type="button" data-testid="run" onClick={() => void run(picked)}>
                Run checkout
              </button>
            </div>
            {fixture ? (
              <div className="fixture-meta">
                {fixture.items.join(', ')} · {fixture.total} · ship to{' '}
                {fixture.country ?? 'nowhere (no shipping address)'} · locale {fixture.locale}
                {state ? (
                  <>
                    {' '}
                    · referenceId <code>{state.referenceId}</code>
                  </>
                ) : null}
              </div>
            ) : (
              <div className="fixture-meta">No fixtures in rules/fixtures.</div>
            )}
          </section>
          <section className="card">
            <h2>Harness log: calculated, signed, applied</h2>
            <Log entries={state?.log ?? []} />
          </section>
          {state ? <Stored state={state} /> : null}
        </div>
      </main>
    </>
  )
}

ReactDOM.render(<App />, document.getElementById('app'))
