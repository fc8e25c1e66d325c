// Module hooks that run the repository's TypeScript in test processes: a `.js` import that names a `.ts` file resolves
// to it, and a `.ts`/`.tsx` file loads as its esbuild transform (ES module, inline source map so stack traces and c8
// report TypeScript lines). Transforms are cached on disk by content, so a warm run starts no esbuild service; files
// under node_modules go straight to Node, which is what makes this cheaper per process than tsx.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'encore-ts')
/** Part of every cache key: a change of the options below or of esbuild must not reuse old output. */
const VERSION = `hooks-2 ${process.version} esbuild-${JSON.parse(readFileSync(join(ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version}`
const TS = /\.(ts|tsx|mts)$/

/** A path or file URL (relative or absolute), not a package name. */
const isPath = (s) => s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || s.startsWith('file:')

export async function resolve(specifier, context, next) {
  const parent = context.parentURL
  // NodeNext style: the source says `./x.js` for `./x.ts`. Only our own files, never a package's.
  if (
    isPath(specifier) &&
    specifier.endsWith('.js') &&
    parent?.startsWith('file:') &&
    !parent.includes('/node_modules/')
  ) {
    const url = new URL(specifier, parent)
    if (!existsSync(url)) {
      for (const ext of ['.ts', '.tsx']) {
        const candidate = new URL(`${url.href.slice(0, -3)}${ext}`)
        if (existsSync(candidate)) return { url: candidate.href, shortCircuit: true }
      }
    }
  }
  return next(specifier, context)
}

let esbuild

async function transform(file, code) {
  esbuild ??= await import('esbuild')
  const result = await esbuild.transform(code, {
    loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    jsx: 'automatic',
    sourcemap: 'inline',
    // As tsx transforms (minified whitespace, kept names): c8 counts the same functions and branches as it did.
    minifyWhitespace: true,
    keepNames: true,
    sourcefile: file,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } }
  })
  return result.code
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname) || url.includes('/node_modules/')) {
    return next(url, context)
  }
  const file = fileURLToPath(url)
  const code = readFileSync(file, 'utf8')
  const key = createHash('sha256').update(VERSION).update('\0').update(file).update('\0').update(code).digest('hex')
  const cached = join(CACHE_DIR, key.slice(0, 2), `${key.slice(2, 40)}.js`)
  let source
  if (existsSync(cached)) source = readFileSync(cached, 'utf8')
  else {
    source = await transform(file, code)
    mkdirSync(dirname(cached), { recursive: true })
    // Test files run in parallel: write aside and rename, so nobody reads half a file.
    const partial = `${cached}.${process.pid}.tmp`
    writeFileSync(partial, source)
    renameSync(partial, cached)
  }
  return { format: 'module', source, shortCircuit: true }
}
