// Benchmarks rule evaluation: the fast path (index + compiled conditions) against plain
// json-rules-engine on the same generated rules and checkouts, in the same run.
import { buildFacts, decide, loadRulesFromFiles, type Facts, type Ruleset } from '../server/rules/index.js'
import { decideNaive } from '../server/rules/tooling/reference-engine.js'
import { generateCheckout, generateRuleFiles, productPool, rng } from './lib/rules-generate.js'
import { parseCommandArgs, runIfEntry, type Io } from './lib/cli.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const CHECKOUTS = 200

function load(size: number): { ruleset: Ruleset; loadMs: number } {
  const files = generateRuleFiles({ rules: size, seed: 42 })
  const t0 = performance.now()
  const result = loadRulesFromFiles(files, { now: NOW })
  const loadMs = performance.now() - t0
  if (!result.ok) throw new Error(`generated rules are invalid: ${result.errors[0]?.message}`)
  return { ruleset: result.ruleset, loadMs }
}

function timeFast(ruleset: Ruleset, facts: Facts[]): number {
  for (let i = 0; i < 2000; i++)
    decide(ruleset, facts[i % facts.length] as Facts, { referenceId: `c-${i % facts.length}` })
  let n = 0
  const t0 = performance.now()
  do {
    for (let i = 0; i < facts.length; i++) decide(ruleset, facts[i] as Facts, { referenceId: `c-${i}` })
    n += facts.length
  } while (performance.now() - t0 < 400)
  return ((performance.now() - t0) * 1000) / n
}

/** explain: true evaluates every rule and every condition: the fast path's upper bound. */
function timeExplain(ruleset: Ruleset, facts: Facts[], iterations: number): number {
  const t0 = performance.now()
  for (let i = 0; i < iterations; i++)
    decide(ruleset, facts[i % facts.length] as Facts, { referenceId: `c-${i}`, explain: true })
  return ((performance.now() - t0) * 1000) / iterations
}

async function timeNaive(ruleset: Ruleset, facts: Facts[], iterations: number): Promise<number> {
  await decideNaive(ruleset, facts[0] as Facts, { referenceId: 'c-0' })
  const t0 = performance.now()
  for (let i = 0; i < iterations; i++)
    await decideNaive(ruleset, facts[i % facts.length] as Facts, { referenceId: `c-${i % facts.length}` })
  return ((performance.now() - t0) * 1000) / iterations
}

/** Sampling naive sparingly at large sizes keeps the whole run near a minute. */
const naiveIterations = (size: number) => (size <= 10 ? 400 : size <= 100 ? 150 : size <= 1000 ? 25 : 3)

export async function main(argv: string[], io: Io): Promise<number> {
  const values = parseCommandArgs(
    'bench:rules',
    argv,
    {
      sizes: { type: 'string', default: '10,100,1000,10000' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    },
    io
  )
  if (values === null) return 2
  if (values.help) {
    io.out(`Usage: npm run bench:rules [-- --sizes 10,100,1000,10000] [--json]

For each size, generates that many rules (70% target products, 20% countries, 10% neither) and
200 checkouts, then times decide() (fast path), decide() with explain: true (every rule, every
condition: the upper bound), and json-rules-engine's engine.run() over every rule plus the same
selection (naive), and checks that fast and naive reach the same decisions.\n`)
    return 0
  }

  const fmt = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`)
  const rows: Record<string, unknown>[] = []
  if (!values.json) {
    io.out(`Node ${process.version}, ${CHECKOUTS} generated checkouts per size\n\n`)
    io.out(
      `${'rules'.padStart(6)}  ${'load'.padStart(9)}  ${'fast/eval'.padStart(10)}  ${'explain/eval'.padStart(12)}  ${'naive/eval'.padStart(11)}  ${'speed-up'.padStart(9)}  agreement\n`
    )
  }
  for (const size of (values.sizes ?? '')
    .split(',')
    .map(Number)
    .filter((n) => n > 0)) {
    const { ruleset, loadMs } = load(size)
    const products = productPool(Math.max(20, Math.round(size / 2)))
    const r = rng(7)
    const facts = Array.from({ length: CHECKOUTS }, (_, i) =>
      buildFacts(generateCheckout(r, i, products), { now: NOW })
    )
    const fastUs = timeFast(ruleset, facts)
    const iterations = naiveIterations(size)
    const explainUs = timeExplain(ruleset, facts, Math.max(20, iterations * 4))
    const naiveUs = await timeNaive(ruleset, facts, iterations)
    let agree = 0
    let offers = 0
    for (let i = 0; i < iterations; i++) {
      const f = facts[i % facts.length] as Facts
      const a = decide(ruleset, f, { referenceId: `c-${i}` })
      const b = await decideNaive(ruleset, f, { referenceId: `c-${i}` })
      if (JSON.stringify(a) === JSON.stringify(b)) agree++
      if (a.ruleId) offers++
    }
    const row = {
      rules: size,
      loadMs: Math.round(loadMs),
      fastUs: Number(fastUs.toFixed(2)),
      explainUs: Number(explainUs.toFixed(1)),
      naiveUs: Number(naiveUs.toFixed(1)),
      speedup: Number((naiveUs / fastUs).toFixed(1)),
      naiveSamples: iterations,
      agree,
      offers
    }
    rows.push(row)
    if (!values.json) {
      io.out(
        `${String(size).padStart(6)}  ${`${row.loadMs} ms`.padStart(9)}  ${fmt(fastUs).padStart(10)}  ${fmt(explainUs).padStart(12)}  ${fmt(naiveUs).padStart(11)}  ${`${row.speedup}x`.padStart(9)}  ${agree}/${iterations} same decisions (${offers} offers)\n`
      )
    }
  }
  if (values.json) io.out(`${JSON.stringify(rows, null, 2)}\n`)
  if (rows.some((r) => r.agree !== r.naiveSamples)) {
    io.err('fast and naive paths disagree: see test/rules/fast-path-agreement.test.ts\n')
    return 1
  }
  return 0
}

runIfEntry(import.meta, main)
