// Load benchmark of POST /api/offer: the real service (separate process) on generated rulesets of 10, 100 and 1,000
// rules, against a bare Fastify baseline that verifies the same tokens and returns a fixed offer. Prints a table.
// Usage: npm run bench [-- --duration 5 --connections 32 --rules 10,100,1000]
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { mintCheckoutToken } from '../server/checkout-token.js'
import { generateCheckout, generateRuleFiles, productPool, rng } from '../test/support/rules-generate.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SECRET = 'encore-bench-secret-0123456789abcdef'
const API_KEY = 'encore-bench-api-key'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}

/** The baseline: verify the checkout token exactly as the service does, then answer a fixed offer. */
async function runBaselineServer(): Promise<void> {
  const { default: Fastify } = await import('fastify')
  const { default: fastifyJwt } = await import('@fastify/jwt')
  const app = Fastify({ logger: false })
  await app.register(fastifyJwt, {
    secret: SECRET,
    verify: {
      algorithms: ['HS256'],
      allowedIss: 'shopify',
      maxAge: 3600,
      requiredClaims: ['iss', 'sub', 'iat'],
      cache: true
    }
  })
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
    try {
      const payload = await request.jwtVerify<{
        sub: string
        input_data: { initialPurchase: { referenceId: string } }
      }>()
      if (payload.sub !== payload.input_data.initialPurchase.referenceId)
        return reply.code(401).send({ error: { code: 'TOKEN_SUBJECT_MISMATCH', message: '' } })
    } catch {
      return reply.code(401).send({ error: { code: 'TOKEN_INVALID', message: '' } })
    }
    return fixed
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  process.stdout.write(
    `Server listening at http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`
  )
}

type Started = { url: string; child: ChildProcess }

async function start(args: string[], env: Record<string, string>, logFile: string): Promise<Started> {
  const fd = openSync(logFile, 'w')
  // --profile DIR: a V8 CPU profile of each server process, written when it stops (open it in Chrome's DevTools).
  const profile = arg('profile', '')
  const prof = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
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

type Row = { name: string; rules: number | null; rps: number; p50: number; p99: number; non2xx: number; errors: number }

async function load(
  url: string,
  tokens: string[],
  seconds: number,
  connections: number
): Promise<Omit<Row, 'name' | 'rules'>> {
  let next = 0
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/offer',
        body: '{}',
        // A different checkout on every request, as in production (no request repeats a token within a run).
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
    errors: result.errors + result.timeouts
  }
}

const HELP = `usage: npm run bench [-- --duration 5 --connections 32 --rules 10,100,1000 --checkouts 300 --profile DIR]

Starts the service as a separate process on generated rulesets of each size and drives POST /api/offer
with autocannon, a fresh checkout token on every request; right before each case it drives a baseline
(a bare Fastify process that verifies the same tokens and answers a fixed offer). Prints req/s, p50, p99,
non-2xx and the ratio to the adjacent baseline. Takes about (2 x duration + 3 s) per size.
`

async function main(): Promise<void> {
  if (process.argv.includes('--baseline-server')) return runBaselineServer()
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP)
    return
  }
  const seconds = Number(arg('duration', '5'))
  const connections = Number(arg('connections', '32'))
  const sizes = arg('rules', '10,100,1000').split(',').map(Number)
  const shapes = Number(arg('checkouts', '300'))
  const work = mkdtempSync(join(tmpdir(), 'encore-bench-'))
  const rows: Row[] = []
  try {
    // A few hundred varied carts, each minted under many referenceIds so every request is a fresh checkout.
    const perRun = Math.max(30_000, Math.ceil(seconds * 6000))
    process.stdout.write(`minting ${perRun} checkout tokens from ${shapes} varied checkouts...\n`)
    const r = rng(42)
    const pool = productPool(Math.max(20, Math.round(Math.max(...sizes) / 2)))
    const carts = Array.from({ length: shapes }, (_, i) => generateCheckout(r, i, pool))
    const mint = (run: string, count = perRun) =>
      Array.from({ length: count }, (_, i) => {
        const input = structuredClone(carts[i % shapes]) as { initialPurchase: { referenceId: string } }
        input.initialPurchase.referenceId = `bench-${run}-${i}`
        return mintCheckoutToken(input, SECRET)
      })

    // Machines here are shared and their load drifts: each case runs right after its own baseline run,
    // and its ratio is taken against that adjacent baseline.
    const base = await start([fileURLToPath(import.meta.url), '--baseline-server'], {}, join(work, 'baseline.log'))
    await load(base.url, mint('warm-base', 2000), 1, connections)
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
        process.stdout.write(
          `${n} rules: baseline (bare Fastify, verify + fixed offer), then the service, ${seconds}s each x ${connections} connections...\n`
        )
        rows.push({ name: 'baseline', rules: n, ...(await load(base.url, mint(`base${n}`), seconds, connections)) })
        const svc = await start(
          ['server/server.ts'],
          {
            NODE_ENV: 'production',
            SHOPIFY_API_SECRET: SECRET,
            SHOPIFY_API_KEY: API_KEY,
            SHOPIFY_APP_URL: 'https://encore-bench.example.com',
            PORT: '0',
            HOST: '127.0.0.1',
            DATABASE_PATH: join(work, `bench-${n}.db`),
            RULES_DIR: rulesDir,
            LOG_LEVEL: 'info'
          },
          join(work, `service-${n}.log`)
        )
        const tokens = mint(`r${n}`)
        await load(svc.url, mint(`warm${n}`, 2000), 1, connections)
        rows.push({ name: 'service', rules: n, ...(await load(svc.url, tokens, seconds, connections)) })
        await stop(svc)
      }
    } finally {
      await stop(base)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }

  const pad = (s: string, n: number) => s.padStart(n)
  const lines = [
    `POST /api/offer, ${connections} connections, ${seconds}s per case, a fresh checkout token on every request`,
    `${'case'.padEnd(20)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('non-2xx', 9)}${pad('errors', 8)}${pad('ratio', 7)}`
  ]
  let baseRps = 1
  for (const row of rows) {
    if (row.name === 'baseline') baseRps = Math.max(1, row.rps)
    const name = row.name === 'baseline' ? `  baseline` : `service ${row.rules} rules`
    const ratio = row.name === 'baseline' ? '' : (row.rps / baseRps).toFixed(2)
    lines.push(
      `${name.padEnd(20)}${pad(String(row.rps), 8)}${pad(String(row.p50), 8)}${pad(String(row.p99), 8)}${pad(String(row.non2xx), 9)}${pad(String(row.errors), 8)}${pad(ratio, 7)}`
    )
  }
  process.stdout.write(`\n${lines.join('\n')}\n`)
  const bad = rows.filter((r) => r.non2xx > 0 || r.errors > 0)
  if (bad.length > 0) {
    process.stderr.write(`bench: non-2xx answers or errors in ${bad.map((r) => r.name + (r.rules ?? '')).join(', ')}\n`)
    process.exit(1)
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
