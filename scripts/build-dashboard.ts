// Bundles the dashboard (Preact + uPlot, its CSS included) into dashboard/dist/, and reports its size.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { parseCommandArgs, runIfEntry, type Io } from './lib/cli.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const DASHBOARD_DIST = join(ROOT, 'dashboard', 'dist')
const ENTRY = join(ROOT, 'dashboard', 'src', 'main.tsx')

export type DashboardSize = { js: number; css: number; jsGzip: number; cssGzip: number }

export async function buildDashboard(outdir = DASHBOARD_DIST): Promise<DashboardSize> {
  // Imported here: `npm start` runs this script with --if-missing, and a production install has no esbuild.
  const { build } = await import('esbuild')
  await build({
    entryPoints: { app: ENTRY },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir,
    legalComments: 'none',
    logLevel: 'warning'
  })
  const size = (f: string) => readFileSync(join(outdir, f))
  const js = size('app.js')
  const css = size('app.css')
  return { js: js.length, css: css.length, jsGzip: gzipSync(js).length, cssGzip: gzipSync(css).length }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`

export async function main(argv: string[], io: Io): Promise<number> {
  const options = parseCommandArgs(
    'build:dashboard',
    argv,
    { help: { type: 'boolean', short: 'h' }, 'if-missing': { type: 'boolean' } },
    io
  )
  if (options === null) return 2
  if (options.help) {
    io.out(`Usage: npm run build:dashboard [-- --if-missing]

Bundles dashboard/src (Preact + uPlot, CSS included) into dashboard/dist/app.js and app.css, which the service
serves at GET /dashboard, and prints their sizes. --if-missing does nothing when the bundle exists (npm start).\n`)
    return 0
  }
  if (options['if-missing'] && existsSync(join(DASHBOARD_DIST, 'app.js'))) return 0
  try {
    const s = await buildDashboard()
    io.out(`dashboard/dist: app.js ${kb(s.js)} (${kb(s.jsGzip)} gzip), app.css ${kb(s.css)} (${kb(s.cssGzip)} gzip)\n`)
    return 0
  } catch (error) {
    io.err(`build:dashboard failed: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

runIfEntry(import.meta, main)
