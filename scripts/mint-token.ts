// Prints a checkout token for a fixture (signed like Shopify, with the configured secret) so anyone can call the API
// with curl.
// Usage: npm run mint-token -- <fixture name | path/to/input_data.json> [--reference-id ID] [--age SECONDS]
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { mintCheckoutToken, type InputData } from '../extension/harness/checkout-token.js'
import { runIfEntry, type Io } from './lib/cli.js'

const USAGE = 'usage: npm run mint-token -- <fixture name | file.json> [--reference-id ID] [--age SECONDS]'

class UsageError extends Error {}

function usage(message: string): never {
  throw new UsageError(message)
}

export async function main(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${USAGE}

Prints a checkout token for a fixture in RULES_DIR/fixtures (or any input_data JSON file), signed like
Shopify signs it (HS256, iss "shopify", sub = the referenceId) with the configured SHOPIFY_API_SECRET.
  --reference-id ID   use another referenceId (a fresh checkout for the same cart)
  --age SECONDS       backdate iat, e.g. to see an expired token refused
`)
    return 0
  }
  try {
    io.out(`${await mint(args, io.env)}\n`)
    return 0
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.err(`mint-token: ${err.message}\n${USAGE}\n`)
    return 2
  }
}

async function mint(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  let target: string | undefined
  let referenceId: string | undefined
  let age = 0
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--reference-id') referenceId = args[++i] ?? usage('--reference-id needs a value')
    else if (a === '--age') age = Number(args[++i] ?? usage('--age needs a value'))
    else if (a.startsWith('--')) usage(`unknown option ${a}`)
    else target = a
  }
  if (target === undefined) usage('name a fixture')
  if (!Number.isFinite(age) || age < 0) usage('--age must be a number of seconds')

  // Imported here: the configuration loads the Shopify library, which --help and a usage error do not need.
  const { ConfigError, loadConfig } = await import('../server/config.js')
  let config
  try {
    config = loadConfig({ ...env, LOG_LEVEL: 'silent' }).config
  } catch (err) {
    if (err instanceof ConfigError) usage(err.message)
    throw err
  }
  const file = existsSync(target) ? target : join(config.rulesDir, 'fixtures', `${target.replace(/\.json$/, '')}.json`)
  if (!existsSync(file)) usage(`no fixture ${target} (looked for ${file})`)
  let inputData: InputData
  try {
    inputData = JSON.parse(readFileSync(file, 'utf8')) as InputData
  } catch (err) {
    usage(`${file} is not valid JSON: ${(err as Error).message}`)
  }
  if (referenceId !== undefined) {
    inputData = { ...inputData, initialPurchase: { ...inputData.initialPurchase, referenceId } }
  }
  return mintCheckoutToken(inputData, config.apiSecret, { iat: Math.floor(Date.now() / 1000) - age })
}

runIfEntry(import.meta, main)
