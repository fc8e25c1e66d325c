// Benchmarks GET /admin/stats: seeds N decisions (with acceptances and events) over 90 days into a fresh database,
// lets the consumer build the roll-ups, then times a 90-day report through the real route.
import { seededRandom, sourceWriters } from './lib/seed-sources.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCommandArgs, runIfEntry, type Io } from './lib/cli.js'
import type { PostgresCluster } from './lib/postgres-cluster.js'

const HELP = `Usage: npm run bench:stats [-- --decisions 1000000 --runs 30 --db sqlite|postgres|both]

Seeds that many decisions over the last 90 days (3 shops, 2 currencies, 20 rules, 5 of them experiments with a
holdout arm; 70% offered, 60% of offers viewed, 12% accepted and applied, 30% declined), catches the roll-ups up,
then times GET /admin/stats for the 90 days (every shop, and one shop) and prints the median and p95.
--db postgres seeds the same rows, copies them (without roll-ups) into a throwaway PostgreSQL cluster (Debian's server
binaries), lets the PostgreSQL consumer build the roll-ups, and times the same reports there. --db both times the
two, runs interleaved (the fairest comparison on a shared machine), and prints PostgreSQL / SQLite.
--keep leaves the seeded database in place and prints its path.\n`

const DAY = 86_400_000
const TOKEN = 'bench-admin-token-0123456789'
const SHOPS = ['alpha.myshopify.com', 'bravo.myshopify.com', 'charlie.myshopify.com']
const CURRENCY: Record<string, string> = { 'alpha.myshopify.com': 'USD', 'bravo.myshopify.com': 'EUR' }

export async function main(argv: string[], io: Io): Promise<number> {
  const values = parseCommandArgs(
    'bench:stats',
    argv,
    {
      decisions: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '30' },
      keep: { type: 'boolean' },
      db: { type: 'string', default: 'sqlite' },
      help: { type: 'boolean', short: 'h' }
    },
    io
  )
  if (values === null) return 2
  if (values.help) {
    io.out(HELP)
    return 0
  }
  const db = values.db
  if (db !== 'sqlite' && db !== 'postgres' && db !== 'both') {
    io.err(`bench:stats: --db must be sqlite, postgres or both, got ${db}\n`)
    return 2
  }
  await bench({ decisions: Number(values.decisions), runs: Number(values.runs), db, keep: values.keep ?? false }, io)
  return 0
}

type Options = { decisions: number; runs: number; db: 'sqlite' | 'postgres' | 'both'; keep: boolean }

async function bench({ decisions: N, runs: RUNS, db: DB, keep }: Options, io: Io): Promise<void> {
  // Imported here: the service, the database drivers and the PostgreSQL tooling are not needed to answer --help.
  const { buildApp } = await import('../server/app.js')
  const { loadConfig } = await import('../server/config.js')
  const { openDatabase } = await import('../server/db/open-database.js')
  const { openPostgres } = await import('../server/db/open-postgres.js')
  const { copySqliteToPostgres } = await import('../server/db/copy-to-postgres.js')
  const { startPostgres } = await import('./lib/postgres-cluster.js')
  const { default: postgresDriver } = await import('pg')

  /** One maintenance statement on its own connection, without the service's timeouts. */
  async function maintain(url: string, statement: string): Promise<void> {
    const client = new postgresDriver.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }

  const rnd = seededRandom(42)

  const dir = mkdtempSync(join(tmpdir(), 'encore-bench-stats-'))
  const dbPath = join(dir, 'encore.db')
  let cluster: PostgresCluster | null = null
  try {
    const now = Date.now()
    const start = now - 90 * DAY
    const { sqlite } = openDatabase(dbPath)
    const write = sourceWriters(sqlite)
    const t0 = performance.now()
    const seedBatch = sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const shop = SHOPS[i % 3]!
        const rule = Math.floor(rnd() * 20)
        const experiment = rule < 5
        const holdout = experiment && rnd() < 0.5
        const arm = experiment ? (holdout ? 'none' : 'show') : null
        const at = start + Math.floor((i / N) * 90 * DAY)
        const ref = `ref-${i}`
        const id = `of-${i}`
        const offered = !holdout && rnd() < 0.7
        const customer = String(i % 5000)
        const o = { id, ref, shop, rule: `rule-${rule}`, arm }
        write.decision(
          { ...o, customer, holdout, offer: offered ? '{}' : null, after: null, at },
          CURRENCY[shop] ?? 'USD'
        )
        if (!offered) continue
        if (rnd() < 0.6) write.event(o, 'viewed', null, at + 1000)
        const r = rnd()
        if (r < 0.12) {
          write.acceptance(o, at + 2000)
          write.event(o, 'applied', (5 + rnd() * 40).toFixed(2), at + 3000)
        } else if (r < 0.42) write.event(o, 'declined', null, at + 2000)
      }
    })
    for (let i = 0; i < N; i += 50_000) seedBatch(i, Math.min(N, i + 50_000))
    sqlite.close()
    let seedMs = performance.now() - t0

    const kinds: ('sqlite' | 'postgres')[] = DB === 'both' ? ['sqlite', 'postgres'] : [DB]
    let databaseUrl: string | null = null
    if (kinds.includes('postgres')) {
      cluster = await startPostgres()
      databaseUrl = cluster.createDatabase('bench_stats')
      const tc = performance.now()
      const source = openDatabase(dbPath)
      const pg = await openPostgres({ url: databaseUrl, poolMax: 2 })
      await copySqliteToPostgres(source.sqlite, pg.pool, { analytics: false })
      source.sqlite.close()
      await pg.pool.end()
      // Fresh statistics for the planner, as autovacuum would give a table this size (outside the service's timeouts).
      await maintain(databaseUrl, 'VACUUM ANALYZE')
      seedMs += performance.now() - tc
    }

    const apps: { kind: 'sqlite' | 'postgres'; app: Awaited<ReturnType<typeof buildApp>>; catchUpMs: number }[] = []
    for (const kind of kinds) {
      const app = await buildApp({
        config: {
          ...loadConfig({ LOG_LEVEL: 'silent' }).config,
          databasePath: kind === 'postgres' ? join(dir, 'shopify.db') : dbPath,
          databaseUrl: kind === 'postgres' ? databaseUrl : null,
          rulesDir: './rules',
          adminToken: TOKEN
        }
      })
      await app.ready()
      const t1 = performance.now()
      await app.analytics.catchUp()
      apps.push({ kind, app, catchUpMs: performance.now() - t1 })
      // As autovacuum would after so many new rows: the planner's statistics of the roll-ups just built.
      if (kind === 'postgres' && databaseUrl) await maintain(databaseUrl, 'ANALYZE')
    }

    const from = new Date(now - 90 * DAY + 1234).toISOString()
    const to = new Date(now).toISOString()
    type Timing = { median: number; p95: number; rows: number; series: number; checkouts: number }
    /** The same report on every backend, runs interleaved, so that the machine's load falls on each alike. */
    const time = async (url: string): Promise<Timing[]> => {
      const ms: number[][] = apps.map(() => [])
      const bodies: string[] = apps.map(() => '')
      for (let i = 0; i < RUNS + 3; i++) {
        for (const [k, { app }] of apps.entries()) {
          const s = performance.now()
          const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } })
          const e = performance.now() - s
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
          bodies[k] = res.body
          if (i >= 3) ms[k]!.push(e) // the first runs warm the page caches
        }
      }
      return ms.map((list, k) => {
        list.sort((a, b) => a - b)
        const parsed = JSON.parse(bodies[k]!) as { rows: { checkouts: number }[]; series: unknown[] }
        return {
          median: list[Math.floor(list.length / 2)]!,
          p95: list[Math.min(list.length - 1, Math.floor(list.length * 0.95))]!,
          rows: parsed.rows.length,
          series: parsed.series.length,
          checkouts: parsed.rows.reduce((n, r) => n + r.checkouts, 0)
        }
      })
    }
    const all = await time(`/admin/stats?from=${from}&to=${to}`)
    const one = await time(`/admin/stats?from=${from}&to=${to}&shop=${SHOPS[0]}`)
    const hourly = await time(`/admin/stats?from=${new Date(now - 7 * DAY + 999).toISOString()}&to=${to}&bucket=hour`)
    for (const { app } of apps) await app.close()

    const f = (x: number) => x.toFixed(1)
    const lines = [
      `load average at the end: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')} on ${cpus().length} cores`,
      `decisions seeded: ${N} in ${f(seedMs / 1000)} s`
    ]
    for (const [k, { kind, catchUpMs }] of apps.entries()) {
      const [a, o, h] = [all[k]!, one[k]!, hourly[k]!]
      lines.push(
        `${kind === 'postgres' ? 'PostgreSQL (a throwaway cluster)' : 'SQLite'}: roll-ups built from scratch in ${f(catchUpMs / 1000)} s`,
        `  90 days, every shop: median ${f(a.median)} ms, p95 ${f(a.p95)} ms (${a.rows} rows, ${a.series} series points, ${a.checkouts} checkouts)`,
        `  90 days, one shop:   median ${f(o.median)} ms, p95 ${f(o.p95)} ms (${o.rows} rows)`,
        `  7 days by hour:      median ${f(h.median)} ms, p95 ${f(h.p95)} ms (${h.series} series points)`,
        `  target: 90 days under 200 ms -> ${a.median < 200 ? 'met' : 'MISSED'} (median/target ${f((a.median / 200) * 100)} %)`
      )
    }
    if (apps.length === 2) {
      const r = (x: Timing[]) => (x[1]!.median / x[0]!.median).toFixed(2)
      lines.push(
        `PostgreSQL / SQLite, medians of interleaved runs: 90 days ${r(all)}, one shop ${r(one)}, 7 days by hour ${r(hourly)}`
      )
    }
    io.out(lines.join('\n') + '\n')
  } finally {
    cluster?.destroy()
    if (keep) io.out(`database kept: ${dbPath}\n`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

runIfEntry(import.meta, main)
