// Soak benchmark: the real service for minutes under mixed traffic (new checkouts, repeats, signs, events); prints
// its memory and database size over time, to see them level off.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mintCheckoutToken, type InputData } from '../extension/harness/checkout-token.js'
import { generateCheckout, generateRuleFiles, productPool, rng } from './lib/rules-generate.js'
import { runIfEntry, type Io } from './lib/cli.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SECRET = 'encore-soak-secret-0123456789abcdef'

const HELP = `usage: npm run bench:soak [-- --duration 10m --every 30s --connections 16 --rules 100 --retention-days 0.002]

Runs the service (a separate process, SQLite in a temporary folder) for --duration (default 10m; 90s, 600, 2m
also work) under a mixed load from --connections concurrent clients:
  45 %  POST /api/offer for a new checkout
  30 %  POST /api/offer again for a recent checkout (as ShouldRender, Render and retries do)
  10 %  POST /api/sign-changeset for a recent offer
  15 %  POST /api/events (viewed, declined or applied with an amount) for a recent offer
Every --every (default 30s) it prints requests, req/s, non-2xx, the service's RSS and the database size (file
plus WAL) and its rows. --retention-days (default 0.002, about 3 minutes) is passed as RETENTION_DAYS, so the
background pruning of checkout facts runs within the soak: the database should grow only by the compact rows
kept for reports, and memory should level off.
`

function arg(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback
}

class UsageError extends Error {}

/** "10m", "90s" or plain seconds. */
function seconds(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(raw.trim())
  if (!m) throw new UsageError(`expected a duration such as 10m, 90s or 600, got "${raw}"`)
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1)
}

function rssMb(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return Math.round(Number(kb) / 1024)
  } catch {
    return 0
  }
}

const sizeOf = (path: string) => {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

async function startService(env: NodeJS.ProcessEnv, logFile: string): Promise<{ url: string; child: ChildProcess }> {
  const fd = openSync(logFile, 'w')
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
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
  throw new Error(`the service did not start:\n${readFileSync(logFile, 'utf8').slice(-2000)}`)
}

type Recent = { token: string; offerId: string | null }

export async function main(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP)
    return 0
  }
  try {
    return await soak(argv, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`bench:soak: ${err.message}\n`)
      return 2
    }
    io.err(`bench:soak: ${(err as Error).stack ?? String(err)}\n`)
    return 1
  }
}

async function soak(argv: string[], io: Io): Promise<number> {
  const duration = seconds(arg(argv, 'duration', '10m'))
  const every = seconds(arg(argv, 'every', '30s'))
  const connections = Number(arg(argv, 'connections', '16'))
  const ruleCount = Number(arg(argv, 'rules', '100'))
  const retentionDays = arg(argv, 'retention-days', '0.002')

  const work = mkdtempSync(join(tmpdir(), 'encore-soak-'))
  const rulesDir = join(work, 'rules')
  const products = productPool(Math.max(20, Math.round(ruleCount / 2)))
  for (const [rel, content] of Object.entries(
    generateRuleFiles({ rules: ruleCount, seed: 7, products: products.length })
  )) {
    mkdirSync(dirname(join(rulesDir, rel)), { recursive: true })
    writeFileSync(join(rulesDir, rel), content)
  }
  const dbPath = join(work, 'soak.db')
  const svc = await startService(
    {
      ...io.env,
      NODE_ENV: 'production',
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_API_KEY: 'encore-soak-api-key',
      SHOPIFY_APP_URL: 'https://encore-soak.example.com',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      RULES_DIR: rulesDir,
      RETENTION_DAYS: retentionDays,
      LOG_LEVEL: 'info'
    },
    join(work, 'service.log')
  )

  const r = rng(11)
  const carts = Array.from({ length: 300 }, (_, i) => generateCheckout(r, i, products))
  const recent: Recent[] = []
  let seq = 0
  let requests = 0
  let non2xx = 0
  let failures = 0
  const statuses = new Map<number, number>()
  const post = async (path: string, token: string, body: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body)
    })
    const text = await res.text()
    requests++
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
    // A 409 (already accepted differently, limit reached) and a 410 (expired) are expected answers under this mix.
    if (res.status >= 300 && res.status !== 409 && res.status !== 410) non2xx++
    return { status: res.status, body: text ? JSON.parse(text) : null }
  }
  const pick = () => recent[Math.floor(Math.random() * recent.length)]

  async function step(): Promise<void> {
    const x = Math.random()
    if (x < 0.45 || recent.length < 50) {
      const input = structuredClone(carts[seq % carts.length]) as unknown as InputData
      input.initialPurchase.referenceId = `soak-${process.pid}-${++seq}`
      const token = mintCheckoutToken(input, SECRET)
      const res = await post('/api/offer', token, {})
      recent.push({ token, offerId: res.body?.offer?.id ?? null })
      if (recent.length > 2000) recent.shift()
    } else if (x < 0.75) {
      await post('/api/offer', pick()!.token, {})
    } else {
      const c = pick()!
      if (c.offerId === null) return post('/api/offer', c.token, {}).then(() => undefined)
      if (x < 0.85) await post('/api/sign-changeset', c.token, { offerId: c.offerId })
      else {
        const type = (['viewed', 'declined', 'applied'] as const)[Math.floor(Math.random() * 3)]
        await post('/api/events', c.token, {
          offerId: c.offerId,
          type,
          ...(type === 'applied' ? { amount: '12.50' } : {})
        })
      }
    }
  }

  const started = Date.now()
  const deadline = started + duration * 1000
  const worker = async () => {
    while (Date.now() < deadline) {
      try {
        await step()
      } catch {
        failures++
      }
    }
  }
  io.out(
    `soak: ${duration}s, ${connections} clients, ${ruleCount} rules, RETENTION_DAYS=${retentionDays}; a line every ${every}s\n`
  )
  io.out(
    `${'t s'.padStart(6)}${'requests'.padStart(10)}${'req/s'.padStart(8)}${'non-2xx'.padStart(9)}${'RSS MB'.padStart(8)}${'db MB'.padStart(8)}${'wal MB'.padStart(8)}${'checkouts'.padStart(11)}${'with facts'.padStart(12)}${'decisions'.padStart(11)}\n`
  )
  let lastRequests = 0
  let lastAt = started
  const { default: Database } = await import('better-sqlite3')
  const report = () => {
    const now = Date.now()
    let counts = { checkouts: 0, withFacts: 0, decisions: 0 }
    try {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true })
      counts = db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM checkouts) AS checkouts, (SELECT COUNT(*) FROM checkout_facts)
           AS withFacts, (SELECT COUNT(*) FROM decisions) AS decisions`
        )
        .get() as typeof counts
      db.close()
    } catch {
      // The database is busy for a moment: the counts stay 0 on this line.
    }
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1)
    io.out(
      `${String(Math.round((now - started) / 1000)).padStart(6)}${String(requests).padStart(10)}${String(Math.round(((requests - lastRequests) * 1000) / Math.max(1, now - lastAt))).padStart(8)}${String(non2xx).padStart(9)}${String(rssMb(svc.child.pid)).padStart(8)}${mb(sizeOf(dbPath)).padStart(8)}${mb(sizeOf(`${dbPath}-wal`)).padStart(8)}${String(counts.checkouts).padStart(11)}${String(counts.withFacts).padStart(12)}${String(counts.decisions).padStart(11)}\n`
    )
    lastRequests = requests
    lastAt = now
  }
  const timer = setInterval(report, every * 1000)
  try {
    await Promise.all(Array.from({ length: connections }, worker))
  } finally {
    clearInterval(timer)
    report()
    const exited = new Promise((res) => svc.child.once('exit', res))
    svc.child.kill('SIGTERM')
    await exited
    rmSync(work, { recursive: true, force: true })
  }
  io.out(`answers by status: ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}\n`)
  if (non2xx > 0 || failures > 0) {
    io.err(`bench:soak: ${non2xx} unexpected non-2xx answers, ${failures} failed requests\n`)
    return 1
  }
  return 0
}

runIfEntry(import.meta, main)
