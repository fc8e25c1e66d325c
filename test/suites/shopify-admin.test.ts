// The Shopify integration against the fake Admin API: catalog, orders, order edits, the app URL and configuration. One
// tap process (see test/suites/README.md).
import '../shopify/app-toml.test.js'
import '../shopify/app-url.test.js'
import '../shopify/catalog.test.js'
import '../shopify/config.test.js'
import '../shopify/e2e.test.js'
import '../shopify/order-edit.test.js'
import '../shopify/orders.test.js'
import '../shopify/rules-with-catalog.test.js'
import '../shopify/ttl-cache.test.js'
