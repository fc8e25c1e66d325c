// The wire contract stays importable by any client: it imports only typebox, and the extensions and the dashboard take
// its types only.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({
    typeOnly: m[2] !== undefined,
    from: m[3] as string
  }))

t.test('contract/ imports nothing but typebox and itself (no Fastify, no Node)', async (t) => {
  const files = readdirSync(`${root}contract`).filter((f) => f.endsWith('.ts'))
  t.ok(files.length > 0)
  for (const file of files) {
    const imports = importsOf(`${root}contract/${file}`)
    t.ok(imports.length > 0, `${file} imports something`)
    for (const { from } of imports) t.ok(from === 'typebox' || from.startsWith('./'), `${file} imports ${from}`)
  }
})

t.test('the extension imports the contract as types only, so no schema library reaches the bundle', async (t) => {
  const dir = `${root}extension/src`
  const uses = readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f))
    .flatMap((f) => importsOf(`${dir}/${f}`).map((i) => ({ ...i, file: f })))
    .filter((i) => i.from.includes('/contract/'))
  t.ok(uses.length >= 2, 'the parser and the API client use the contract')
  for (const use of uses) t.ok(use.typeOnly, `${use.file}: import type from ${use.from}`)
})

t.test('the Thank-you extension imports the contract as types only too', async (t) => {
  const dir = `${root}extension/thank-you/src`
  const uses = readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f))
    .flatMap((f) => importsOf(`${dir}/${f}`).map((i) => ({ ...i, file: f })))
    .filter((i) => i.from.includes('/contract/'))
  t.ok(uses.length >= 1, 'offer.ts takes the Thank-you shapes from the contract')
  for (const use of uses) t.ok(use.typeOnly, `${use.file}: import type from ${use.from}`)
})

t.test(
  'the dashboard imports the admin answers (contract/admin.ts) as types only, so its bundle gains no code',
  async (t) => {
    const dir = `${root}dashboard/src`
    const uses = readdirSync(dir)
      .filter((f) => /\.tsx?$/.test(f))
      .flatMap((f) => importsOf(`${dir}/${f}`).map((i) => ({ ...i, file: f })))
      .filter((i) => i.from.includes('/contract/'))
    t.ok(uses.length >= 3, 'the page, the chart and the CSV export take the answers from the contract')
    for (const use of uses) t.ok(use.typeOnly, `${use.file}: import type from ${use.from}`)
  }
)
