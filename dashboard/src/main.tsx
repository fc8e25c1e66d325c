// The merchant dashboard: a date range, the chart, the table per rule and arm with intervals, verdicts, the funnel,
// the ruleset served, a look-up of one order, and CSV export. Data comes from /admin/* with the caller's own rights.
import { render } from 'preact'
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import type {
  CheckoutDecisions,
  Interval,
  ServedRuleset,
  StatsReport,
  StatsRow,
  SurfaceRow
} from '../../contract/admin.js'
import { embedded, forgetToken, getJson, keepToken, storedToken, Unauthorized } from './api.js'
import { Chart } from './chart.js'
import { armName, count, money, percent, toCsv } from './format.js'
import 'uplot/dist/uPlot.min.css'
import './styles.css'

const DAY = 86_400_000
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function Login(props: { message: string | null; onToken: (t: string) => void }) {
  const [value, setValue] = useState('')
  return (
    <main class="login">
      <h1>Encore</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (value.trim() !== '') props.onToken(value.trim())
        }}
      >
        <label for="token">Admin token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <button type="submit">Open the dashboard</button>
        <p class="hint">Kept for this browser session only (ADMIN_TOKEN of this instance).</p>
        {props.message && (
          <p class="error" role="alert">
            {props.message}
          </p>
        )}
      </form>
    </main>
  )
}

/** An interval drawn as a range on a shared scale: a bar from low to high with a tick at the value. */
function Range(props: { i: Interval | null; min: number; max: number; format: (x: number) => string; field: string }) {
  if (props.i === null) return <td data-field={props.field}>–</td>
  const span = props.max - props.min || 1
  const pos = (x: number) => `${(((x - props.min) / span) * 100).toFixed(2)}%`
  const { value, low, high } = props.i
  return (
    <td data-field={props.field} data-value={value} data-low={low} data-high={high}>
      <span class="num">{props.format(value)}</span>
      <span class="range" aria-label={`95 % interval ${props.format(low)} to ${props.format(high)}`}>
        {props.min < 0 && props.max > 0 && <span class="zero" style={{ left: pos(0) }} />}
        <span class="bar" style={{ left: pos(low), width: `calc(${pos(high)} - ${pos(low)})` }} />
        <span class="tick" style={{ left: pos(value) }} />
      </span>
      <span class="ci">
        {props.format(low)} to {props.format(high)}
      </span>
    </td>
  )
}

function extent(values: (Interval | null)[]): [number, number] {
  let min = 0
  let max = 0
  for (const v of values) {
    if (v === null) continue
    min = Math.min(min, v.low)
    max = Math.max(max, v.high)
  }
  return [min, max]
}

function Table(props: { rows: StatsRow[] }) {
  const [rmin, rmax] = extent(props.rows.map((r) => r.revenuePerCheckout))
  const [lmin, lmax] = extent(props.rows.map((r) => r.lift))
  const [fmin, fmax] = extent(props.rows.map((r) => r.followOn?.lift ?? null))
  return (
    <table class="rows">
      <caption>Per rule and arm (95 % intervals drawn as ranges)</caption>
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col">Arm</th>
          <th scope="col">Checkouts</th>
          <th scope="col">Views</th>
          <th scope="col">Accepts</th>
          <th scope="col">Declines</th>
          <th scope="col">Accept rate</th>
          <th scope="col">Revenue</th>
          <th scope="col">Confirmed</th>
          <th scope="col">Revenue per checkout</th>
          <th scope="col">Lift vs holdout</th>
          <th scope="col" title="Later orders by the same customer within 30 days, per measured checkout">
            Next 30 days per checkout
          </th>
          <th scope="col">Next 30 days lift</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={`${r.ruleId}|${r.arm}|${r.currency}`} data-row={`${r.ruleId}|${r.arm ?? ''}|${r.currency ?? ''}`}>
            <th scope="row">{r.ruleId}</th>
            <td>
              {armName(r)}
              {r.holdout && <span class="badge">holdout</span>}
            </td>
            <td data-field="checkouts">{count(r.checkouts)}</td>
            <td data-field="views">{count(r.views)}</td>
            <td data-field="accepts">{count(r.accepts)}</td>
            <td data-field="declines">{count(r.declines)}</td>
            <Range i={r.acceptRate} min={0} max={1} format={percent} field="acceptRate" />
            <td data-field="revenue">{money(r.revenue, r.currency)}</td>
            <td data-field="revenueConfirmed">{money(r.revenueConfirmed, r.currency)}</td>
            <Range
              i={r.revenuePerCheckout}
              min={rmin}
              max={rmax}
              format={(x) => x.toFixed(2)}
              field="revenuePerCheckout"
            />
            <Range i={r.lift} min={lmin} max={lmax} format={(x) => x.toFixed(2)} field="lift" />
            <td
              data-field="followOnRevenuePerCheckout"
              title={
                r.followOn
                  ? `${r.followOn.checkouts} measured; left out: ${r.followOn.excludedGuests} guests, ` +
                    `${r.followOn.excludedRecent} under 30 days old`
                  : undefined
              }
            >
              {r.followOn?.revenuePerCheckout ? r.followOn.revenuePerCheckout.value.toFixed(2) : '–'}
              {r.followOn && <span class="ci">{count(r.followOn.checkouts)} measured</span>}
            </td>
            <Range
              i={r.followOn?.lift ?? null}
              min={fmin}
              max={fmax}
              format={(x) => x.toFixed(2)}
              field="followOnLift"
            />
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Funnel(props: { rows: StatsRow[] }) {
  const sum = (f: (r: StatsRow) => number) => props.rows.reduce((n, r) => n + f(r), 0)
  const steps: [string, number][] = [
    ['Decided', sum((r) => r.checkouts)],
    ['Shown', sum((r) => r.views)],
    ['Accepted', sum((r) => r.accepts)],
    ['Applied', sum((r) => r.applied)],
    ['Confirmed by Shopify', sum((r) => r.confirmed)]
  ]
  const top = steps[0]![1] || 1
  return (
    <ol class="funnel" aria-label="Funnel of checkouts">
      {steps.map(([name, n]) => (
        <li key={name} data-step={name}>
          <span class="label">{name}</span>
          <span class="meter" style={{ width: `${(n / top) * 100}%` }} />
          <span class="num">
            {count(n)} <small>({percent(n / top)})</small>
          </span>
        </li>
      ))}
    </ol>
  )
}

const PAGE_NAMES: Record<SurfaceRow['surface'], string> = { post_purchase: 'Post-purchase', thank_you: 'Thank-you' }

/** What each page adds: offers, acceptances and revenue of the offers made on it, in the currency shown. */
function Surfaces(props: { surfaces: SurfaceRow[]; currency: string | null }) {
  return (
    <table class="surfaces">
      <thead>
        <tr>
          <th scope="col">Page</th>
          <th scope="col">Offers</th>
          <th scope="col">Accepted</th>
          <th scope="col">Revenue</th>
        </tr>
      </thead>
      <tbody>
        {props.surfaces.map((s) => (
          <tr key={s.surface} data-surface={s.surface}>
            <th scope="row">{PAGE_NAMES[s.surface] ?? s.surface}</th>
            <td data-field="offers">{count(s.offers)}</td>
            <td data-field="accepts">{count(s.accepts)}</td>
            <td data-field="revenue">{money(s.revenue, props.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Lookup() {
  const [id, setId] = useState('')
  const [result, setResult] = useState<CheckoutDecisions | null>(null)
  const [error, setError] = useState<string | null>(null)
  return (
    <section aria-labelledby="lookup-h">
      <h2 id="lookup-h">Why did this order get this offer?</h2>
      <form
        class="inline"
        onSubmit={async (e) => {
          e.preventDefault()
          setError(null)
          try {
            setResult(await getJson<CheckoutDecisions>(`/admin/decisions/${encodeURIComponent(id.trim())}`))
          } catch (err) {
            setError((err as Error).message)
          }
        }}
      >
        <label for="lookup">Order or reference id</label>
        <input id="lookup" value={id} onInput={(e) => setId(e.currentTarget.value)} />
        <button type="submit">Look up</button>
      </form>
      {error && <p class="error">{error}</p>}
      {result && result.decisions.length === 0 && <p>No decision found for {result.referenceId}.</p>}
      {result &&
        result.decisions.map((d, i) => (
          <details key={i} open class="decision">
            <summary>
              {String(d.createdAt)}: rule {String(d.ruleId ?? 'none')}
              {d.arm ? `, arm ${String(d.arm)}` : ''} {d.holdout ? '(holdout)' : ''} answer {String(d.answer ?? '–')}
            </summary>
            <pre>{JSON.stringify(d.explanation ?? d.explanationError, null, 2)}</pre>
          </details>
        ))}
    </section>
  )
}

function RulesetPanel(props: { ruleset: ServedRuleset | null }) {
  const r = props.ruleset
  if (!r) return null
  return (
    <section aria-labelledby="rules-h">
      <h2 id="rules-h">Ruleset served</h2>
      <p>
        <code>{r.hash.slice(0, 12)}</code>, {r.count} rules, loaded {new Date(r.loadedAt).toLocaleString()}
      </p>
      <ul class="rules">
        {r.rules.map((rule) => (
          <li key={rule.id}>
            <code>{rule.id}</code> priority {rule.priority}
            {!rule.enabled && ' (disabled)'}
            {rule.experiment && ` — experiment ${rule.experiment.name}: ${rule.experiment.arms.join(', ')}`}
          </li>
        ))}
      </ul>
      {r.warnings.length > 0 && (
        <ul class="warnings" aria-label="Warnings">
          {r.warnings.map((w, i) => (
            <li key={i}>
              <strong>{w.code}</strong> {w.file ?? ''}: {w.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function Dashboard(props: { onUnauthorized: (message: string) => void }) {
  const now = Date.now()
  const [from, setFrom] = useState(isoDay(now - 29 * DAY))
  const [to, setTo] = useState(isoDay(now))
  const [shop, setShop] = useState('')
  const [stats, setStats] = useState<StatsReport | null>(null)
  const [ruleset, setRuleset] = useState<ServedRuleset | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [currency, setCurrency] = useState<string | null>(null)
  const range = useMemo(() => ({ from: Date.parse(from), to: Date.parse(to) + DAY }), [from, to])

  const load = useCallback(async () => {
    setError(null)
    try {
      const q = new URLSearchParams({ from: String(range.from), to: String(range.to), bucket: 'day' })
      if (shop.trim() !== '') q.set('shop', shop.trim())
      const [s, r] = await Promise.all([
        getJson<StatsReport>(`/admin/stats?${q}`),
        getJson<ServedRuleset>('/admin/rules')
      ])
      setStats(s)
      setRuleset(r)
    } catch (err) {
      if (err instanceof Unauthorized) props.onUnauthorized(err.message)
      else setError((err as Error).message)
    }
  }, [range, shop])
  useEffect(() => {
    void load()
  }, [load])

  const currencies = useMemo(() => [...new Set((stats?.rows ?? []).map((r) => r.currency))], [stats])
  const shown = currency !== null && currencies.includes(currency) ? currency : (currencies[0] ?? null)
  const rows = (stats?.rows ?? []).filter((r) => r.currency === shown)
  const verdicts = rows.filter((r) => r.verdict !== null)
  const surfaces = (stats?.surfaces ?? []).filter((s) => s.currency === shown)

  return (
    <main>
      <header>
        <h1>Encore: does each rule pay?</h1>
        <p class="scope" data-testid="scope">
          {stats?.shop ?? (embedded ? '' : 'every shop')}
        </p>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault()
            void load()
          }}
        >
          <label for="from">From</label>
          <input id="from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
          <label for="to">To</label>
          <input id="to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
          {!embedded && (
            <>
              <label for="shop">Shop</label>
              <input id="shop" placeholder="every shop" value={shop} onInput={(e) => setShop(e.currentTarget.value)} />
            </>
          )}
          {currencies.length > 1 && (
            <>
              <label for="currency">Currency</label>
              <select id="currency" value={shown ?? ''} onChange={(e) => setCurrency(e.currentTarget.value)}>
                {currencies.map((c) => (
                  <option key={c} value={c ?? ''}>
                    {c}
                  </option>
                ))}
              </select>
            </>
          )}
          <button type="submit">Refresh</button>
          <button
            type="button"
            onClick={() => {
              const blob = new Blob([toCsv(stats?.rows ?? [])], { type: 'text/csv' })
              const a = document.createElement('a')
              a.href = URL.createObjectURL(blob)
              a.download = `encore-stats-${from}-${to}.csv`
              a.click()
              URL.revokeObjectURL(a.href)
            }}
          >
            Export CSV
          </button>
          {!embedded && (
            <button type="button" onClick={() => props.onUnauthorized('Signed out')}>
              Sign out
            </button>
          )}
        </form>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {stats && (
        <>
          <section aria-labelledby="chart-h">
            <h2 id="chart-h">Over time</h2>
            <Chart series={stats.series} currency={shown} bucketMs={DAY} from={range.from} to={range.to} />
          </section>
          <section aria-labelledby="verdict-h">
            <h2 id="verdict-h">Experiments against their holdout</h2>
            {verdicts.length === 0 ? (
              <p>No rule with a holdout arm has checkouts in this range.</p>
            ) : (
              <ul class="verdicts">
                {verdicts.map((r) => (
                  <li key={`${r.ruleId}|${r.arm}`} class={r.lift?.significant ? 'significant' : ''}>
                    <strong>{r.ruleId}</strong>: {r.verdict}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="table-h">
            <h2 id="table-h">Rules and arms</h2>
            {rows.length === 0 ? <p>No checkouts in this range.</p> : <Table rows={rows} />}
          </section>
          <section aria-labelledby="funnel-h">
            <h2 id="funnel-h">Funnel</h2>
            <Funnel rows={rows} />
          </section>
          <section aria-labelledby="surfaces-h">
            <h2 id="surfaces-h">By page</h2>
            {surfaces.length === 0 ? (
              <p>No offers in this range.</p>
            ) : (
              <Surfaces surfaces={surfaces} currency={shown} />
            )}
          </section>
        </>
      )}
      <RulesetPanel ruleset={ruleset} />
      <Lookup />
    </main>
  )
}

function App() {
  const [authed, setAuthed] = useState(embedded || storedToken() !== null)
  const [message, setMessage] = useState<string | null>(null)
  if (!authed) {
    return (
      <Login
        message={message}
        onToken={(t) => {
          keepToken(t)
          setMessage(null)
          setAuthed(true)
        }}
      />
    )
  }
  return (
    <Dashboard
      onUnauthorized={(m) => {
        forgetToken()
        setMessage(embedded ? `Shopify did not authenticate this page: ${m}` : m)
        setAuthed(embedded)
      }}
    />
  )
}

render(<App />, document.getElementById('app')!)
