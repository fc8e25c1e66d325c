// The extension's production bundle for tests, built once per state of its sources and shared by every test file of a
// run (and by later runs): cached under node_modules/.cache/ by a hash of the sources and the build options.
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildExtension, EXTENSION_DIR, type BuildOptions } from '../../extension/build.js'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'encore-extension')
/** Built in place of the service's URL, then swapped for the real one: a port differs per test, the code does not. */
const PLACEHOLDER_URL = 'http://encore-app-url.invalid'

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

let sourceHash: string | undefined
/** What the bundle is made of: the extension's sources, the build, and the locked dependency versions. */
function sources(): string {
  if (sourceHash) return sourceHash
  const hash = createHash('sha256')
  const files = [
    ...filesUnder(join(EXTENSION_DIR, 'src')),
    join(EXTENSION_DIR, 'build.ts'),
    join(EXTENSION_DIR, 'package.json'),
    join(ROOT, 'package-lock.json')
  ]
  for (const file of files) hash.update(file).update('\0').update(readFileSync(file)).update('\0')
  sourceHash = hash.digest('hex')
  return sourceHash
}

const inProcess = new Map<string, Promise<string>>()

/** The bundle with `appUrl` inlined, as `buildExtension` would build it; the .env file and shell are not read. */
export async function cachedBundle(appUrl: string, opts: Pick<BuildOptions, 'timeoutsMs'> = {}): Promise<string> {
  const options = JSON.stringify({ timeoutsMs: opts.timeoutsMs ?? null })
  const key = createHash('sha256').update(sources()).update(options).digest('hex').slice(0, 32)
  let pending = inProcess.get(key)
  if (!pending) {
    pending = readOrBuild(key, opts)
    inProcess.set(key, pending)
  }
  const code = await pending
  return code.replace(JSON.stringify(PLACEHOLDER_URL), () => JSON.stringify(appUrl))
}

async function readOrBuild(key: string, opts: Pick<BuildOptions, 'timeoutsMs'>): Promise<string> {
  const file = join(CACHE_DIR, `${key}.js`)
  if (existsSync(file)) return readFileSync(file, 'utf8')
  const { code } = await buildExtension({ appUrl: PLACEHOLDER_URL, env: {}, ...opts })
  if (code.split(JSON.stringify(PLACEHOLDER_URL)).length !== 2) {
    throw new Error('the bundle should hold the app URL exactly once, as one string literal')
  }
  mkdirSync(CACHE_DIR, { recursive: true })
  // Files run in parallel: write aside and rename, so nobody reads half a bundle.
  const partial = `${file}.${process.pid}.tmp`
  writeFileSync(partial, code)
  renameSync(partial, file)
  return code
}
