#!/usr/bin/env node
// Runs before `npm start`, `npm run dev` and `npm test` (the pre-scripts in package.json), so the
// README's quick start is two commands on a fresh clone. Plain Node on purpose: nothing is
// installed yet when it runs. It installs once from the lockfile (`npm ci`) when the packages
// are missing or the lockfile changed since the last install, and is a no-op otherwise.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const lockfile = join(root, 'package-lock.json')
// npm writes this after every successful install; it is older than the lockfile when the
// lockfile was updated (git pull) without reinstalling.
const installed = join(root, 'node_modules', '.package-lock.json')
const nativeAddon = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

function needsInstall() {
  if (!existsSync(installed) || !existsSync(nativeAddon)) return 'packages are not installed'
  if (statSync(lockfile).mtimeMs > statSync(installed).mtimeMs + 1000) {
    // A checkout rewrites mtimes, so compare the recorded versions before reinstalling.
    const want = JSON.parse(readFileSync(lockfile, 'utf8')).packages ?? {}
    const have = JSON.parse(readFileSync(installed, 'utf8')).packages ?? {}
    for (const [path, meta] of Object.entries(want)) {
      if (!path.startsWith('node_modules/') || meta.link || meta.optional) continue
      if (have[path]?.version !== meta.version) return `${path} is not at ${meta.version}`
    }
  }
  return null
}

const reason = needsInstall()
if (reason) {
  process.stderr.write(
    `encore: installing dependencies (${reason}). The first install compiles better-sqlite3 ` +
      'from source and takes about 2 minutes.\n'
  )
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32'
  })
  if (result.status !== 0) {
    process.stderr.write('encore: `npm ci` failed; see the output above.\n')
    process.exit(result.status ?? 1)
  }
}
