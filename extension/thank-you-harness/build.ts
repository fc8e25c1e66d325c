// Bundles the Thank-you extension exactly as the Shopify CLI builds a ui_extension on API 2025-10 or later, and
// measures it the way Shopify's 64 KB cap does (zlib deflate of the minified bundle).
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'
// The CLI defines process.env the same way for every extension type: one implementation for both builds.
import { APP_URL_VARIABLE, defineFor } from '../build.js'

export { APP_URL_VARIABLE }

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const THANK_YOU_DIR = join(ROOT, 'extension', 'thank-you')
/** The variable that carries the offer service's URL into the bundle (the same one as the post-purchase bundle). */
/**
 * Shopify's cap for a UI extension on API 2025-10+: 64 KB compressed, enforced per extension at deploy. The CLI
 * measures with zlib deflate "like the Shopify backend (Zlib::Deflate.deflate)"; KB taken as 1024 bytes.
 */
export const BUNDLE_LIMIT_BYTES = 64 * 1024

export type Toml = { handle: string; apiVersion: string; targets: { target: string; module: string }[] }

/** The few keys the build needs from shopify.extension.toml (no TOML parser in the tree; the file is simple). */
export function readExtensionToml(dir = THANK_YOU_DIR): Toml {
  const text = readFileSync(join(dir, 'shopify.extension.toml'), 'utf8')
  const value = (key: string, from = text) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]+)"`, 'm').exec(from)?.[1]
  const handle = value('handle')
  const apiVersion = value('api_version')
  if (!handle || !apiVersion) throw new Error('shopify.extension.toml: handle and api_version are required')
  const targets = text
    .split('[[extensions.targeting]]')
    .slice(1)
    .map((block) => ({ target: value('target', block) ?? '', module: value('module', block) ?? '' }))
  if (targets.length === 0 || targets.some((t) => !t.target || !t.module))
    throw new Error('shopify.extension.toml: every [[extensions.targeting]] needs a target and a module')
  return { handle, apiVersion, targets }
}

/**
 * The CLI's stdin for a Remote DOM extension (ui_extension.ts getBundleExtensionStdinContent): each target's module
 * is imported and its default export registered with shopify.extend.
 */
export const stdinFor = (toml: Toml) =>
  toml.targets
    .map(
      ({ target, module }, i) =>
        `import Target_${i} from '${module}';shopify.extend('${target}', (...args) => Target_${i}(...args));`
    )
    .join('\n')

export type ThankYouBuildOptions = {
  /** Overrides ENCORE_APP_URL (tests point the bundle at their own service). */
  appUrl?: string
  /** Write dist/<handle>.js (and its metafile, as the CLI does); otherwise only return the code. */
  write?: boolean
  env?: NodeJS.ProcessEnv
}

export type ThankYouBuild = {
  code: string
  bytes: number
  /** zlib deflate, the measure of Shopify's cap. */
  compressedBytes: number
  outfile: string
  appUrl: string | null
  toml: Toml
}

export async function buildThankYou(opts: ThankYouBuildOptions = {}): Promise<ThankYouBuild> {
  const toml = readExtensionToml()
  const define = defineFor(opts.env ?? process.env, opts.appUrl)
  const outfile = join(THANK_YOU_DIR, 'dist', `${toml.handle}.js`)
  // The CLI's esbuild options (services/extensions/bundle.ts), production environment.
  const result = await build({
    stdin: { contents: stdinFor(toml), resolveDir: THANK_YOU_DIR, loader: 'tsx' },
    outfile,
    bundle: true,
    write: false,
    define,
    jsx: 'automatic',
    loader: { '.esnext': 'ts', '.js': 'jsx' },
    legalComments: 'none',
    minify: true,
    target: 'es6',
    resolveExtensions: ['.tsx', '.ts', '.js', '.json', '.esnext', '.mjs', '.ejs'],
    metafile: true,
    logLevel: 'silent'
  })
  const file = result.outputFiles[0]
  if (!file) throw new Error('esbuild produced no output')
  const code = file.text
  if (opts.write) {
    await mkdir(dirname(outfile), { recursive: true })
    await writeFile(outfile, code)
    await writeFile(outfile.replace(/\.js$/, '.metafile.json'), JSON.stringify(result.metafile))
  }
  const appUrlLiteral = define[`process.env.${APP_URL_VARIABLE}`]
  return {
    code,
    bytes: Buffer.byteLength(code),
    compressedBytes: deflateSync(code).length,
    outfile,
    appUrl: appUrlLiteral ? (JSON.parse(appUrlLiteral) as string) : null,
    toml
  }
}
