// Fails when the drizzle schema and the committed migrations disagree: regenerates into a scratch copy and looks for a
// new .sql file.
// (`drizzle-kit check` does not detect drift and `generate` exits 0 either way, hence this script.)
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runIfEntry, type Io } from './lib/cli.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCRATCH = '.migrations-check' // relative on purpose: drizzle-kit's --out must be inside the project; git-ignored
const scratch = join(ROOT, SCRATCH)

const sqlFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
    : []

export async function main(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`usage: npm run db:check

Fails when server/**/*schema.ts and migrations/ disagree: it runs drizzle-kit generate into a scratch copy
and looks for a new migration. After changing a schema, run npm run db:generate and commit migrations/.
`)
    return 0
  }

  rmSync(scratch, { recursive: true, force: true })
  if (existsSync(join(ROOT, 'migrations'))) cpSync(join(ROOT, 'migrations'), scratch, { recursive: true })
  const before = new Set(sqlFiles(scratch))

  // Flags replace the config file, so the dialect, the schema glob and the output are all given here.
  const res = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs'),
      'generate',
      '--dialect',
      'sqlite',
      '--schema',
      './server/**/*schema.ts',
      '--out',
      `./${SCRATCH}`,
      '--name',
      'drift'
    ],
    { cwd: ROOT, encoding: 'utf8' }
  )
  const added = sqlFiles(scratch).filter((f) => !before.has(f))
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim()
  rmSync(scratch, { recursive: true, force: true })

  if (res.status !== 0) {
    io.err(`db:check: drizzle-kit generate failed (exit ${res.status}):\n${output}\n`)
    return 1
  }
  if (added.length > 0) {
    io.err(
      `db:check: the schema and migrations/ disagree: generating would add ${added.join(', ')}.\n` +
        'Run `npm run db:generate` and commit the new migration (never edit a generated one).\n'
    )
    return 1
  }
  io.out(`db:check: migrations/ matches the schema (${before.size} migration${before.size === 1 ? '' : 's'})\n`)
  return 0
}

runIfEntry(import.meta, main)
