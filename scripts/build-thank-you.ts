// npm run build:thank-you: bundles the Thank-you extension like the Shopify CLI and checks Shopify's 64 KB cap.
import { relative } from 'node:path'
import { APP_URL_VARIABLE, BUNDLE_LIMIT_BYTES, buildThankYou } from '../extension/thank-you-harness/build.js'
import { parseCommandArgs, runIfEntry, type Io } from './lib/cli.js'

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

export async function main(argv: string[], io: Io): Promise<number> {
  const options = parseCommandArgs('build:thank-you', argv, { help: { type: 'boolean', short: 'h' } }, io)
  if (options === null) return 2
  if (options.help) {
    io.out(`usage: npm run build:thank-you

Bundles extension/thank-you (the targets and modules of its shopify.extension.toml) the way the Shopify CLI
builds a ui_extension: esbuild, minified, target es6, each module's default export registered with
shopify.extend. Replaces process.env.${APP_URL_VARIABLE} with the app's URL from the shell or .env, writes
extension/thank-you/dist/<handle>.js and its esbuild metafile, prints the size and fails (exit 1) when the
compressed bundle (zlib deflate, as Shopify measures) passes the ${kb(BUNDLE_LIMIT_BYTES)} cap.
`)
    return 0
  }
  try {
    const result = await buildThankYou({ write: true, env: io.env })
    const pct = ((result.compressedBytes / BUNDLE_LIMIT_BYTES) * 100).toFixed(0)
    io.out(`thank-you bundle: ${relative(process.cwd(), result.outfile)} (api_version ${result.toml.apiVersion})\n`)
    io.out(
      `  size: ${kb(result.bytes)} minified, ${kb(result.compressedBytes)} compressed (${result.bytes} / ${result.compressedBytes} bytes), ${pct}% of the ${kb(BUNDLE_LIMIT_BYTES)} cap\n`
    )
    if (result.appUrl) io.out(`  ${APP_URL_VARIABLE}: ${result.appUrl}\n`)
    else io.err(`  warning: ${APP_URL_VARIABLE} is not set (shell or .env): this bundle renders nothing\n`)
    if (result.compressedBytes > BUNDLE_LIMIT_BYTES) {
      io.err(`build:thank-you failed: the compressed bundle passes Shopify's ${kb(BUNDLE_LIMIT_BYTES)} cap\n`)
      return 1
    }
    return 0
  } catch (error) {
    io.err(`build:thank-you failed: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

runIfEntry(import.meta, main)
