// The checkout token is verified once and remembered; a remembered token still ages out on its own claims.
import t from 'tap'
import { createCheckoutAuthenticator } from '../../server/plugins/checkout-auth.js'
import { checkout, tokenFor, SECRET } from '../support/server-world.js'

const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code
  }
  return 'none'
}

t.test('a remembered token answers the same checkout and expires at iat + max age', async (t) => {
  const authenticate = createCheckoutAuthenticator({ secret: SECRET, maxAgeSeconds: 3600 })
  const now = Math.floor(Date.now() / 1000)
  const header = `Bearer ${tokenFor(checkout({ referenceId: 'r-aging' }), { iat: now - 3590 })}`
  const first = authenticate(header)
  t.equal(first.referenceId, 'r-aging')
  t.equal(authenticate(header), first, 'the second call is served from memory')
  const realNow = Date.now
  t.teardown(() => {
    Date.now = realNow
  })
  Date.now = () => realNow() + 20_000
  t.equal(
    code(() => authenticate(header)),
    'TOKEN_EXPIRED'
  )
})

t.test('a token with an exp is remembered only until then', async (t) => {
  const authenticate = createCheckoutAuthenticator({ secret: SECRET, maxAgeSeconds: 3600 })
  const now = Math.floor(Date.now() / 1000)
  const header = `Bearer ${tokenFor(checkout(), { iat: now, exp: now + 5 })}`
  t.ok(authenticate(header))
  const realNow = Date.now
  t.teardown(() => {
    Date.now = realNow
  })
  Date.now = () => realNow() + 10_000
  t.equal(
    code(() => authenticate(header)),
    'TOKEN_EXPIRED'
  )
})

t.test('malformed Authorization headers are refused before any verification', async (t) => {
  const authenticate = createCheckoutAuthenticator({ secret: SECRET, maxAgeSeconds: 3600 })
  t.equal(
    code(() => authenticate(undefined)),
    'TOKEN_MISSING'
  )
  t.equal(
    code(() => authenticate('')),
    'TOKEN_MISSING'
  )
  for (const h of ['Bearer', 'Bearer ', 'Basic abc', 'token-alone', 'Bearer a b'])
    t.equal(
      code(() => authenticate(h)),
      'TOKEN_INVALID',
      h
    )
})
