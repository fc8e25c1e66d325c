// `npm run build:extension`: writes the extension bundle (extension/build.ts does the work) and reports its size.
import { relative } from 'node:path'
import { APP_URL_VARIABLE, buildExtension, DEFAULT_OUTFILE } from '../extension/build.js'
import { parseCommandArgs, runIfEntry, type Io } from './lib/cli.js'

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`

export async function main(argv: string[], io: Io): Promise<number> {
  const options = parseCommandArgs('build:extension', argv, { help: { type: 'boolean', short: 'h' } }, io)
  if (options === null) return 2
  if (options.help) {
    io.out(`usage: npm run build          (or npm run build:extension)

Bundles extension/src/index.tsx the way the Shopify CLI does (esbuild, one entry, es6 target) into
${relative(process.cwd(), DEFAULT_OUTFILE)}, replacing process.env.${APP_URL_VARIABLE} with the app's URL
from the shell or .env, and prints the bundle's size.
`)
    return 0
  }
  const started = performance.now()
  try {
    const result = await buildExtension({ write: true, env: io.env })
    const ms = Math.round(performance.now() - started)
    io.out(`extension bundle: ${relative(process.cwd(), result.outfile ?? DEFAULT_OUTFILE)}\n`)
    io.out(
      `  size: ${kb(result.bytes)} minified, ${kb(result.gzipBytes)} gzipped (${result.bytes} / ${result.gzipBytes} bytes), built in ${ms} ms\n`
    )
    if (result.appUrl) io.out(`  ${APP_URL_VARIABLE}: ${result.appUrl}\n`)
    else io.err(`  warning: ${APP_URL_VARIABLE} is not set (shell or .env): this bundle renders no offers\n`)
    return 0
  } catch (error) {
    io.err(`build:extension failed: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

runIfEntry(import.meta, main)
