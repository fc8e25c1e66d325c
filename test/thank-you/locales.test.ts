// The Thank-you extension's locale files pass the CLI's checks and say the same things in every language.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { isUtf8 } from 'node:buffer'
import { join } from 'node:path'
import { THANK_YOU_DIR } from '../../extension/thank-you-harness/build.js'
import { readLocales } from '../../extension/thank-you-harness/host.js'

const dir = join(THANK_YOU_DIR, 'locales')
const locales = readLocales(dir)
const placeholders = (v: unknown) => [...String(v).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort()

t.test('as the CLI requires: exactly one *.default.json, every file non-empty UTF-8 JSON', async (t) => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  t.same(
    files.filter((f) => f.endsWith('.default.json')),
    ['en.default.json']
  )
  for (const f of files) {
    const bytes = readFileSync(join(dir, f))
    t.ok(bytes.length > 0 && isUtf8(bytes), `${f} is non-empty UTF-8`)
  }
})

t.test('every locale has every key of the default, with the same placeholders', async (t) => {
  const base = locales['en.default']!
  for (const [name, strings] of Object.entries(locales)) {
    t.same(Object.keys(strings).sort(), Object.keys(base).sort(), `${name}: same keys`)
    for (const [key, value] of Object.entries(base))
      t.same(placeholders(strings[key]), placeholders(value), `${name}.${key}: same placeholders`)
  }
})

t.test('every key the source asks for exists', async (t) => {
  const src = readdirSync(join(THANK_YOU_DIR, 'src'))
    .map((f) => readFileSync(join(THANK_YOU_DIR, 'src', f), 'utf8'))
    .join('\n')
  const asked = new Set(
    [...src.matchAll(/\bt\(\s*'(\w+)'/g), ...src.matchAll(/\?\s*'(\w+)'\s*:\s*'(\w+)'/g)].flatMap((m) => m.slice(1))
  )
  t.ok(asked.size >= 15, `${asked.size} keys found in the source`)
  for (const key of asked) t.ok(key in locales['en.default']!, key)
})
