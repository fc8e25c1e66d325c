// Throwaway PostgreSQL clusters for tests and benchmarks: Debian's server binaries, a free loopback port, a temp dir.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where Debian's postgresql package puts the server binaries (they are not on PATH). */
function findBinDir(): string | null {
  const fromEnv = process.env.PG_BIN_DIR
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(root, versions[0], 'bin') : null
}

export const PG_BIN_DIR = findBinDir()

/**
 * Why a test that needs PostgreSQL cannot run here, or null when it can. In CI a missing server is a failure, not a
 * skip: `.ci/run` installs it, so its absence there means the install step broke.
 */
export function postgresUnavailable(): string | null {
  if (PG_BIN_DIR) return null
  const why = 'PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN_DIR)'
  if (process.env.CI) throw new Error(`${why}: CI must have them`)
  return why
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

export type PostgresCluster = {
  /** A superuser URL on loopback; `databaseUrl(name)` for one database. */
  url: string
  port: number
  databaseUrl(database: string): string
  createDatabase(name: string): string
  stop(): void
  start(): void
  destroy(): void
  /** The server's processes now (the postmaster and its backends), for measuring its CPU (Linux /proc). */
  serverPids(): number[]
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0

/** PostgreSQL refuses to run as root: as root, run the server binaries as the `postgres` OS user. */
function run(bin: string, args: string[]): string {
  const cmd = join(PG_BIN_DIR as string, bin)
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Where a running cluster lives: enough for another process to use it (`attachPostgres`). */
export type ClusterState = { dir: string; port: number }

/** Starts a fresh cluster (about a second): trust on the socket, a password for the `encore` role on loopback. */
export async function startPostgres(): Promise<PostgresCluster & { state: ClusterState }> {
  const unavailable = postgresUnavailable()
  if (unavailable) throw new Error(unavailable)
  const dir = mkdtempSync(join(tmpdir(), 'encore-pg-'))
  chmodSync(dir, 0o777)
  if (isRoot) execFileSync('chown', ['postgres', dir])
  run('initdb', [
    '-D',
    join(dir, 'data'),
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync'
  ])
  const state = { dir, port: await freePort() }
  const cluster = attachPostgres(state)
  cluster.start()
  run('psql', [...psqlArgs(state), "CREATE ROLE encore LOGIN SUPERUSER PASSWORD 'encore'"])
  return { ...cluster, state }
}

const psqlArgs = ({ dir, port }: ClusterState) => [
  '-h',
  dir,
  '-p',
  String(port),
  '-U',
  'postgres',
  '-v',
  'ON_ERROR_STOP=1',
  '-qAtc'
]

/** The cluster at `state`, as `startPostgres` returned it in another process (which started it and will destroy it). */
export function attachPostgres(state: ClusterState): PostgresCluster {
  const { dir, port } = state
  const data = join(dir, 'data')
  const options = [
    `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir}`,
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200'
  ].join(' ')
  const databaseUrl = (database: string) => `postgres://encore:encore@127.0.0.1:${port}/${database}`
  let stopped = false
  const serverPids = () => {
    try {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
      const children = readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((d) => {
          try {
            return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === postmaster
          } catch {
            return false // gone meanwhile
          }
        })
        .map(Number)
      return [postmaster, ...children]
    } catch {
      return []
    }
  }
  return {
    serverPids,
    url: databaseUrl('postgres'),
    port,
    databaseUrl,
    createDatabase(name) {
      run('psql', [...psqlArgs(state), `CREATE DATABASE "${name}" OWNER encore`])
      return databaseUrl(name)
    },
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
      stopped = true
    },
    start() {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'pg.log'), '-w', '-o', options, 'start'])
      stopped = false
    },
    destroy() {
      if (!stopped)
        spawnSync(
          isRoot ? 'runuser' : join(PG_BIN_DIR as string, 'pg_ctl'),
          isRoot
            ? ['-u', 'postgres', '--', join(PG_BIN_DIR as string, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']
            : ['-D', data, '-m', 'immediate', 'stop']
        )
      stopped = true
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
