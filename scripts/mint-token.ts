// Prints a checkout token for a fixture (signed like Shopify, with the configured secret) so anyone can call the API
// with curl.
// Usage: npm run mint-token -- <fixture name | path/to/input_data.json> [--reference-id ID] [--age SECONDS]
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../server/config.js'
import { mintCheckoutToken, type InputData } from '../extension/harness/checkout-token.js'

function usage(message: string): never {
  process.stderr.write(
    `mint-token: ${message}\nusage: npm run mint-token -- <fixture name | file.json> [--reference-id ID] [--age SECONDS]\n`
  )
  process.exit(2)
}

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`usage: npm run mint-token -- <fixture name | file.json> [--reference-id ID] [--age SECONDS]

Prints a checkout token for a fixture in RULES_DIR/fixtures (or any input_data JSON file), signed like
Shopify signs it (HS256, iss "shopify", sub = the referenceId) with the configured SHOPIFY_API_SECRET.
  --reference-id ID   use another referenceId (a fresh checkout for the same cart)
  --age SECONDS       backdate iat, e.g. to see an expired token refused
`)
  process.exit(0)
}
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

let config
try {
  config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' }).config
} catch (err) {
  if (err instanceof ConfigError) usage(err.message)
  throw err
}
const file = existsSync(target) ? target : join(config.rulesDir, 'fixtures', `${target.replace(/\.json$/, '')}.json`)
if (!existsSync(file)) usage(`no fixture ${target} (looked for ${file})`)
let inputData: Record<string, unknown>
try {
  inputData = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
} catch (err) {
  usage(`${file} is not valid JSON: ${(err as Error).message}`)
}
if (referenceId !== undefined) {
  inputData = { ...inputData, initialPurchase: { ...(inputData.initialPurchase as object), referenceId } }
}
process.stdout.write(
  `${mintCheckoutToken(inputData as InputData, config.apiSecret, { iat: Math.floor(Date.now() / 1000) - age })}\n`
)
