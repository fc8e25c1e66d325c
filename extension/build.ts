// Bundles the post-purchase extension the way the Shopify CLI does: the library behind `npm run build:extension`, the
// tests and the preview.
import { build, type Plugin } from 'esbuild'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

export const EXTENSION_DIR = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(EXTENSION_DIR, '..')
export const ENTRY = join(EXTENSION_DIR, 'src', 'index.tsx')
export const DEFAULT_OUTFILE = join(EXTENSION_DIR, 'dist', 'encore-post-purchase.js')
/** The variable that carries the offer service's URL into the bundle. */
export const APP_URL_VARIABLE = 'ENCORE_APP_URL'

export type BuildOptions = {
  /** Overrides ENCORE_APP_URL (tests and the preview point the bundle at their own service). */
  appUrl?: string
  /** Where to write the bundle; omit `write` to get the code back only. */
  outfile?: string
  write?: boolean
  minify?: boolean
  /** Shorter network bounds for a test build (extension/src/config.ts); a release build never sets them. */
  timeoutsMs?: { offer?: number; sign?: number; event?: number }
  /** Build another entry with the same settings (tests use it to prove the component allow-list). */
  entry?: string
  env?: NodeJS.ProcessEnv
}

export type BuildResult = {
  code: string
  bytes: number
  gzipBytes: number
  outfile: string | null
  appUrl: string | null
}

/** Variables from the app's .env file, which the CLI reads too (KEY=VALUE lines, optional quotes). */
function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {}
  const vars: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!m || line.trimStart().startsWith('#')) continue
    vars[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2')
  }
  return vars
}

/**
 * Like the CLI: every variable of the shell and of .env whose name is an identifier becomes
 * `process.env.NAME` -> "value", plus NODE_ENV. Only expressions the code contains are inlined.
 */
export function defineFor(env: NodeJS.ProcessEnv, appUrl?: string): Record<string, string> {
  const vars: Record<string, string | undefined> = { ...readDotEnv(join(ROOT, '.env')), ...env }
  if (appUrl !== undefined) vars[APP_URL_VARIABLE] = appUrl
  const define: Record<string, string> = { 'process.env.NODE_ENV': JSON.stringify('production') }
  for (const [key, value] of Object.entries(vars)) {
    if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) && value) define[`process.env.${key}`] = JSON.stringify(value)
  }
  return define
}

/** One React for the whole bundle (the CLI does this too): two copies break hooks. */
function dedupeReact(): Plugin {
  const require = createRequire(join(EXTENSION_DIR, 'package.json'))
  return {
    name: 'encore:dedupe-react',
    setup({ onResolve }) {
      onResolve({ filter: /^react(\/jsx-runtime|\/jsx-dev-runtime)?$/ }, (args) => ({
        path: require.resolve(args.path)
      }))
    }
  }
}

export async function buildExtension(opts: BuildOptions = {}): Promise<BuildResult> {
  const env = opts.env ?? process.env
  const define = defineFor(env, opts.appUrl)
  if (opts.timeoutsMs) define.ENCORE_TIMEOUTS_MS = JSON.stringify(opts.timeoutsMs)
  const appUrlLiteral = define[`process.env.${APP_URL_VARIABLE}`]
  const write = opts.write ?? false
  const outfile = opts.outfile ?? DEFAULT_OUTFILE
  const result = await build({
    entryPoints: [opts.entry ?? ENTRY],
    bundle: true,
    write: false,
    outfile,
    define,
    jsx: 'automatic',
    loader: { '.esnext': 'ts', '.js': 'jsx' },
    legalComments: 'none',
    minify: opts.minify ?? true,
    target: 'es6',
    resolveExtensions: ['.tsx', '.ts', '.js', '.json', '.esnext', '.mjs'],
    plugins: [dedupeReact()],
    logLevel: 'silent'
  })
  const file = result.outputFiles[0]
  if (!file) throw new Error('esbuild produced no output')
  const code = file.text
  if (write) {
    await mkdir(dirname(outfile), { recursive: true })
    await writeFile(outfile, code)
  }
  return {
    code,
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code).length,
    outfile: write ? outfile : null,
    appUrl: appUrlLiteral ? (JSON.parse(appUrlLiteral) as string) : null
  }
}
