// Entry point: configuration, logger, signals (SIGHUP reloads the rules), listen. Only this file listens.
import pc from 'picocolors'
import { runIfEntry, type Io } from './cli.js'

const HELP = `Usage: npm start            serve the rules (RULES_DIR) on HOST:PORT
       npm run dev          the same, reloading the rules whenever a file changes (--watch-rules)

Configuration comes from the environment and is validated before anything starts:
  SHOPIFY_API_KEY, SHOPIFY_API_SECRET   the app's credentials (development values with a warning when unset;
                                         NODE_ENV=production refuses the development secret)
  PORT, HOST                            where to listen (3000, 127.0.0.1)
  DATABASE_PATH                         the SQLite file (./data/encore.db), created and migrated at start
  DATABASE_URL                          postgres://user:password@host:5432/db: the offer service on PostgreSQL
                                         (several instances on one database); wins over DATABASE_PATH
  DATABASE_POOL_MAX                     PostgreSQL connections per instance (10)
  RULES_DIR                             the rule files (./rules)
  ADMIN_TOKEN                           bearer token for /admin/* (unset: 503)
  LOG_LEVEL                             pino level (info)
The Shopify install settings are in docs/shopify.md. SIGHUP reloads the rules.
`

/** `npm start` and `npm run dev`: answers --help, or boots and listens (the returned 0 leaves the service running). */
export async function main(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP)
    return 0
  }
  // A typo (`--watch-rule`) must not start a server that silently ignores it.
  const unknown = argv.find((a) => a !== '--watch-rules')
  if (unknown !== undefined) {
    io.err(`encore: unknown argument ${unknown}; expected --watch-rules or --help\n`)
    return 2
  }
  return serve(argv, io)
}

/** Boots the service; a failure before it listens is one clear line on stderr and exit code 1. */
async function serve(argv: string[], io: Io): Promise<number> {
  const fail = (message: string) => {
    io.err(`${pc.red('encore: ')}${message}\n`)
    return 1
  }

  // Imported here, not above: the configuration (with the Shopify library it validates against) and the app (Fastify,
  // the databases) take over a second to load, and --help (or a test importing main) needs none of it.
  const { ConfigError, loadConfig } = await import('./config.js')
  let loaded
  try {
    loaded = loadConfig(io.env)
  } catch (err) {
    if (err instanceof ConfigError) return fail(`configuration error: ${err.message}`)
    throw err
  }
  const { config, warnings } = loaded
  for (const w of warnings) io.err(pc.bold(pc.yellow(`\n  !!! WARNING: ${w}\n`)))
  if (warnings.length > 0) io.err('\n')

  const watchRules = argv.includes('--watch-rules')
  const logger = {
    level: config.logLevel,
    // Pretty only for a human at a terminal; JSON lines otherwise.
    ...(io.tty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
    // Belt and braces: no route logs headers or bodies, but a token must never reach a log line.
    redact: ['req.headers.authorization', 'headers.authorization', 'token', '*.token']
  }

  const { buildApp } = await import('./app.js')
  const { RulesLoadError } = await import('./plugins/rules-store.js')
  let app
  try {
    app = await buildApp({ config, watchRules, logger })
  } catch (err) {
    if (err instanceof RulesLoadError) return fail(err.message)
    return fail(`could not start: ${(err as Error).message}`)
  }

  process.on('SIGHUP', () => {
    app.log.info('SIGHUP: reloading rules')
    app.rules.reload().catch((err: unknown) => app.log.error({ err }, 'rules reload failed'))
  })
  let closing = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1)
      closing = true
      app.log.info(`${signal}: closing`)
      app.close().then(
        () => process.exit(0),
        () => process.exit(1)
      )
    })
  }

  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    return fail(`could not listen on ${config.host}:${config.port}: ${(err as Error).message}`)
  }
  if (watchRules) app.log.info(`watching ${config.rulesDir} for changes`)
  return 0
}

// A failed boot exits at once: what it opened before failing (a database pool, a log transport) must not keep the
// process alive.
runIfEntry(import.meta, main, { exitOnFailure: true })
