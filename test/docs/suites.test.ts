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

t.test('a file that shares its process sets nothing up at the top level', async (t) => {
  // Top-level await lets the files imported after it run their tests meanwhile, and the root test can end before
  // the file's own tests are queued; root hooks would run around every other file's tests.
  const TOP_LEVEL = /^(?:(?:const|let|var) [^=]+= *)?await\b|^t\.(?:before|beforeEach|afterEach|after)\(/m
  let shared = 0
  for (const suite of readdirSync(SUITES).filter((f) => f.endsWith('.test.ts'))) {
    const files = [...readFileSync(join(SUITES, suite), 'utf8').matchAll(/^import '\.\.\/([\w/-]+)\.test\.js'$/gm)]
    if (files.length < 2) continue
    for (const [, name] of files) {
      shared++
      t.notMatch(readFileSync(join(TEST, `${name}.test.ts`), 'utf8'), TOP_LEVEL, `${name}.test.ts (in ${suite})`)
    }
  }
  t.ok(shared > 50, `the shared files are read (${shared})`)
})
