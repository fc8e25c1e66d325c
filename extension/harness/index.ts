// The local checkout harness: runs the real extension bundle as Shopify would, without Shopify.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { InputData } from './checkout-token.js'

export {
  CheckoutSession,
  type SessionOptions,
  type LogEntry,
  type Applied,
  type ApplyResult
} from './checkout-session.js'
export { loadCatalog, type Catalog, type CatalogVariant } from './catalog.js'
export { CHANGESET_ERROR_CODES, calculate, type ChangesetErrorCode } from './changeset-calculator.js'
export { verifyChangeset } from './changeset-verifier.js'
export { mintCheckoutToken, type InputData } from './checkout-token.js'
export { COMPONENTS, textOf, findAll, serialise, type TreeNode } from './remote-tree.js'

/** The checkouts in a rules directory's fixtures/, by name (file name without .json). */
export function loadFixtures(rulesDir: string): Record<string, InputData> {
  const dir = join(rulesDir, 'fixtures')
  const out: Record<string, InputData> = {}
  let files: string[] = []
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  } catch {
    return out
  }
  for (const file of files)
    out[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as InputData
  return out
}
