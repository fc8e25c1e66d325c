// The `shopify` global on this target: the whole extension API (2025-10 and later), typed for
// purchase.thank-you.block.render. Read when called: the host defines it before it runs our module.
import type { Api } from '@shopify/ui-extensions/purchase.thank-you.block.render'

export const platform = (): Api => (globalThis as unknown as { shopify: Api }).shopify
