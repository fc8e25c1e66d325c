// Every command the README lists answers --help with its usage and exit code 0, without side effects.
import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { recordingIo, type Io } from '../../scripts/lib/cli.js'
import { nodeTs } from '../support/node-ts.js'

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
      nodeTs(file, ...args),
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
  // Entries built on scripts/lib/cli.ts export main(argv, io) and answer in process; the others are started once
  // each (a start costs about 1.5 s), and scripts that share an entry (start and dev, rules:*) share that run.
  const files = [...new Set(entries.map(([, file]) => file))]
  const inProcess = (file: string) => readFileSync(`${ROOT}${file}`, 'utf8').includes('runIfEntry(import.meta, main)')
  const results = new Map(
    await Promise.all(
      files.map(async (file) => {
        if (!inProcess(file)) return [file, await run(file, ['--help'])] as const
        const { main } = (await import(`${ROOT}${file}`)) as { main: (argv: string[], io: Io) => Promise<number> }
        const io = recordingIo({ NO_COLOR: '1' })
        return [file, { code: await main(['--help'], io), stdout: io.stdout }] as const
      })
    )
  )
  t.ok(files.filter(inProcess).length >= 5, 'most commands answer in process')
  for (const [name, file] of entries) {
    const { code, stdout } = results.get(file) as { code: number; stdout: string }
    t.equal(code, 0, `${name} --help exits 0`)
    t.match(stdout, /usage/i, `${name} --help prints its usage`)
  }
})
