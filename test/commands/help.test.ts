// Every command the README lists answers --help with its usage and exit code 0, in process and without side effects.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { recordingIo, type Io } from '../../scripts/lib/cli.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts

/** The npm scripts that run a TypeScript entry with tsx, and the entry they run. */
const entries = Object.entries(scripts)
  .map(([name, command]) => [name, /^tsx (\S+\.ts)/.exec(command)?.[1]] as const)
  .filter((e): e is readonly [string, string] => e[1] !== undefined)

/** What a running process holds open or listens for: anything an import or a --help answer started shows here. */
function footprint() {
  return {
    resources: process.getActiveResourcesInfo().sort(),
    listeners: ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => `${s}: ${process.listenerCount(s)}`),
    exitCode: process.exitCode
  }
}

t.test('every tsx-run npm script answers --help in process', async (t) => {
  const names = entries.map(([name]) => name)
  for (const expected of [
    'start',
    'dev',
    'rules:check',
    'mint-token',
    'build:extension',
    'build:dashboard',
    'build:thank-you',
    'preview',
    'bench',
    'bench:rules',
    'bench:soak',
    'bench:stats',
    'db:check',
    'db:copy',
    'demo:traffic'
  ]) {
    t.ok(names.includes(expected), `${expected} is checked`)
  }
  // Every entry is built on server/cli.ts: it exports main(argv, io) and runs it only as the process's entry, so
  // importing it here starts nothing and --help is a function call, not a process (test/rules/cli.test.ts keeps the
  // one test that runs a command as a process). Scripts that share an entry (start and dev, rules:*) share the call.
  const files = [...new Set(entries.map(([, file]) => file))]
  const before = footprint()
  const results = new Map<string, { code: number; stdout: string; stderr: string }>()
  for (const file of files) {
    t.match(readFileSync(`${ROOT}${file}`, 'utf8'), /runIfEntry\(import\.meta, main\b/, `${file} runs main as an entry`)
    const { main } = (await import(`${ROOT}${file}`)) as { main?: (argv: string[], io: Io) => Promise<number> }
    t.type(main, 'function', `${file} exports main(argv, io): it is answered in process, never spawned`)
    if (typeof main !== 'function') continue
    const io = recordingIo({ NO_COLOR: '1' })
    results.set(file, { code: await main(['--help'], io), stdout: io.stdout, stderr: io.stderr })
  }
  t.same(footprint(), before, 'importing the entries and answering --help started nothing: no server, child or timer')
  for (const [name, file] of entries) {
    const result = results.get(file)
    if (!result) continue
    t.equal(result.code, 0, `${name} --help exits 0`)
    t.match(result.stdout, /usage/i, `${name} --help prints its usage`)
    t.equal(result.stderr, '', `${name} --help prints nothing on stderr`)
  }
})

t.test('an unknown option is one line on stderr and exit 2, and starts nothing', async (t) => {
  // The service too: a typo such as --watch-rule must not start a server that ignores it. (Not here: the rules CLI,
  // which has its own usage errors, test:timing, which forwards its arguments to tap, bench and preview.)
  const before = footprint()
  for (const file of [
    'server/server.ts',
    'scripts/bench-rules.ts',
    'scripts/bench-stats.ts',
    'scripts/demo-traffic.ts',
    'scripts/build-extension.ts',
    'scripts/build-thank-you.ts',
    'scripts/build-dashboard.ts',
    'scripts/check-migrations.ts',
    'scripts/preview-screenshot.ts'
  ]) {
    const { main } = (await import(`${ROOT}${file}`)) as { main: (argv: string[], io: Io) => Promise<number> }
    const io = recordingIo({ NO_COLOR: '1' })
    t.equal(await main(['--no-such-option'], io), 2, `${file} exits 2`)
    t.match(io.stderr, /^[^\n]*--no-such-option[^\n]*\n$/, `${file} says which option, in one line`)
    t.equal(io.stdout, '', `${file} prints nothing else`)
  }
  t.same(footprint(), before, 'nothing was started')
})
