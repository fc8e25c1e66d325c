// One throwaway PostgreSQL cluster for a whole tap run: `npm run test:unit` starts tap through this file, which starts
// the cluster, hands it to every test file in ENCORE_TEST_POSTGRES (each creates its own databases in it, see
// test/support/databases.ts) and removes it when tap exits. Otherwise every file that needs PostgreSQL starts a
// cluster of its own (about a second of CPU and a few of wall each), as it still does when run alone.
// Usage: node --import=./test/support/loader/register.mjs test/support/run-postgres.ts COMMAND [ARGS...]
import { spawn } from 'node:child_process'
import {
  attachPostgres,
  postgresUnavailable,
  startPostgres,
  type ClusterState,
  type PostgresCluster
} from '../../scripts/lib/postgres-cluster.js'
import { runIfEntry } from '../../scripts/lib/cli.js'

const ENV = 'ENCORE_TEST_POSTGRES'

/** The cluster of the run this test file belongs to, or null when it runs alone (then it starts its own). */
export function runCluster(): PostgresCluster | null {
  const state = process.env[ENV]
  return state ? attachPostgres(JSON.parse(state) as ClusterState) : null
}

async function main([command, ...args]: string[]): Promise<number> {
  if (!command) throw new Error('usage: run-postgres.ts COMMAND [ARGS...]')
  // Without PostgreSQL the files skip their PostgreSQL cases (under CI, postgresUnavailable throws instead).
  const cluster = postgresUnavailable() ? null : await startPostgres()
  try {
    const child = spawn(command, args, {
      stdio: 'inherit',
      env: cluster ? { ...process.env, [ENV]: JSON.stringify(cluster.state) } : process.env
    })
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
    })
  } finally {
    cluster?.destroy()
  }
}

runIfEntry(import.meta, main)
