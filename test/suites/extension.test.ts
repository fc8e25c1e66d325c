// The post-purchase extension: its build, contract, parser and the real bundle in the checkout harness. One tap process
// (see test/suites/README.md).
import '../extension/build.test.js'
import '../extension/contract-imports.test.js'
import '../extension/demo-catalog.test.js'
import '../extension/fail-closed.test.js'
import '../extension/harness.test.js'
import '../extension/offer-parser.test.js'
import '../extension/preview-thank-you-pages.test.js'
import '../extension/real-service.test.js'
