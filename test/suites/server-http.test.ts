// The offer service through inject(): the checkout routes, their inputs and errors, the admin routes. One tap process
// (see test/suites/README.md).
import '../server/admin.test.js'
import '../server/bad-input.test.js'
import '../server/checkout-auth.test.js'
import '../server/error-codes.test.js'
import '../server/framework-errors.test.js'
import '../server/http.test.js'
import '../server/offer.test.js'
import '../server/offer-concurrency.test.js'
import '../server/offer-once.test.js'
import '../server/session-token-auth.test.js'
import '../server/sign-changeset.test.js'
