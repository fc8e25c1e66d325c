// Entry point: configuration, logger, signals (SIGHUP reloads the rules), listen. Only this file listens.
import pc from 'picocolors'
import { ConfigError, loadConfig } from './config.js'
import { buildApp } from './app.js'
import { RulesLoadError } from './plugins/rules-store.js'

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

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(HELP)
  process.exit(0)
}

function fail(message: string): never {
  process.stderr.write(`${pc.red('encore: ')}${message}\n`)
  process.exit(1)
}

let loaded
try {
  loaded = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) fail(`configuration error: ${err.message}`)
  throw err
}
const { config, warnings } = loaded
for (const w of warnings) process.stderr.write(pc.bold(pc.yellow(`\n  !!! WARNING: ${w}\n`)))
if (warnings.length > 0) process.stderr.write('\n')

const watchRules = process.argv.includes('--watch-rules')
const logger = {
  level: config.logLevel,
  // Pretty only for a human at a terminal; JSON lines otherwise.
  ...(process.stdout.isTTY
    ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
    : {}),
  // Belt and braces: no route logs headers or bodies, but a token must never reach a log line.
  redact: ['req.headers.authorization', 'headers.authorization', 'token', '*.token']
}

let app
try {
  app = await buildApp({ config, watchRules, logger })
} catch (err) {
  if (err instanceof RulesLoadError) fail(err.message)
  fail(`could not start: ${(err as Error).message}`)
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
  fail(`could not listen on ${config.host}:${config.port}: ${(err as Error).message}`)
}
if (watchRules) app.log.info(`watching ${config.rulesDir} for changes`)
