// Webhooks, OAuth and the Shopify store, on both databases and across instances. One tap process (see
// test/suites/README.md).
import '../shopify/data-requests.test.js'
import '../shopify/oauth.test.js'
import '../shopify/store-contract.test.js'
import '../shopify/two-instances.test.js'
import '../shopify/webhooks.test.js'
import '../shopify/webhooks-postgres.test.js'
