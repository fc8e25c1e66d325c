// `npm run test:timing`: runs tap and prints the slowest test processes, each timed from its process start (tap, the
// loader and the app graph included): the suites of test/suites/ by default, or each file named on the command line.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runIfEntry, type Io } from './lib/cli.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PROCESS_INFO = join(ROOT, '.tap', 'processinfo')

const USAGE = `usage: npm run test:timing [-- --top N] [--no-run] [tap arguments...]

Runs tap (without coverage) and lists the slowest test processes by wall time from process start, with the sum
over all of them and the run's wall time: the suites of test/suites/ (several files each, see its README), or,
given test files (npm run test:timing -- test/server/*.test.ts), each file in a process of its own.
--no-run prints the figures of the last run instead.
  --top N     how many to list (default 15)
  --no-run    do not run tap, read .tap/processinfo of the last run
`

type Timing = { file: string; ms: number; date: string }

/** The latest run of every test file: tap's process info holds each file's process runtime. */
export function readTimings(dir = PROCESS_INFO): Timing[] {
  if (!existsSync(dir)) return []
  const latest = new Map<string, Timing>()
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const info = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
      externalID?: string
      runtime?: number
      date?: string
    }
    if (!info.externalID || typeof info.runtime !== 'number' || !info.date) continue
    const seen = latest.get(info.externalID)
    if (!seen || seen.date < info.date)
      latest.set(info.externalID, { file: info.externalID, ms: info.runtime, date: info.date })
  }
  return [...latest.values()].sort((a, b) => b.ms - a.ms)
}

export async function main(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return (io.out(USAGE), 0)
  const args = [...argv]
  let top = 15
  const at = args.indexOf('--top')
  if (at >= 0) {
    top = Number(args[at + 1])
    if (!Number.isInteger(top) || top < 1) return (io.err(`test:timing: --top needs a positive number\n${USAGE}`), 2)
    args.splice(at, 2)
  }
  const noRun = args.includes('--no-run')
  let code = 0
  let wall: number | null = null
  if (!noRun) {
    const started = performance.now()
    // Through the run's PostgreSQL cluster, as `npm run test:unit` starts tap.
    const run = ['--import=./test/support/loader/register.mjs', 'test/support/run-postgres.ts']
    const tap = spawnSync(
      process.execPath,
      [...run, join(ROOT, 'node_modules', '.bin', 'tap'), '--reporter=terse', ...args],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: io.env
      }
    )
    wall = performance.now() - started
    code = tap.status ?? 1
  }
  const timings = readTimings()
  if (timings.length === 0)
    return (io.err('test:timing: no timings found in .tap/processinfo; run the suite first\n'), 1)
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8)
  io.out(`slowest test processes (from process start):\n`)
  for (const x of timings.slice(0, top)) io.out(`${s(x.ms)}  ${x.file}\n`)
  const sum = timings.reduce((n, x) => n + x.ms, 0)
  io.out(`${timings.length} processes, ${s(sum).trim()} summed${wall === null ? '' : `, ${s(wall).trim()} wall`}\n`)
  return code
}

runIfEntry(import.meta, main)
