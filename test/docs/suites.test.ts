// Every test file runs in exactly one suite (test/suites/README.md): a file no suite imports would never run in
// `npm test`, and one imported twice would run twice.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const TEST = fileURLToPath(new URL('..', import.meta.url))
const SUITES = join(TEST, 'suites')

const testFiles = readdirSync(TEST, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'suites' && d.name !== 'support')
  .flatMap((d) =>
    readdirSync(join(TEST, d.name))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `${d.name}/${f}`)
  )

t.test('every test file is imported by exactly one suite', async (t) => {
  const importedBy = new Map<string, string[]>()
  for (const suite of readdirSync(SUITES).filter((f) => f.endsWith('.test.ts'))) {
    const source = readFileSync(join(SUITES, suite), 'utf8')
    for (const m of source.matchAll(/^import '\.\.\/([\w/-]+)\.test\.js'$/gm)) {
      const file = `${m[1]}.test.ts`
      importedBy.set(file, [...(importedBy.get(file) ?? []), suite])
    }
    t.notMatch(source, /^(?!\/\/|import '\.\.\/[\w/-]+\.test\.js'$).+$/m, `${suite} holds only imports of test files`)
  }
  t.ok(testFiles.length > 50, `the test files are found (${testFiles.length})`)
  for (const file of testFiles)
    t.same(importedBy.get(file)?.length, 1, `${file}: ${importedBy.get(file) ?? 'no suite'}`)
  for (const file of importedBy.keys()) t.ok(testFiles.includes(file), `${file} exists`)
})
