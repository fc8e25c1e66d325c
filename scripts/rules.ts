// The rules CLI: `check` validates a rules directory, `simulate` explains one checkout's offer,
// `test` runs rules/tests. Exit 0 on success, 1 on errors or failed tests, 2 on bad usage.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import pc from 'picocolors'
import {
  buildFacts,
  decide,
  formatDiagnostics,
  loadRulesDir,
  RulesError,
  SURFACES,
  type CatalogFacts,
  type Diagnostic,
  type History,
  type LoadResult,
  type Surface
} from '../server/rules/index.js'
import { renderDecision, renderFacts, renderRules } from '../server/rules/tooling/render-explanation.js'
import { runRuleTests, withReferenceId } from '../server/rules/tooling/run-rule-tests.js'
import { didYouMean } from '../server/rules/suggest.js'
import { runIfEntry, type Io } from './lib/cli.js'

const HELP: Record<string, string> = {
  main: `Usage: tsx scripts/rules.ts <command> [options]

Commands:
  check [DIR]                 validate every file of a rules directory
  simulate <fixture|file>     which offer a checkout gets, and why (--surface thank_you for the Thank-you page)
  test [DIR]                  run the rule tests in DIR/tests

Run "tsx scripts/rules.ts <command> --help" for a command's options.`,
  check: `Usage: npm run rules:check [-- DIR] [--json] [--strict]

Validates offers/, conditions/, fixtures/ and tests/ under DIR (default: $RULES_DIR or ./rules).
Errors name the file, JSON pointer, line and column, and what was expected; exit 1 when there is any.
Warnings (exit 0): priority ties, unknown facts or paths, operators that cannot apply to a fact's
type, next pointing at a missing rule or looping, weights not summing to 100, ended schedules,
offering a product the conditions require in the cart.

Options:
  --strict     unknown facts and paths (UNKNOWN_FACT, UNKNOWN_PATH) are errors, not warnings: a typo in a
               notIn must not show an offer to everyone (npm test checks the sample rules this way)
  --json       print { ok, hash, count, errors, warnings } as JSON
  -h, --help   show this help`,
  simulate: `Usage: npm run rules:simulate -- <fixture name or file> [options]

Shows which offer the checkout gets and why: every rule in selection order, every condition with
the fact value it saw.

Options:
  --dir DIR          rules directory (default: $RULES_DIR or ./rules)
  --at TIME          evaluation time, ISO 8601 (default: now), e.g. 2026-11-25T12:00:00Z
  --history JSON     what this checkout already saw, e.g. '{"declined":["wool-socks-with-boots"]}'
  --catalog JSON     catalog facts, e.g. '{"customer":{"tags":["vip"],"numberOfOrders":4}}'
  --only IDS         consider only these rule ids (comma-separated), as a next chain does
  --surface PAGE     post_purchase (default) or thank_you: the page the offer is for (the surface fact)
  --json             print { referenceId, facts, decision } with the full explanation as JSON
  -h, --help         show this help`,
  test: `Usage: npm run rules:test [-- DIR] [--json]

Runs every test in DIR/tests/*.json (default DIR: $RULES_DIR or ./rules), prints each result and,
for a failure, the explanation. Exit 1 when any test fails.

Options:
  --json       print { passed, failed, results } as JSON
  -h, --help   show this help`
}

class UsageError extends Error {}

const sortDiagnostics = (d: Diagnostic[]) =>
  [...d].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column))

/** What every command prints through, derived from the io it was given. */
type Ctx = {
  color: boolean
  c: ReturnType<typeof pc.createColors>
  print(s: string): void
  err(s: string): void
  defaultDir(): string
}

function contextFor(io: Io): Ctx {
  const color = io.tty && !('NO_COLOR' in io.env)
  return {
    color,
    c: pc.createColors(color),
    print: (s) => io.out(s.endsWith('\n') || s === '' ? s : `${s}\n`),
    err: (s) => io.err(s),
    defaultDir: () => io.env.RULES_DIR || 'rules'
  }
}

/** The warnings --strict turns into errors: each lets a condition read undefined, which a notIn then matches. */
export const STRICT_CODES: ReadonlySet<string> = new Set(['UNKNOWN_FACT', 'UNKNOWN_PATH'])

/** A load result with the strict codes promoted to errors (the ruleset is then invalid). */
export function strictly(result: LoadResult): LoadResult {
  const promoted = result.warnings
    .filter((w) => STRICT_CODES.has(w.code))
    .map((w) => ({ ...w, severity: 'error' as const }))
  if (promoted.length === 0) return result
  const warnings = result.warnings.filter((w) => !STRICT_CODES.has(w.code))
  return { ok: false, errors: [...(result.ok ? [] : result.errors), ...promoted], warnings }
}

function parseJsonOption<T>(name: string, text: string | undefined): T | undefined {
  if (text === undefined) return undefined
  try {
    const v = JSON.parse(text) as unknown
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object')
    return v as T
  } catch (err) {
    throw new UsageError(`--${name}: expected a JSON object, got ${JSON.stringify(text)} (${(err as Error).message})`)
  }
}

async function load({ print, c, color }: Ctx, dir: string, json: boolean): Promise<(LoadResult & { ok: true }) | null> {
  const result = await loadRulesDir(resolve(dir))
  if (result.ok) return result
  if (json) print(JSON.stringify({ ok: false, errors: result.errors, warnings: result.warnings }, null, 2))
  else
    print(
      `${c.red(c.bold(`${dir}: invalid rules`))}\n${formatDiagnostics(sortDiagnostics([...result.errors, ...result.warnings]), { color })}`
    )
  return null
}

async function check(ctx: Ctx, args: string[]): Promise<number> {
  const { print, c, color } = ctx
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }
  })
  if (values.help) return (print(HELP.check as string), 0)
  if (positionals.length > 1) throw new UsageError(`check takes one directory, got ${positionals.join(' ')}`)
  const dir = positionals[0] ?? ctx.defaultDir()
  const loaded = await loadRulesDir(resolve(dir))
  const result = values.strict ? strictly(loaded) : loaded
  if (values.json) {
    print(
      JSON.stringify(
        result.ok
          ? { ok: true, hash: result.ruleset.hash, count: result.ruleset.count, errors: [], warnings: result.warnings }
          : { ok: false, errors: result.errors, warnings: result.warnings },
        null,
        2
      )
    )
    return result.ok ? 0 : 1
  }
  const diagnostics = result.ok ? result.warnings : sortDiagnostics([...result.errors, ...result.warnings])
  if (diagnostics.length > 0) print(formatDiagnostics(diagnostics, { color }))
  if (!result.ok) return (print(c.red(`${dir}: invalid, fix the errors above`)), 1)
  const rs = result.ruleset
  print(
    `${c.green('✓')} ${dir}: ${rs.count} rules, ${Object.keys(rs.conditions).length} named conditions, ${Object.keys(rs.fixtures).length} fixtures, ${Object.values(rs.tests).flat().length} tests; hash ${rs.hash.slice(0, 12)}`
  )
  return 0
}

function readCheckout(arg: string, fixtures: Readonly<Record<string, unknown>>): { input: unknown; label: string } {
  if (Object.prototype.hasOwnProperty.call(fixtures, arg)) return { input: fixtures[arg], label: `fixture ${arg}` }
  if (arg.endsWith('.json') || arg.includes('/')) {
    if (!existsSync(arg)) throw new UsageError(`no such file: ${arg}`)
    try {
      const text = readFileSync(arg, 'utf8')
      // A hand-written checkout may leave out the referenceId: derive a stable one from its content.
      return { input: withReferenceId(JSON.parse(text), 'sim', text), label: `file ${arg}` }
    } catch (err) {
      throw new UsageError(`${arg}: not valid JSON (${(err as Error).message})`)
    }
  }
  throw new UsageError(
    `no fixture "${arg}"${didYouMean(arg, Object.keys(fixtures))}; expected a fixture name (${Object.keys(fixtures).join(', ')}) or a file path`
  )
}

async function simulate(ctx: Ctx, args: string[]): Promise<number> {
  const { print, c } = ctx
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      at: { type: 'string' },
      history: { type: 'string' },
      catalog: { type: 'string' },
      only: { type: 'string' },
      surface: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) return (print(HELP.simulate as string), 0)
  const surface = (values.surface ?? 'post_purchase') as Surface
  if (!SURFACES.includes(surface))
    throw new UsageError(`--surface: expected ${SURFACES.join(' or ')}, got ${JSON.stringify(values.surface)}`)
  if (positionals.length !== 1) throw new UsageError('simulate takes exactly one fixture name or file')
  const now = values.at === undefined ? new Date() : new Date(values.at)
  if (Number.isNaN(now.getTime()))
    throw new UsageError(
      `--at: expected an ISO 8601 time such as 2026-11-25T12:00:00Z, got ${JSON.stringify(values.at)}`
    )
  const history = parseJsonOption<Partial<History>>('history', values.history)
  const catalog = parseJsonOption<CatalogFacts>('catalog', values.catalog)
  const dir = values.dir ?? ctx.defaultDir()
  const loaded = await load(ctx, dir, values.json === true)
  if (!loaded) return 1
  const { input, label } = readCheckout(positionals[0] as string, loaded.ruleset.fixtures)
  let facts
  try {
    facts = buildFacts(input, { history, now, catalog, surface })
  } catch (err) {
    if (err instanceof RulesError) throw new UsageError(`${label}: ${err.message}`)
    throw err
  }
  const referenceId = (input as { initialPurchase: { referenceId: string } }).initialPurchase.referenceId
  const only = values.only
    ? values.only
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined
  const decision = decide(loaded.ruleset, facts, { referenceId, explain: true, ...(only ? { only } : {}) })
  if (values.json) return (print(JSON.stringify({ referenceId, facts, decision }, null, 2)), 0)
  print(
    [
      `${c.bold(`Checkout ${referenceId}`)} (${label}), ruleset ${loaded.ruleset.hash.slice(0, 12)}`,
      ...renderFacts(facts),
      '',
      ...renderDecision(decision, c),
      '',
      c.bold('Rules, in selection order (priority, then id):'),
      // Conditions of rules skipped before evaluation (disabled, schedule, history) are noise here; --json has them.
      ...renderRules(decision.explanation?.rules ?? [], c, {
        conditionsFor: (r) => ['won', 'matched', 'not_matched'].includes(r.status)
      })
    ].join('\n')
  )
  return 0
}

async function test(ctx: Ctx, args: string[]): Promise<number> {
  const { print, c } = ctx
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }
  })
  if (values.help) return (print(HELP.test as string), 0)
  if (positionals.length > 1) throw new UsageError(`test takes one directory, got ${positionals.join(' ')}`)
  const dir = positionals[0] ?? ctx.defaultDir()
  const loaded = await load(ctx, dir, values.json === true)
  if (!loaded) return 1
  const results = runRuleTests(loaded.ruleset)
  const failed = results.filter((r) => !r.pass)
  if (values.json) {
    print(JSON.stringify({ passed: results.length - failed.length, failed: failed.length, results }, null, 2))
    return failed.length > 0 ? 1 : 0
  }
  for (const r of results) {
    print(`${r.pass ? c.green('✓ pass') : c.red('✗ FAIL')}  ${c.dim(`${r.file} ›`)} ${r.name}`)
    if (r.pass) continue
    for (const f of r.failures) print(`      ${c.red(f)}`)
    // Conditions only for the rules that matter: the expected one and the one that won.
    const relevant = new Set([r.expected.offer, r.actual.offer].filter((x) => x !== null))
    print(
      renderRules(r.decision.explanation?.rules ?? [], c, { conditionsFor: (x) => relevant.has(x.ruleId) })
        .map((l) => `    ${l}`)
        .join('\n')
    )
  }
  const summary = `${results.length - failed.length} passed, ${failed.length} failed (${results.length} tests, ruleset ${loaded.ruleset.hash.slice(0, 12)})`
  print(failed.length > 0 ? c.red(summary) : c.green(summary))
  if (results.length === 0) print(c.yellow(`no tests found in ${dir}/tests`))
  return failed.length > 0 ? 1 : 0
}

export async function main(argv: string[], io: Io): Promise<number> {
  const ctx = contextFor(io)
  const { c } = ctx
  const [command, ...rest] = argv
  try {
    if (command === 'check') return await check(ctx, rest)
    if (command === 'simulate') return await simulate(ctx, rest)
    if (command === 'test') return await test(ctx, rest)
    if (command === undefined || command === '--help' || command === '-h' || command === 'help')
      return (ctx.print(HELP.main as string), command ? 0 : 2)
    throw new UsageError(`unknown command "${command}"; expected check, simulate or test`)
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      ctx.err(
        `${c.red('error:')} ${(err as Error).message}\n${c.dim(`see: tsx scripts/rules.ts ${command && HELP[command] ? `${command} ` : ''}--help`)}\n`
      )
      return 2
    }
    throw err
  }
}

runIfEntry(import.meta, main)
