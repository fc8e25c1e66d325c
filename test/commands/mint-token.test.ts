// `npm run mint-token` prints a checkout token for a fixture, signed with the configured secret, and refuses bad
// usage with exit 2.
import t from 'tap'
import { createVerifier } from 'fast-jwt'
import { main } from '../../scripts/mint-token.js'
import { recordingIo } from '../../scripts/lib/cli.js'
import { SECRET } from '../support/server-world.js'

const verify = createVerifier({ key: SECRET, algorithms: ['HS256'] })

t.test('a fixture becomes a token signed like Shopify, under another referenceId when asked', async (t) => {
  const io = recordingIo({ SHOPIFY_API_SECRET: SECRET })
  t.equal(await main(['boots-us', '--reference-id', 'r-custom', '--age', '60'], io), 0, io.stderr)
  const claims = verify(io.stdout.trim())
  t.match(claims, { iss: 'shopify', sub: 'r-custom', input_data: { initialPurchase: { referenceId: 'r-custom' } } })
  t.notOk('token' in claims.input_data, 'the token does not sign itself')
  const now = Math.floor(Date.now() / 1000)
  t.ok(claims.iat <= now - 60 && claims.iat > now - 120, '--age backdates iat, in seconds')
})

t.test('bad usage exits 2 and says what was wrong', async (t) => {
  for (const [args, message] of [
    [['no-such-fixture'], /no fixture no-such-fixture/],
    [[], /name a fixture/],
    [['boots-us', '--age', 'old'], /--age must be a number of seconds/],
    [['boots-us', '--colour'], /unknown option --colour/]
  ] as const) {
    const io = recordingIo({})
    t.equal(await main([...args], io), 2, args.join(' '))
    t.match(io.stderr, message)
    t.equal(io.stdout, '')
  }
})

t.test('with RULES_DIR empty it reads the sample fixtures and prints only the token', async (t) => {
  // Run as a process, main prints the same through runIfEntry (test/rules/cli.test.ts runs a command that way).
  const io = recordingIo({ SHOPIFY_API_SECRET: SECRET, RULES_DIR: '' })
  t.equal(await main(['boots-us'], io), 0, io.stderr)
  t.match(io.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'one line: the token')
  t.match(verify(io.stdout.trim()), { iss: 'shopify', sub: 'r-boots-us-1' })
})
