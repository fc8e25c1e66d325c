// Logs never carry a token, a secret or a signed changeset; rules reload on file changes (dev) and on SIGHUP
// (production).
import t from 'tap'
import { Writable } from 'node:stream'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, readFileSync, openSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../../server/app.js'
import { testConfig } from '../support/test-config.js'
import {
  checkout,
  tokenFor,
  post,
  writeRules,
  standardRules,
  matchAllRules,
  SECRET,
  ADMIN_TOKEN
} from '../support/server-world.js'
import { nodeTs } from '../support/node-ts.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Polls `check` every 25 ms for at most 30 s (a loaded machine is slow to deliver file events); the assertion after it
 * fails if the condition never came. */
const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 1200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25))
}

t.test('a full flow at trace level logs request ids but no token, secret or signed changeset', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-logs-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeRules(join(dir, 'rules'), standardRules())
  let logs = ''
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs += chunk.toString()
      cb()
    }
  })
  const app = await buildApp({
    config: testConfig({
      rulesDir: join(dir, 'rules'),
      databasePath: join(dir, 'e.db'),
      apiSecret: SECRET,
      adminToken: ADMIN_TOKEN
    }),
    logger: { level: 'trace', stream }
  })
  t.teardown(() => app.close())
  const token = tokenFor(checkout())
  const offer = (await post(app, '/api/offer', token)).body.offer
  const signed = (await post(app, '/api/sign-changeset', token, { offerId: offer.id })).body.token as string
  await post(app, '/api/sign-changeset', token, { offerId: offer.id, quantity: 3 })
  await post(app, '/api/offer', 'forged.' + token.split('.')[1] + '.sig')
  t.match(logs, /"reqId"/)
  t.notOk(logs.includes(token.split('.')[2] as string), 'no checkout token')
  t.notOk(logs.includes(signed.split('.')[2] as string), 'no changeset token')
  t.notOk(logs.includes(SECRET), 'no secret')
  t.notOk(logs.includes(ADMIN_TOKEN), 'no admin token')
})

t.test('with watching on, editing a rule file reloads; an invalid edit keeps the last good ruleset', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-watch-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const rulesDir = join(dir, 'rules')
  writeRules(rulesDir, standardRules())
  let logs = ''
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs += chunk.toString()
      cb()
    }
  })
  const app = await buildApp({
    config: testConfig({ rulesDir, databasePath: ':memory:', apiSecret: SECRET }),
    watchRules: true,
    logger: { level: 'error', stream }
  })
  t.teardown(() => app.close())
  await app.ready() // the watcher is ready too: no settling time needed
  const first = app.rules.current().hash
  // Edits in place, as an editor makes them (writeRules would replace the watched directory itself).
  for (const r of matchAllRules(2)) writeFileSync(join(rulesDir, 'offers', `${String(r.id)}.json`), JSON.stringify(r))
  await until(() => app.rules.current().count === 6)
  t.equal(app.rules.current().count, 6)
  const good = app.rules.current().hash
  t.not(good, first)

  writeFileSync(join(rulesDir, 'offers', 'broken.json'), '{ "id": "broken", ')
  await until(() => logs.includes('rules reload failed'))
  t.match(logs, /rules reload failed, still serving [0-9a-f]{12}:[\s\S]*offers\/broken\.json[\s\S]*JSON_PARSE/)
  t.equal(app.rules.current().hash, good, 'the last good ruleset is still served')
  t.equal(app.rules.current().count, 6)
  t.equal((await post(app, '/api/offer', tokenFor(checkout()))).status, 200, 'and requests are still answered')
})

t.test('SIGHUP reloads the rules of a running server', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'encore-hup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const rulesDir = join(dir, 'rules')
  writeRules(rulesDir, standardRules())
  const logFile = join(dir, 'server.log')
  const child = spawn(process.execPath, nodeTs('server/server.ts'), {
    cwd: ROOT,
    env: {
      ...process.env,
      SHOPIFY_API_SECRET: SECRET,
      DATABASE_PATH: join(dir, 'e.db'),
      RULES_DIR: rulesDir,
      PORT: '0',
      LOG_LEVEL: 'info'
    },
    stdio: ['ignore', openSync(logFile, 'w'), 'ignore']
  })
  const exited = new Promise((r) => child.once('exit', r))
  t.teardown(async () => {
    child.kill('SIGKILL')
    await exited
  })
  let url = ''
  await until(() => {
    url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(logFile, 'utf8'))?.[1] ?? ''
    return url !== ''
  })
  t.ok(url, 'the server started')
  const count = async () => ((await (await fetch(`${url}/health`)).json()) as { rules: { count: number } }).rules.count
  t.equal(await count(), 4)
  writeRules(rulesDir, standardRules().slice(0, 2))
  child.kill('SIGHUP')
  await until(async () => (await count()) === 2)
  t.equal(await count(), 2)
  t.match(readFileSync(logFile, 'utf8'), /rules reloaded/)
  child.kill('SIGTERM')
  await exited
})
