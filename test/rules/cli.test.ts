// The rules CLI: check, simulate and test on the sample set and on broken copies, called in process through
// main(argv, io), plus one run as a user starts it (a spawned process).
import t from 'tap'
import { execFile } from 'node:child_process'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { main } from '../../scripts/rules.js'
import { recordingIo } from '../../scripts/lib/cli.js'
import { nodeTs } from '../support/node-ts.js'

type Run = { code: number; stdout: string; stderr: string }

async function run(...args: string[]): Promise<Run> {
  const io = recordingIo({ NO_COLOR: '1' })
  const code = await main(args, io)
  return { code, stdout: io.stdout, stderr: io.stderr }
}

/** A copy of the sample rules under `dir`, edited by `edit`. */
function copyOfRules(dir: string, edit: (dir: string) => void): string {
  cpSync('rules', dir, { recursive: true })
  edit(dir)
  return dir
}

const replaceIn = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8')
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${from}`)
  writeFileSync(file, text.replace(from, to))
}

t.test('the CLI', async (t) => {
  const scratch = t.testdir() // tap removes it when the test ends
  const broken = copyOfRules(join(scratch, 'broken'), (dir) => {
    replaceIn(join(dir, 'offers', 'wool-socks-with-boots.json'), '"greaterThanInclusive"', '"greaterThenInclusive"')
    replaceIn(join(dir, 'offers', 'gift-wrap-after-socks.json'), '"priority": 28,', '"priority": 28,,')
  })
  const failing = copyOfRules(join(scratch, 'failing'), (dir) =>
    replaceIn(
      join(dir, 'tests', 'boots-and-socks.json'),
      '"checkout": "boots-pickup", "at": "2026-11-25T12:00:00Z",\n    "expect": { "offer": null }',
      '"checkout": "boots-pickup", "at": "2026-11-25T12:00:00Z",\n    "expect": { "offer": "wool-socks-with-boots" }'
    )
  )
  const noRef = join(failing, 'no-reference.json')
  const input = JSON.parse(readFileSync('rules/fixtures/boots-us.json', 'utf8'))
  delete input.initialPurchase.referenceId
  writeFileSync(noRef, JSON.stringify(input))
  const check = await run('check')
  const checkJson = await run('check', '--json')
  const checkBroken = await run('check', broken)
  const checkBrokenJson = await run('check', broken, '--json')
  const test = await run('test')
  const testFailing = await run('test', failing)
  const sim = await run('simulate', 'boots-us', '--at', '2026-11-25T12:00:00Z')
  const simJson = await run('simulate', 'boots-us-holdout', '--at', '2026-11-25T12:00:00Z', '--json')
  const simHistory = await run(
    'simulate',
    'boots-us',
    '--at',
    '2026-11-25T12:00:00Z',
    '--history',
    '{"shown":["wool-socks-with-boots"],"declined":["wool-socks-with-boots"]}'
  )
  const simFile = await run('simulate', 'rules/fixtures/jacket-de.json', '--at', '2026-11-25T12:00:00Z')
  const simUnknown = await run('simulate', 'boots-uk')
  const badAt = await run('simulate', 'boots-us', '--at', 'yesterday')
  const badHistory = await run('simulate', 'boots-us', '--history', '[oops')
  const unknown = await run('deploy')
  const helps = [
    await run('--help'),
    await run('check', '--help'),
    await run('simulate', '--help'),
    await run('test', '--help')
  ]
  const simNoRef = await run('simulate', noRef, '--at', '2026-11-25T12:00:00Z')

  t.test('check passes on the sample set', async (t) => {
    t.equal(check.code, 0)
    t.match(check.stdout, /^✓ rules: 7 rules, 2 named conditions, 12 fixtures, 23 tests; hash [0-9a-f]{12}$/m)
    t.notOk(check.stdout.includes('\u001b['), 'no colour outside a terminal')
    const json = JSON.parse(checkJson.stdout)
    t.match(json, { ok: true, count: 7, errors: [], warnings: [] })
  })

  t.test('check fails on a broken copy, naming file, line, column, pointer and what was expected', async (t) => {
    t.equal(checkBroken.code, 1)
    t.match(checkBroken.stdout, /offers\/gift-wrap-after-socks\.json:5:18 +error +JSON_PARSE/)
    t.match(
      checkBroken.stdout,
      /offers\/wool-socks-with-boots\.json:10:59 +error +UNKNOWN_OPERATOR +\/conditions\/all\/2\/operator +unknown operator "greaterThenInclusive" \(did you mean "greaterThanInclusive"\?\)/
    )
    t.match(checkBroken.stdout, /2 errors, 0 warnings/)
    const json = JSON.parse(checkBrokenJson.stdout)
    t.equal(checkBrokenJson.code, 1)
    t.same(
      json.errors.map((e: { code: string }) => e.code),
      ['JSON_PARSE', 'UNKNOWN_OPERATOR']
    )
  })

  t.test('test runs every rule test and fails with an explanation', async (t) => {
    t.equal(test.code, 0)
    t.match(test.stdout, /23 passed, 0 failed/)
    t.equal(testFailing.code, 1)
    t.match(testFailing.stdout, /✗ FAIL +tests\/boots-and-socks\.json › pickup orders get nothing/)
    t.match(testFailing.stdout, /expected offer "wool-socks-with-boots", got null/)
    t.match(
      testFailing.stdout,
      /shippingCountry in \["US","CA"\] +\(saw null\)/,
      'the expected rule is explained with the values seen'
    )
    t.match(testFailing.stdout, /22 passed, 1 failed/)
  })

  t.test('simulate explains the decision rule by rule', async (t) => {
    t.equal(sim.code, 0)
    t.match(sim.stdout, /Offer: wool-socks-with-boots, arm 20-off/)
    t.match(sim.stdout, /★ won +wool-socks-with-boots \(priority 30\)/)
    t.match(sim.stdout, /✓ cart \$\.subtotal greaterThanInclusive 50 +\(saw 119\)/)
    t.match(sim.stdout, /picker: 808950810 "Grey", 808950811 "Charcoal"/, 'the picker as the buyer reads it')
    t.match(sim.stdout, /· disabled +flip-flops-summer/)
    const json = JSON.parse(simJson.stdout)
    t.match(json.decision, { ruleId: 'wool-socks-with-boots', arm: 'holdout', holdout: true, offer: null })
    t.equal(json.decision.explanation.rules.length, 7)
    t.equal(json.facts.cart.subtotal, 119)
    t.match(simHistory.stdout, /Offer: single-pair-socks/)
    t.match(simHistory.stdout, /already_in_history +wool-socks-with-boots/)
    t.match(simFile.stdout, /\(file rules\/fixtures\/jacket-de\.json\)[\s\S]*Offer: waterproofing-with-jacket/)
    t.match(simFile.stdout, /Damit Ihre Jacke trocken bleibt/)
    t.equal(simNoRef.code, 0)
    t.match(
      simNoRef.stdout,
      /^Checkout sim-[0-9a-f]{16} \(file /,
      'a file without referenceId gets a stable derived one'
    )
  })

  t.test('bad usage exits 2 with a message that says what was expected', async (t) => {
    t.equal(simUnknown.code, 2)
    t.match(simUnknown.stderr, /no fixture "boots-uk" \(did you mean "boots-us"\?\); expected a fixture name/)
    t.equal(badAt.code, 2)
    t.match(badAt.stderr, /--at: expected an ISO 8601 time/)
    t.equal(badHistory.code, 2)
    t.match(badHistory.stderr, /--history: expected a JSON object/)
    t.equal(unknown.code, 2)
    t.match(unknown.stderr, /unknown command "deploy"; expected check, simulate or test/)
  })

  t.test('every command has --help', async (t) => {
    for (const h of helps) {
      t.equal(h.code, 0)
      t.match(h.stdout, /Usage:/)
    }
    t.match(helps[2]?.stdout, /--history JSON/)
  })
})

t.test('--strict makes unknown facts and paths errors; without it they stay warnings', async (t) => {
  const typo = copyOfRules(t.testdir(), (dir) =>
    replaceIn(join(dir, 'offers', 'wool-socks-with-boots.json'), '"$.subtotal"', '"$.subtotl"')
  )
  const lenient = await run('check', typo, '--json')
  t.equal(lenient.code, 0, 'the default follows the rules format: warnings exit 0')
  t.same(
    JSON.parse(lenient.stdout).warnings.map((w: { code: string }) => w.code),
    ['UNKNOWN_PATH']
  )
  const strict = await run('check', typo, '--strict')
  t.equal(strict.code, 1)
  t.match(strict.stdout, /offers\/wool-socks-with-boots\.json:\d+:\d+ +error +UNKNOWN_PATH/)
  const strictJson = JSON.parse((await run('check', typo, '--strict', '--json')).stdout)
  t.match(strictJson, { ok: false, errors: [{ code: 'UNKNOWN_PATH', severity: 'error' }], warnings: [] })
  t.match((await run('check', '--strict')).stdout, /^✓ rules: 7 rules/m, 'the sample rules pass --strict')
  t.match((await run('check', '--help')).stdout, /--strict +unknown facts and paths/)
})

t.test('run as a process, the CLI prints and exits like main() returns', async (t) => {
  const spawned = await new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      nodeTs('scripts/rules.ts', 'check', '--strict'),
      { env: { ...process.env, NO_COLOR: '1', RULES_DIR: '' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    )
  })
  t.equal(spawned.code, 0)
  t.match(spawned.stdout, /^✓ rules: 7 rules, 2 named conditions, 12 fixtures, 23 tests; hash [0-9a-f]{12}$/m)
  const failing = await new Promise<number>((resolve) =>
    execFile(process.execPath, nodeTs('scripts/rules.ts', 'deploy'), (err) =>
      resolve(err && typeof err.code === 'number' ? err.code : 0)
    )
  )
  t.equal(failing, 2, 'bad usage exits 2')
})
