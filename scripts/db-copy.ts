// Copies an existing SQLite database (DATABASE_PATH) into an empty PostgreSQL database (DATABASE_URL), both migrated
// first: the one step of moving an installation to several instances.
import { existsSync } from 'node:fs'
import { openDatabase } from '../server/db/open-database.js'
import { openPostgres } from '../server/db/open-postgres.js'
import { copySqliteToPostgres, CopyRefusedError } from '../server/db/copy-to-postgres.js'

const USAGE = `usage: npm run db:copy -- --from ./data/encore.db --to postgres://user:password@host:5432/database

Copies every table of the SQLite file into the PostgreSQL database (both are migrated first), ids kept, in one
transaction. The target must hold no decisions or acceptances yet. --from and --to default to DATABASE_PATH and
DATABASE_URL. Stop the SQLite instance first, so nothing is written during the copy.
`

function fail(message: string, code = 1): never {
  process.stderr.write(`db:copy: ${message}\n`)
  process.exit(code)
}

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE)
  process.exit(0)
}
let from = process.env.DATABASE_PATH
let to = process.env.DATABASE_URL
for (let i = 0; i < args.length; i++) {
  const a = args[i]
  if (a === '--from') from = args[++i]
  else if (a === '--to') to = args[++i]
  else fail(`unknown argument ${a}\n${USAGE}`, 2)
}
if (!from) fail(`name the SQLite file (--from or DATABASE_PATH)\n${USAGE}`, 2)
if (!to || !/^postgres(ql)?:\/\//.test(to)) fail(`name the PostgreSQL database (--to or DATABASE_URL)\n${USAGE}`, 2)
if (!existsSync(from)) fail(`${from} does not exist`, 2)

const sqlite = openDatabase(from)
let pg
try {
  pg = await openPostgres({ url: to, poolMax: 2 })
} catch (err) {
  sqlite.sqlite.close()
  fail(`cannot open the PostgreSQL database: ${(err as Error).message}`)
}
try {
  const copied = await copySqliteToPostgres(sqlite.sqlite, pg.pool)
  for (const [table, n] of Object.entries(copied)) process.stdout.write(`${table.padEnd(28)} ${n}\n`)
  process.stdout.write(`db:copy: copied ${from} into PostgreSQL\n`)
} catch (err) {
  if (err instanceof CopyRefusedError) fail(err.message)
  fail(`the copy failed and was rolled back: ${(err as Error).message}`)
} finally {
  sqlite.sqlite.close()
  await pg.pool.end()
}
