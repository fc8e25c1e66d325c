// docs/api.md and server/errors.ts list the same error codes with the same statuses.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ERROR_STATUS } from '../../server/errors.js'

t.test('every error code is documented with its status, and nothing else is', async (t) => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/api.md', import.meta.url)), 'utf8')
  const documented = new Map(
    [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1] as string, Number(m[2])])
  )
  t.ok(ERROR_STATUS.size >= 20, 'the codes are read from the constructors')
  t.same(Object.fromEntries([...documented].sort()), Object.fromEntries([...ERROR_STATUS].sort()))
})

t.test('codes follow one convention: SUBJECT_WHAT in upper snake case, no product or framework prefix', async (t) => {
  for (const code of ERROR_STATUS.keys()) t.match(code, /^(?!ENCORE_|FST_)[A-Z]+(_[A-Z]+)+$|^INTERNAL$/, code)
})
