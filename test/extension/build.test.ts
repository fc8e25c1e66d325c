// The extension build bundles like the Shopify CLI: one entry, es6, process.env inlined, one React, small.
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { buildExtension, defineFor } from '../../extension/build.js'

const BUDGET_BYTES = 125 * 1024

t.test('the app URL is inlined and no process.env reference survives', async (t) => {
  const { code, appUrl } = await buildExtension({ appUrl: 'https://encore.example.com', env: {} })
  t.equal(appUrl, 'https://encore.example.com')
  t.match(code, '"https://encore.example.com"')
  t.notMatch(code, /process\.env/)
})

t.test('every identifier-named variable of the shell becomes process.env.NAME, as the CLI does', async (t) => {
  const define = defineFor({ ENCORE_APP_URL: 'https://a.example', OTHER: 'x', 'NOT-AN-IDENTIFIER': 'y', EMPTY: '' })
  t.equal(define['process.env.ENCORE_APP_URL'], '"https://a.example"')
  t.equal(define['process.env.OTHER'], '"x"')
  t.equal(define['process.env.NODE_ENV'], '"production"')
  t.notOk('process.env.NOT-AN-IDENTIFIER' in define)
  t.notOk('process.env.EMPTY' in define)
})

t.test('the bundle holds one copy of React and stays within its size budget', async (t) => {
  const { code, bytes, gzipBytes } = await buildExtension({ appUrl: 'https://encore.example.com' })
  t.equal(code.split('ReactCurrentDispatcher:').length - 1, 1, 'React defined once (two copies break hooks)')
  t.ok(bytes < BUDGET_BYTES, `${bytes} bytes (${gzipBytes} gzipped) is under ${BUDGET_BYTES}`)
})

t.test('a build error names the file', async (t) => {
  const missing = fileURLToPath(new URL('./no-such-entry.tsx', import.meta.url))
  await t.rejects(buildExtension({ entry: missing }), /no-such-entry/)
})
