// The harness's demo catalog covers every variant the sample rules offer, so every sample offer can be previewed.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadCatalog, loadFixtures } from '../../extension/harness/index.js'
import { SAMPLE_RULES_DIR } from '../support/extension-checkout.js'

type OfferPart = { variantId?: number; variants?: number[] }

function offeredVariants(): Map<number, string> {
  const found = new Map<number, string>()
  const dir = join(SAMPLE_RULES_DIR, 'offers')
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const rule = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      offer?: OfferPart
      experiment?: { arms?: { offer?: OfferPart }[] }
    }
    const parts = [rule.offer, ...(rule.experiment?.arms ?? []).map((a) => a.offer)]
    for (const part of parts) {
      for (const id of [part?.variantId, ...(part?.variants ?? [])]) if (typeof id === 'number') found.set(id, file)
    }
  }
  return found
}

t.test('every variant a sample rule offers is in the demo catalog', async (t) => {
  const catalog = loadCatalog()
  const offered = offeredVariants()
  t.ok(offered.size > 0, 'the sample rules offer something')
  for (const [id, file] of offered)
    t.ok(
      catalog.variants.has(id),
      `variant ${id} (offered in offers/${file}) is in extension/harness/demo-catalog.json`
    )
})

t.test(
  'every catalog price is a positive decimal string and every fixture is a checkout the harness can load',
  async (t) => {
    for (const [id, v] of loadCatalog().variants) t.match(v.price, /^\d+\.\d\d$/, `variant ${id} price`)
    const fixtures = loadFixtures(SAMPLE_RULES_DIR)
    t.ok(Object.keys(fixtures).length > 0)
    for (const [name, f] of Object.entries(fixtures))
      t.type(f.initialPurchase?.referenceId, 'string', `${name} has a referenceId`)
  }
)
