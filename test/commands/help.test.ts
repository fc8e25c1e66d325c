// Every command the README lists answers --help with its usage and exit code 0, without side effects: the one
// spawned run of each command-line entry (their other tests call main() in process).
import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts

/** The npm scripts that run a TypeScript entry with tsx, and the entry they run. */
const entries = Object.entries(scripts)
  .map(([name, command]) => [name, /^tsx (\S+\.ts)/.exec(command)?.[1]] as const)
  .filter((e): e is readonly [string, string] => e[1] !== undefined)

function run(file: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout })
      }
    )
  })
}

t.test('every tsx-run npm script answers --help', async (t) => {
  const names = entries.map(([name]) => name)
  for (const expected of [
    'start',
    'dev',
    'rules:check',
    'mint-token',
    'build:extension',
    'preview',
    'bench',
    'bench:rules',
    'db:check'
  ]) {
    t.ok(names.includes(expected), `${expected} is checked`)
  }
  // Scripts that share an entry (start and dev, the rules:* commands) share one process: a start costs about 1.5 s.
  const files = [...new Set(entries.map(([, file]) => file))]
  const results = new Map(await Promise.all(files.map(async (file) => [file, await run(file, ['--help'])] as const)))
  for (const [name, file] of entries) {
    const { code, stdout } = results.get(file) as { code: number; stdout: string }
    t.equal(code, 0, `${name} --help exits 0`)
    t.match(stdout, /usage/i, `${name} --help prints its usage`)
  }
})
