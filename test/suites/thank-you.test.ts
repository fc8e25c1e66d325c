// The Thank-you page: its routes, its bundle and host, both pages end to end. One tap process (see
// test/suites/README.md).
import '../thank-you/build.test.js'
import '../thank-you/e2e.test.js'
import '../thank-you/host.test.js'
import '../thank-you/locales.test.js'
import '../server/thank-you.test.js'
import '../server/thank-you-admin.test.js'
