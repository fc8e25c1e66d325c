// The same step of a checkout gets the same answer, stored once, whether or not it is an offer (issue 10, defect 1).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildWorld, checkout, tokenFor, post, referenceIdOf, HAT, type InputData } from '../support/server-world.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const sticker = JSON.parse(readFileSync(`${ROOT}rules/fixtures/sticker-us.json`, 'utf8')) as InputData

const rowsOf = (w: Awaited<ReturnType<typeof buildWorld>>, ref: string) =>
  (
    w.app.database.sqlite.prepare('SELECT COUNT(*) AS n FROM decisions WHERE reference_id = ?').get(ref) as {
      n: number
    }
  ).n

t.test('five identical calls for rules/fixtures/sticker-us.json leave one decision row', async (t) => {
  const w = await buildWorld(t, { config: { rulesDir: `${ROOT}rules` } })
  const token = tokenFor(sticker)
  const answers = []
  for (let i = 0; i < 5; i++) answers.push((await post(w.app, '/api/offer', token)).body)
  t.same(answers, Array(5).fill({ render: false }))
  t.equal(rowsOf(w, referenceIdOf(sticker)), 1, 'one decision row')
})

t.test('a holdout step is stored once and answered the same way', async (t) => {
  const w = await buildWorld(t)
  const input = checkout({ productIds: [HAT] })
  const token = tokenFor(input)
  const answers = await Promise.all([0, 1, 2].map(() => post(w.app, '/api/offer', token)))
  answers.push(await post(w.app, '/api/offer', token))
  for (const a of answers) t.same(a.body, { render: false })
  t.equal(rowsOf(w, referenceIdOf(input)), 1, 'one decision row')
})

t.test('a checkout without a match is stored once, even with a fresh token each time', async (t) => {
  const w = await buildWorld(t)
  const input = checkout({ productIds: [42] })
  for (let i = 0; i < 3; i++) t.same((await post(w.app, '/api/offer', tokenFor(input))).body, { render: false })
  t.equal(rowsOf(w, referenceIdOf(input)), 1, 'one decision row')
})
