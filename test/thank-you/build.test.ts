// The Thank-you bundle is built as the Shopify CLI builds it and stays under Shopify's 64 KB compressed cap.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import {
  BUNDLE_LIMIT_BYTES,
  THANK_YOU_DIR,
  buildThankYou,
  readExtensionToml,
  stdinFor
} from '../../extension/thank-you-harness/build.js'

const toml = readFileSync(`${THANK_YOU_DIR}/shopify.extension.toml`, 'utf8')
const uiExtensionsVersion = (
  JSON.parse(readFileSync(`${THANK_YOU_DIR}/package.json`, 'utf8')) as { dependencies: Record<string, string> }
).dependencies['@shopify/ui-extensions']

t.test('the compressed bundle is within the 64 KB Shopify enforces at deploy', async (t) => {
  const { code, bytes, compressedBytes } = await buildThankYou({ appUrl: 'https://encore.example.com', env: {} })
  t.equal(compressedBytes, deflateSync(code).length, 'measured as Shopify does: zlib deflate of the bundle')
  t.ok(
    compressedBytes <= BUNDLE_LIMIT_BYTES,
    `${compressedBytes} bytes compressed (${bytes} minified) <= ${BUNDLE_LIMIT_BYTES}`
  )
})

t.test('the toml declares a ui_extension on the Thank-you block target with network access', async (t) => {
  t.match(toml, /^type = "ui_extension"$/m)
  t.match(toml, /^\s*target = "purchase\.thank-you\.block\.render"$/m)
  t.match(toml, /^\[extensions\.capabilities\]\n(#.*\n)*network_access = true$/m, 'network_access under capabilities')
  const { apiVersion, targets } = readExtensionToml()
  t.match(apiVersion, /^(\d{4})-(01|04|07|10)$/, 'a stable API version')
  const [year, month] = apiVersion.split('-')
  t.ok(`${year}-${month}` >= '2026-01', 'Preact and Polaris web components, deployable after 2026-10-01')
  t.match(
    uiExtensionsVersion,
    new RegExp(`^${year}\\.${Number(month)}\\.\\d+$`),
    '@shopify/ui-extensions is the release line of the API version'
  )
  t.same(targets, [{ target: 'purchase.thank-you.block.render', module: './src/index.tsx' }])
})

t.test('the entry registers each target like the CLI (default export passed to shopify.extend)', async (t) => {
  t.equal(
    stdinFor(readExtensionToml()),
    "import Target_0 from './src/index.tsx';shopify.extend('purchase.thank-you.block.render', (...args) => Target_0(...args));"
  )
})

t.test('the app URL is inlined, no process.env survives, and Preact is the only renderer', async (t) => {
  const { code, appUrl } = await buildThankYou({ appUrl: 'https://encore.example.com', env: {} })
  t.equal(appUrl, 'https://encore.example.com')
  t.match(code, '"https://encore.example.com"')
  t.notMatch(code, /process\.env/)
  t.notMatch(code, /ReactCurrentDispatcher|__SECRET_INTERNALS/, 'no React in the bundle')
  const unset = await buildThankYou({ env: {} })
  t.equal(unset.appUrl, null, 'without the variable the bundle keeps the expression and renders nothing')
})

t.test('the buyer-facing words are in the locale files, not in the bundle', async (t) => {
  const { code } = await buildThankYou({ appUrl: 'https://encore.example.com', env: {} })
  t.notMatch(code, /you will receive an invoice/, 'Shopify serves translations; bundling them costs cap')
  t.match(code, /willAddWithAmount/, 'the bundle asks for the key')
})

t.test('the wire contract is imported as types only: no schema library in the bundle', async (t) => {
  const src = `${THANK_YOU_DIR}/src`
  const imports = readdirSync(src).flatMap((f) =>
    [...readFileSync(`${src}/${f}`, 'utf8').matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']*contract[^']*)'/gm)].map(
      (m) => ({ file: f, typeOnly: m[1] !== undefined })
    )
  )
  t.ok(imports.length >= 1, 'the offer type comes from contract/wire.ts')
  for (const i of imports) t.ok(i.typeOnly, `${i.file}: import type`)
  const { code } = await buildThankYou({ appUrl: 'https://encore.example.com', env: {} })
  t.notMatch(code, /TypeBox|typebox|Type\.Object/, 'no TypeBox in the bundle')
})

t.test('the app configuration lists the extension for the Shopify CLI', async (t) => {
  const app = readFileSync(new URL('../../shopify.app.toml', import.meta.url), 'utf8')
  const dirs = /^extension_directories\s*=\s*\[([^\]]*)\]/m.exec(app)?.[1]?.match(/"[^"]+"/g) ?? ([] as string[])
  t.ok(dirs.includes('"extension/thank-you"'), 'the CLI looks for <dir>/*.extension.toml in each listed directory')
})
