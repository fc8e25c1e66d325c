// npm run build:thank-you: bundles the Thank-you extension like the Shopify CLI and checks Shopify's 64 KB cap.
import { relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP_URL_VARIABLE, BUNDLE_LIMIT_BYTES, buildThankYou } from '../extension/thank-you-harness/build.js'

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: npm run build:thank-you

Bundles extension/thank-you (the targets and modules of its shopify.extension.toml) the way the Shopify CLI
builds a ui_extension: esbuild, minified, target es6, each module's default export registered with
shopify.extend. Replaces process.env.${APP_URL_VARIABLE} with the app's URL from the shell or .env, writes
extension/thank-you/dist/<handle>.js and its esbuild metafile, prints the size and fails (exit 1) when the
compressed bundle (zlib deflate, as Shopify measures) passes the ${kb(BUNDLE_LIMIT_BYTES)} cap.`)
  process.exit(0)
}

async function main() {
  const result = await buildThankYou({ write: true })
  const pct = ((result.compressedBytes / BUNDLE_LIMIT_BYTES) * 100).toFixed(0)
  console.log(`thank-you bundle: ${relative(process.cwd(), result.outfile)} (api_version ${result.toml.apiVersion})`)
  console.log(
    `  size: ${kb(result.bytes)} minified, ${kb(result.compressedBytes)} compressed (${result.bytes} / ${result.compressedBytes} bytes), ${pct}% of the ${kb(BUNDLE_LIMIT_BYTES)} cap`
  )
  if (result.appUrl) console.log(`  ${APP_URL_VARIABLE}: ${result.appUrl}`)
  else console.warn(`  warning: ${APP_URL_VARIABLE} is not set (shell or .env): this bundle renders nothing`)
  if (result.compressedBytes > BUNDLE_LIMIT_BYTES) {
    console.error(`build:thank-you failed: the compressed bundle passes Shopify's ${kb(BUNDLE_LIMIT_BYTES)} cap`)
    process.exit(1)
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`build:thank-you failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  })
}
