// Fails when a drizzle schema and its committed migrations disagree (SQLite and PostgreSQL): regenerates into a scratch
// copy and looks for a new .sql file.
// (`drizzle-kit check` does not detect drift and `generate` exits 0 either way, hence this script.)
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCommandArgs, runIfEntry, type Io } from './lib/cli.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCRATCH = '.migrations-check' // relative on purpose: drizzle-kit's --out must be inside the project; git-ignored
const scratch = join(ROOT, SCRATCH)

const sqlFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
    : []

/** One dialect: its schema glob and committed folder, as drizzle.config.ts has them. */
const DIALECTS = [
  { dialect: 'sqlite', schema: './server/**/*schema.ts', folder: 'migrations/sqlite' },
  { dialect: 'postgresql', schema: './server/**/*schema.pg.ts', folder: 'migrations/postgres' }
] as const

export async function main(argv: string[], io: Io): Promise<number> {
  const options = parseCommandArgs('db:check', argv, { help: { type: 'boolean', short: 'h' } }, io)
  if (options === null) return 2
  if (options.help) {
    io.out(`usage: npm run db:check

Fails when a schema and its migrations disagree, for both dialects: server/**/*schema.ts with migrations/sqlite/,
server/**/*schema.pg.ts with migrations/postgres/. It runs drizzle-kit generate into a scratch copy and looks for a
new migration. After changing a schema, run npm run db:generate (both dialects) and commit migrations/.
`)
    return 0
  }

  let failed = false
  for (const { dialect, schema, folder } of DIALECTS) {
    rmSync(scratch, { recursive: true, force: true })
    if (existsSync(join(ROOT, folder))) cpSync(join(ROOT, folder), scratch, { recursive: true })
    const before = new Set(sqlFiles(scratch))
    // Flags replace the config file, so the dialect, the schema glob and the output are all given here.
    const res = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs'),
        'generate',
        '--dialect',
        dialect,
        '--schema',
        schema,
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
      io.err(`db:check: drizzle-kit generate (${dialect}) failed (exit ${res.status}):\n${output}\n`)
      failed = true
    } else if (added.length > 0) {
      io.err(
        `db:check: the ${dialect} schema (${schema}) and ${folder}/ disagree: generating would add ${added.join(', ')}.\n` +
          'Run `npm run db:generate` and commit the new migrations (never edit a generated one).\n'
      )
      failed = true
    } else {
      io.out(
        `db:check: ${folder}/ matches the ${dialect} schema (${before.size} migration${before.size === 1 ? '' : 's'})\n`
      )
    }
  }
  return failed ? 1 : 0
}

runIfEntry(import.meta, main)
