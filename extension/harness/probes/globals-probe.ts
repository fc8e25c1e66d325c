// Reports which globals the extension sees: the harness must offer a worker's, not Node's or a page's.
import { extend } from '@shopify/post-purchase-ui-extensions-react'

extend('Checkout::PostPurchase::ShouldRender', async ({ storage }) => {
  const names = [
    'process',
    'require',
    'module',
    'Buffer',
    'global',
    'window',
    'document',
    'fetch',
    'setTimeout',
    'AbortController',
    'self',
    'Intl'
  ]
  const seen: Record<string, string> = {}
  for (const name of names) seen[name] = typeof (globalThis as Record<string, unknown>)[name]
  await storage.update(seen)
  return { render: false }
})
