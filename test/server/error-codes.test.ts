// docs/api.md and server/errors.ts list the same error codes with the same statuses.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ERRORS } from '../../server/errors.js'

t.test('every error code is documented with its status, and nothing else is', async (t) => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/api.md', import.meta.url)), 'utf8')
  const documented = new Map(
    [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1] as string, Number(m[2])])
  )
  const code = new Map(Object.entries(ERRORS).map(([k, [status]]) => [k, status as number]))
  t.same(Object.fromEntries([...documented].sort()), Object.fromEntries([...code].sort()))
})
