// Docs and code comments name only files that exist: every relative Markdown link, every repository path written
// in a document or a comment (`server/...`, `docs/...`, ...), and every `.md` file a comment mentions.
import t from 'tap'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const SKIP = new Set(['node_modules', '.git', '.tap', 'coverage', 'dist', 'data', 'test-output', '.migrations-check'])
const TOP = ['server', 'extension', 'scripts', 'test', 'docs', 'rules', 'migrations', '.ci']
/** A repository path: a top-level folder, then a file name with an extension; globs and placeholders excluded. */
const REPO_PATH = new RegExp(
  `(?<![\\w./-])((?:${TOP.join('|')})/[\\w./-]*\\w\\.(?:ts|tsx|md|json|toml|js|mjs|sql|png))\\b`,
  'g'
)
const MD_NAME = /(?<![\w./-])([\w-]+\.md)\b/g

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue
    const full = join(dir, e.name)
    if (e.isDirectory()) walk(full, out)
    else out.push(full)
  }
  return out
}

/** Named on purpose though absent: each with the reason. */
const ABSENT_ON_PURPOSE: Record<string, string> = {
  'rules/offers/laces-with-boots.json': 'docs/rules.md: the file its step-by-step guide has the reader create',
  'extension/dist/encore-post-purchase.js': 'the output of npm run build (git-ignored)',
  'extension/thank-you/dist/encore-thank-you.js':
    'the output of npm run build:thank-you and the Shopify CLI (git-ignored)',
  'extension/thank-you/shopify.d.ts': 'written by the Shopify CLI at build (git-ignored)'
}

const SELF = fileURLToPath(import.meta.url)
const files = walk(ROOT).filter((f) => f !== SELF) // its own examples name missing files on purpose
/** Inside the repository; a `.js` name stands for its `.ts` or `.tsx` source, as imports write it. */
const exists = (path: string) =>
  normalize(path).startsWith(ROOT) &&
  (existsSync(path) || (path.endsWith('.js') && ['.ts', '.tsx'].some((ext) => existsSync(path.replace(/\.js$/, ext)))))
const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length

/** The comment text of a TypeScript file, by line: `//` comments and the lines of block comments. */
function comments(source: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = []
  let inBlock = false
  source.split('\n').forEach((line, i) => {
    if (inBlock || /^\s*\/\*/.test(line)) {
      out.push({ line: i + 1, text: line })
      inBlock = !line.includes('*/')
      return
    }
    const m = /(?:^|\s)\/\/(.*)$/.exec(line)
    if (m) out.push({ line: i + 1, text: m[1] as string })
  })
  return out
}

t.test('relative Markdown links point at files that exist', async (t) => {
  const broken: string[] = []
  for (const file of files.filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = (m[1] as string).split('#')[0] as string
      if (target === '' || /^[a-z]+:/i.test(target)) continue
      if (!exists(resolve(dirname(file), target)))
        broken.push(`${relative(ROOT, file)}:${lineOf(text, m.index)} links ${m[1]}`)
    }
  }
  t.same(broken, [], 'every link resolves inside the repository')
})

t.test('repository paths named in documents and code comments exist', async (t) => {
  const missing: string[] = []
  const check = (file: string, line: number, text: string) => {
    for (const m of text.matchAll(REPO_PATH)) {
      if (!exists(join(ROOT, m[1] as string)) && !((m[1] as string) in ABSENT_ON_PURPOSE))
        missing.push(`${relative(ROOT, file)}:${line} names ${m[1]}`)
    }
    for (const m of text.matchAll(MD_NAME)) {
      const name = m[1] as string
      const candidates = [join(dirname(file), name), join(ROOT, name), join(ROOT, 'docs', name)]
      if (!candidates.some(exists)) missing.push(`${relative(ROOT, file)}:${line} names ${name}`)
    }
  }
  for (const file of files) {
    if (file.endsWith('.md') || file.endsWith('.toml')) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, i) => check(file, i + 1, text))
    } else if (/\.(ts|tsx|js|mjs)$/.test(file)) {
      for (const c of comments(readFileSync(file, 'utf8'))) check(file, c.line, c.text)
    }
  }
  t.same(missing, [], 'no document or comment names a file that is not in the repository')
})

t.test('the checker sees what it is meant to see', async (t) => {
  t.same(
    [...'see server/no-such-file.ts and docs/api.md'.matchAll(REPO_PATH)].map((m) => m[1]),
    ['server/no-such-file.ts', 'docs/api.md']
  )
  t.same([...'globs like server/**/*schema.ts and rules/tests/<name>.json'.matchAll(REPO_PATH)], [])
  t.same(
    comments('const a = 1 // names http-api.md\n/**\n * and rules-format.md\n */\nconst url = "https://x/y.md"').map(
      (c) => c.line
    ),
    [1, 2, 3, 4]
  )
})
