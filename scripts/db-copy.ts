// Copies an existing SQLite database (DATABASE_PATH) into an empty PostgreSQL database (DATABASE_URL), both migrated
// first: the one step of moving an installation to several instances.
import { existsSync } from 'node:fs'
import { runIfEntry, type Io } from './lib/cli.js'

const USAGE = `usage: npm run db:copy -- --from ./data/encore.db --to postgres://user:password@host:5432/database

Copies every table of the SQLite file into the PostgreSQL database (both are migrated first), ids kept, in one
transaction. The target must hold no decisions or acceptances yet. --from and --to default to DATABASE_PATH and
DATABASE_URL. Stop the SQLite instance first, so nothing is written during the copy.
`

export async function main(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE)
    return 0
  }
  const fail = (message: string, code = 1) => {
    io.err(`db:copy: ${message}\n`)
    return code
  }
  let from = io.env.DATABASE_PATH
  let to = io.env.DATABASE_URL
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--from') from = args[++i]
    else if (a === '--to') to = args[++i]
    else return fail(`unknown argument ${a}\n${USAGE}`, 2)
  }
  if (!from) return fail(`name the SQLite file (--from or DATABASE_PATH)\n${USAGE}`, 2)
  if (!to || !/^postgres(ql)?:\/\//.test(to))
    return fail(`name the PostgreSQL database (--to or DATABASE_URL)\n${USAGE}`, 2)
  if (!existsSync(from)) return fail(`${from} does not exist`, 2)

  // Imported here: the database drivers and schemas are not needed to answer --help or a usage error.
  const [{ openDatabase }, { openPostgres }, { copySqliteToPostgres, CopyRefusedError }] = await Promise.all([
    import('../server/db/open-database.js'),
    import('../server/db/open-postgres.js'),
    import('../server/db/copy-to-postgres.js')
  ])
  const sqlite = openDatabase(from)
  let pg
  try {
    pg = await openPostgres({ url: to, poolMax: 2 })
  } catch (err) {
    sqlite.sqlite.close()
    return fail(`cannot open the PostgreSQL database: ${(err as Error).message}`)
  }
  try {
    const copied = await copySqliteToPostgres(sqlite.sqlite, pg.pool)
    for (const [table, n] of Object.entries(copied)) io.out(`${table.padEnd(28)} ${n}\n`)
    io.out(`db:copy: copied ${from} into PostgreSQL\n`)
    return 0
  } catch (err) {
    if (err instanceof CopyRefusedError) return fail(err.message)
    return fail(`the copy failed and was rolled back: ${(err as Error).message}`)
  } finally {
    sqlite.sqlite.close()
    await pg.pool.end()
  }
}

runIfEntry(import.meta, main)
