// Load benchmark of POST /api/offer: the real service (separate process) on generated rulesets, two workloads (new
// checkouts, repeats), each beside a bare Fastify baseline run right before it. Prints a table with ratios.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type autocannon from 'autocannon'
import { mintCheckoutToken, type InputData } from '../extension/harness/checkout-token.js'
import { generateCheckout, generateRuleFiles, productPool, rng } from './lib/rules-generate.js'
import { startPostgres, type PostgresCluster } from './lib/postgres-cluster.js'
import { runIfEntry, type Io } from './lib/cli.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SECRET = 'encore-bench-secret-0123456789abcdef'
const API_KEY = 'encore-bench-api-key'

function argOf(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback
}

/**
 * The baseline, as tight as honest: a bare Fastify process that verifies the checkout token synchronously with
 * fast-jwt (HS256, iss, max age, sub = input_data's referenceId), remembers verified tokens as the service may, and
 * answers a fixed offer.
 */
async function runBaselineServer(io: Io): Promise<number> {
  const { default: Fastify } = await import('fastify')
  const { createVerifier } = await import('fast-jwt')
  const app = Fastify({ logger: false })
  const verify = createVerifier({
    key: SECRET,
    algorithms: ['HS256'],
    allowedIss: 'shopify',
    maxAge: 3600 * 1000,
    requiredClaims: ['iss', 'sub', 'iat']
  })
  const verified = new Map<string, true>()
  const fixed = {
    render: true,
    offer: {
      id: 'of_fixed',
      ruleId: 'fixed',
      arm: null,
      variantId: 1,
      variants: [1],
      quantity: { default: 1, min: 1, max: 1 },
      discount: null,
      content: { headline: 'Fixed', body: '', image: null, imageAlt: 'Fixed', acceptLabel: 'Add', declineLabel: 'No' },
      expiresAt: null,
      changes: [{ type: 'add_variant', variantId: 1, quantity: 1 }]
    }
  }
  app.post('/api/offer', async (request, reply) => {
    const header = request.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7) : ''
    if (verified.has(token)) return fixed
    try {
      const payload = verify(token) as { sub: string; input_data: { initialPurchase: { referenceId: string } } }
      if (payload.sub !== payload.input_data.initialPurchase.referenceId)
        return reply.code(401).send({ error: { code: 'TOKEN_SUBJECT_MISMATCH', message: '' } })
    } catch {
      return reply.code(401).send({ error: { code: 'TOKEN_INVALID', message: '' } })
    }
    if (verified.size >= 10_000) verified.delete(verified.keys().next().value as string)
    verified.set(token, true)
    return fixed
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  io.out(`Server listening at http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`)
  return 0
}

type Started = { url: string; child: ChildProcess }

async function start(args: string[], env: NodeJS.ProcessEnv, logFile: string, profile = ''): Promise<Started> {
  const fd = openSync(logFile, 'w')
  // A V8 CPU profile of the process, written when it stops (open it in Chrome's DevTools).
  const prof = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', fd, fd]
  })
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 50))
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(logFile, 'utf8'))
    if (m?.[1]) return { url: m[1], child }
    if (child.exitCode !== null) break
  }
  child.kill('SIGKILL')
  throw new Error(`server did not start:\n${readFileSync(logFile, 'utf8').slice(-2000)}`)
}

async function stop(s: Started): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r))
  s.child.kill('SIGTERM')
  await exited
}

type Workload = 'new' | 'repeats'
type Row = {
  name: 'baseline' | 'service'
  workload: Workload
  rules: number
  /** Service processes behind the load (all on one database). */
  instances: number
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  /** Server CPU (all threads) per answered request, in µs: steadier than req/s on a shared machine. */
  cpuUs: number
  /** PostgreSQL's own CPU per answered request (its postmaster and backends), in µs; 0 on SQLite. */
  dbCpuUs: number
  /** The load generator's CPU (this process: autocannon) per answered request, in µs. */
  clientCpuUs: number
  /** Share of the machine's CPU time busy during the run (every process, ours and others'), 0..1. */
  busy: number
  /** Context switches of the servers' main threads per answered request (an event loop slept or was preempted). */
  switches: number
}

/** Busy and total CPU time of the whole machine so far, in clock ticks (Linux /proc/stat; zeros elsewhere). */
function machineTicks(): { busy: number; total: number } {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? []
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0)
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0) // idle + iowait
    return { busy: total - idle, total }
  } catch {
    return { busy: 0, total: 0 }
  }
}

/** Context switches of a process's main thread so far, voluntary (it slept: an idle event loop) and not (preempted). */
function switchesOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return [...status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0)
  } catch {
    return 0
  }
}

/** CPU time a process has used so far, in ms (Linux /proc; 0 elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // utime + stime, in clock ticks of 1/100 s
  } catch {
    return 0
  }
}

async function load(
  servers: Started | Started[],
  tokens: string[],
  seconds: number,
  connections: number,
  /** The database server's processes (PostgreSQL), whose CPU is reported apart. */
  dbPids: () => number[] = () => []
): Promise<Omit<Row, 'name' | 'rules' | 'workload' | 'instances'>> {
  // Imported here, before the clocks start: the load generator is not needed to answer --help.
  const { default: run } = await import('autocannon')
  const all = Array.isArray(servers) ? servers : [servers]
  const cpu = () => all.reduce((sum, s) => sum + cpuMsOf(s.child.pid), 0)
  const dbCpu = () => new Map(dbPids().map((pid) => [pid, cpuMsOf(pid)]))
  const dbBefore = dbCpu()
  const clientBefore = process.cpuUsage()
  const machineBefore = machineTicks()
  const switches = () => all.reduce((sum, s) => sum + switchesOf(s.child.pid), 0)
  const switchesBefore = switches()
  const cpuBefore = cpu()
  let next = 0
  const result = await run({
    // Several instances: autocannon spreads its connections over the URLs, as a load balancer would.
    // (autocannon accepts an array of URLs, connection i on URL i mod n; its types say string only.)
    url: (all.length === 1 ? (all[0] as Started).url : all.map((s) => s.url)) as string,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/offer',
        body: '{}',
        // New checkouts: no token repeats within a run. Repeats: a few hundred tokens cycled over the connections.
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[next++ % tokens.length]}` }
        })
      }
    ]
  })
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuUs: Math.round(((cpu() - cpuBefore) * 1000) / Math.max(1, result.requests.total)),
    // Backends that exited during the run are not counted (the pools keep theirs open).
    dbCpuUs: Math.round(
      ([...dbCpu()].reduce((sum, [pid, ms]) => sum + ms - (dbBefore.get(pid) ?? 0), 0) * 1000) /
        Math.max(1, result.requests.total)
    ),
    clientCpuUs: (({ user, system }) => Math.round((user + system) / Math.max(1, result.requests.total)))(
      process.cpuUsage(clientBefore)
    ),
    switches: Math.round(((switches() - switchesBefore) / Math.max(1, result.requests.total)) * 100) / 100,
    busy: (() => {
      const m = machineTicks()
      return (m.busy - machineBefore.busy) / Math.max(1, m.total - machineBefore.total)
    })()
  }
}

type ProfileNode = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

/** The functions with the most self time in a V8 .cpuprofile, as shares of all samples (idle included). */
export function topOfProfile(path: string, count = 15): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as {
    nodes: ProfileNode[]
    samples: number[]
    timeDeltas: number[]
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    total += dt
    const f = byId.get(id)?.callFrame
    if (!f) return
    const where = f.url
      ? `${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(server|scripts)\//, '$1/')}:${f.lineNumber + 1}`
      : ''
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim()
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  return [...self.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, count)
    .map(([k, v]) => `${((100 * v) / Math.max(1, total)).toFixed(1).padStart(5)} %  ${k}`)
}

const HELP = `usage: npm run bench [-- --duration 5 --connections 32 --rules 100,1000 --repeats 300 --workloads new,repeats
                          --profile DIR --db sqlite|postgres --instances 1,3]

Starts the service as a separate process on generated rulesets of each size and drives POST /api/offer with
autocannon in two workloads:
  new       every request a checkout never seen (every answer a fresh, stored decision)
  repeats   a few hundred checkouts (--repeats) asked again and again, as Shopify and retries do
Right before each service case it drives the baseline with the same workload: a bare Fastify process that
verifies the same tokens synchronously with fast-jwt (HS256, iss, max age, sub = referenceId), remembers
verified tokens, and answers a fixed offer. Prints req/s, p50, p99, non-2xx and the ratio to that baseline,
and each server's CPU time per request (all threads, from /proc) with the baseline's CPU over the service's:
on a machine shared with other work, that second ratio moves far less than req/s.
--profile DIR writes a V8 CPU profile of each service process to DIR and prints its top entries.
--db postgres runs the service on a throwaway PostgreSQL cluster (Debian's server binaries), once per
--instances count (default 1,3: one process, then three on the same database with the load spread over
them); CPU per request is then summed over the instances, and PostgreSQL's own CPU per request (its postmaster
and backends) is shown apart (DB µs/req). --db sqlite (the default) runs one process. Every case also shows the load
generator's CPU per request (client µs: autocannon, in this process) and how busy the whole machine was during it
(busy: every core, every process, ours or not): near 100% the cases compete for CPU and req/s says little; and the
context switches of the servers' main threads per request (sw/req: each is an event loop that slept or was
preempted, so fewer means more requests handled per wake-up).
Exits 1 when any answer was not 2xx.
`

export async function main(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP)
    return 0
  }
  try {
    if (argv.includes('--baseline-server')) return await runBaselineServer(io)
    return await bench(argv, io)
  } catch (err) {
    io.err(`bench: ${(err as Error).stack ?? String(err)}\n`)
    return 1
  }
}

async function bench(argv: string[], io: Io): Promise<number> {
  const arg = (name: string, fallback: string) => argOf(argv, name, fallback)
  const seconds = Number(arg('duration', '5'))
  const connections = Number(arg('connections', '32'))
  const sizes = arg('rules', '100,1000').split(',').map(Number)
  const repeats = Number(arg('repeats', '300'))
  const workloads = arg('workloads', 'new,repeats').split(',') as Workload[]
  const shapes = Number(arg('checkouts', '300'))
  const profileDir = arg('profile', '') && resolve(arg('profile', ''))
  const dbKind = arg('db', 'sqlite')
  if (dbKind !== 'sqlite' && dbKind !== 'postgres') {
    io.err(`bench: --db must be sqlite or postgres, got ${dbKind}\n`)
    return 2
  }
  const instanceCounts = dbKind === 'postgres' ? arg('instances', '1,3').split(',').map(Number) : [1]
  let cluster: PostgresCluster | null = null
  const work = mkdtempSync(join(tmpdir(), 'encore-bench-'))
  const rows: Row[] = []
  const profiles: string[] = []
  try {
    // A few hundred varied carts, each minted under many referenceIds so every request can be a fresh checkout.
    const perRun = Math.max(30_000, Math.ceil(seconds * 8000))
    io.out(`minting checkout tokens from ${shapes} varied checkouts...\n`)
    const r = rng(42)
    const pool = productPool(Math.max(20, Math.round(Math.max(...sizes) / 2)))
    const carts = Array.from({ length: shapes }, (_, i) => generateCheckout(r, i, pool))
    const mint = (run: string, count = perRun) =>
      Array.from({ length: count }, (_, i) => {
        const input = structuredClone(carts[i % shapes]) as unknown as InputData
        input.initialPurchase.referenceId = `bench-${run}-${i}`
        return mintCheckoutToken(input, SECRET)
      })
    const tokensFor = (w: Workload, run: string) => (w === 'new' ? mint(run) : mint(run, repeats))

    // Machines here are shared and their load drifts: each case runs right after its own baseline run,
    // and its ratio is taken against that adjacent baseline.
    const base = await start([fileURLToPath(import.meta.url), '--baseline-server'], io.env, join(work, 'baseline.log'))
    await load(base, mint('warm-base', 2000), 1, connections)
    try {
      for (const n of sizes) {
        const rulesDir = join(work, `rules-${n}`)
        // The same generator the rules engine's own benchmark uses, with products sized so that rules overlap.
        for (const [rel, content] of Object.entries(
          generateRuleFiles({ rules: n, seed: 7, products: Math.max(20, Math.round(Math.max(...sizes) / 2)) })
        )) {
          mkdirSync(dirname(join(rulesDir, rel)), { recursive: true })
          writeFileSync(join(rulesDir, rel), content)
        }
        for (const k of instanceCounts) {
          if (dbKind === 'postgres' && !cluster) cluster = await startPostgres()
          const databaseUrl = cluster ? cluster.createDatabase(`bench_${n}_${k}`) : null
          const svcs: Started[] = []
          for (let i = 0; i < k; i++)
            svcs.push(
              await start(
                ['server/server.ts'],
                {
                  ...io.env,
                  NODE_ENV: 'production',
                  SHOPIFY_API_SECRET: SECRET,
                  SHOPIFY_API_KEY: API_KEY,
                  SHOPIFY_APP_URL: 'https://encore-bench.example.com',
                  PORT: '0',
                  HOST: '127.0.0.1',
                  DATABASE_PATH: join(work, `bench-${n}-${k}-${i}.db`),
                  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
                  RULES_DIR: rulesDir,
                  LOG_LEVEL: 'info'
                },
                join(work, `service-${n}-${k}-${i}.log`),
                profileDir
              )
            )
          const svc = svcs
          const dbPids = () => cluster?.serverPids() ?? []
          // Each instance warms up on as many requests as a lone one would (its JIT and its pool).
          await load(svc, mint(`warm${n}`, 2000 * k), k, connections)
          for (const w of workloads) {
            io.out(`${n} rules, ${w}: baseline then service, ${seconds}s each x ${connections} connections...\n`)
            const baseTokens = tokensFor(w, `base-${w}-${n}`)
            const svcTokens = tokensFor(w, `svc-${w}-${n}-${k}`)
            if (w === 'repeats') {
              // Asked once before the clock starts, as the first ShouldRender would.
              await load(base, baseTokens, 1, connections)
              await load(svc, svcTokens, 1, connections, dbPids)
            }
            rows.push({
              name: 'baseline',
              workload: w,
              rules: n,
              instances: 1,
              ...(await load(base, baseTokens, seconds, connections))
            })
            rows.push({
              name: 'service',
              workload: w,
              rules: n,
              instances: k,
              ...(await load(svc, svcTokens, seconds, connections, dbPids))
            })
          }
          const before = profileDir ? new Set(existsSync(profileDir) ? readdirSync(profileDir) : []) : null
          for (const one of svcs) await stop(one)
          if (before) {
            // One profile per thread (tsx's loader and the checkpointer have their own): the main thread's is the
            // first one written, numbered .0.
            const added = readdirSync(profileDir).filter((f) => f.endsWith('.0.001.cpuprofile') && !before.has(f))
            for (const f of added) profiles.push(`${n} rules: ${join(profileDir, f)}`)
          }
        }
      }
    } finally {
      await stop(base)
    }
  } finally {
    cluster?.destroy()
    rmSync(work, { recursive: true, force: true })
  }

  const pad = (s: string, n: number) => s.padStart(n)
  const lines = [
    `POST /api/offer on ${dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${connections} connections, ${seconds}s per case; ratio = service / the baseline run just before`,
    `${'case'.padEnd(30)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('non-2xx', 9)}${pad('errors', 8)}${pad('ratio', 7)}${pad('CPU µs/req', 12)}${pad('CPU ratio', 11)}${pad('DB µs/req', 11)}${pad('client µs', 11)}${pad('sw/req', 8)}${pad('busy', 6)}`
  ]
  let baseCpu = 1
  let baseRps = 1
  for (const row of rows) {
    if (row.name === 'baseline') baseRps = Math.max(1, row.rps)
    if (row.name === 'baseline') baseCpu = Math.max(1, row.cpuUs)
    const cpuRatio = row.name === 'baseline' ? '' : (baseCpu / Math.max(1, row.cpuUs)).toFixed(2)
    const x = row.instances > 1 ? ` x${row.instances}` : ''
    const name =
      row.name === 'baseline' ? `  baseline, ${row.workload}` : `service ${row.rules} rules${x}, ${row.workload}`
    const ratio = row.name === 'baseline' ? '' : (row.rps / baseRps).toFixed(2)
    lines.push(
      `${name.padEnd(30)}${pad(String(row.rps), 8)}${pad(String(row.p50), 8)}${pad(String(row.p99), 8)}${pad(String(row.non2xx), 9)}${pad(String(row.errors), 8)}${pad(ratio, 7)}${pad(String(row.cpuUs), 12)}${pad(cpuRatio, 11)}${pad(row.name === 'baseline' || dbKind === 'sqlite' ? '' : String(row.dbCpuUs), 11)}${pad(String(row.clientCpuUs), 11)}${pad(String(row.switches), 8)}${pad(`${Math.round(row.busy * 100)}%`, 6)}`
    )
  }
  io.out(`\n${lines.join('\n')}\n`)
  for (const p of profiles) {
    const [label, file] = p.split(': ')
    io.out(`\nCPU profile of the service, ${label} (self time, all workloads): ${file}\n`)
    io.out(`${topOfProfile(file ?? '').join('\n')}\n`)
  }
  const bad = rows.filter((r) => r.non2xx > 0 || r.errors > 0)
  if (bad.length > 0) {
    io.err(
      `bench: non-2xx answers or errors in ${bad.map((r) => `${r.name} ${r.rules} x${r.instances} ${r.workload}`).join(', ')}\n`
    )
    return 1
  }
  return 0
}

runIfEntry(import.meta, main)
