import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/open-database.js'
import type { Db } from '../../server/shopify/session-storage.js'
import { ShopRegistry } from '../../server/shopify/shops.js'
import { pruneDeliveries } from '../../server/shopify/webhooks.js'
import { shopifyWebhookDeliveries } from '../../server/shopify/schema.js'

t.test('shop registry and delivery ids', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-shops-'))
  const path = join(dir, 'encore.db')
  const a = openDatabase(path)
  const b = openDatabase(path)
  t.teardown(() => {
    a.sqlite.close()
    b.sqlite.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const here = new ShopRegistry(a.db as unknown as Db)
  const there = new ShopRegistry(b.db as unknown as Db)

  t.test('an uninstall recorded by another process shows up after a refresh', async (t) => {
    here.markInstalled('s.myshopify.com', 'read_products')
    there.refresh()
    t.equal(there.isActive('s.myshopify.com'), true)
    here.markUninstalled('s.myshopify.com')
    t.equal(there.isActive('s.myshopify.com'), true, 'memory is per process until it refreshes')
    there.refresh()
    t.equal(there.isActive('s.myshopify.com'), false)
  })

  t.test('uninstalling twice keeps the first date; reinstalling clears it', async (t) => {
    const first = here.markUninstalled('s.myshopify.com', 1000).uninstalledAt
    t.equal(here.markUninstalled('s.myshopify.com', 5000).uninstalledAt, first)
    t.equal(here.markInstalled('s.myshopify.com', 'read_products').uninstalledAt, null)
  })

  t.test('a redacted shop keeps a tombstone and stays inactive across restarts', async (t) => {
    here.markRedacted('s.myshopify.com')
    const restarted = new ShopRegistry(a.db as unknown as Db)
    t.equal(restarted.isActive('s.myshopify.com'), false)
    t.equal(restarted.get('s.myshopify.com')?.scopes, null)
  })

  t.test('delivery ids older than the retention are pruned', async (t) => {
    const db = a.db as unknown as Db
    db.insert(shopifyWebhookDeliveries)
      .values([
        { webhookId: 'old', topic: 'SHOP_REDACT', shop: 's.myshopify.com', receivedAt: 1000 },
        { webhookId: 'new', topic: 'SHOP_REDACT', shop: 's.myshopify.com', receivedAt: Date.now() }
      ])
      .run()
    t.equal(pruneDeliveries(db, Date.now() - 60_000), 1)
    t.same(
      db
        .select()
        .from(shopifyWebhookDeliveries)
        .all()
        .map((r) => r.webhookId),
      ['new']
    )
  })
})
