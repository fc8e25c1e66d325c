// The rules CLI: check, simulate and test on the sample set and on a broken copy, as a user runs them.
import t from 'tap'
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

type Run = { code: number; stdout: string; stderr: string }

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import=tsx', 'scripts/rules.ts', ...args],
      { env: { ...process.env, NO_COLOR: '1', RULES_DIR: '' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
      }
    )
  })
}

async function brokenCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'encore-broken-'))
  await cp('rules', dir, { recursive: true })
  const socks = join(dir, 'offers', 'wool-socks-with-boots.json')
  await writeFile(socks, (await readFile(socks, 'utf8')).replace('"greaterThanInclusive"', '"greaterThenInclusive"'))
  const gift = join(dir, 'offers', 'gift-wrap-after-socks.json')
  await writeFile(gift, (await readFile(gift, 'utf8')).replace('"priority": 28,', '"priority": 28,,'))
  return dir
}

async function failingCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'encore-failing-'))
  await cp('rules', dir, { recursive: true })
  const file = join(dir, 'tests', 'boots-and-socks.json')
  await writeFile(
    file,
    (await readFile(file, 'utf8')).replace(
      '"checkout": "boots-pickup", "at": "2026-11-25T12:00:00Z",\n    "expect": { "offer": null }',
      '"checkout": "boots-pickup", "at": "2026-11-25T12:00:00Z",\n    "expect": { "offer": "wool-socks-with-boots" }'
    )
  )
  return dir
}

t.test('the CLI', async (t) => {
  const [broken, failing] = await Promise.all([brokenCopy(), failingCopy()])
  const noRef = join(failing, 'no-reference.json')
  const input = JSON.parse(await readFile('rules/fixtures/boots-us.json', 'utf8'))
  delete input.initialPurchase.referenceId
  await writeFile(noRef, JSON.stringify(input))
  const [
    check,
    checkJson,
    checkBroken,
    checkBrokenJson,
    test,
    testFailing,
    sim,
    simJson,
    simHistory,
    simFile,
    simUnknown,
    badAt,
    badHistory,
    unknown,
    helps,
    simNoRef
  ] = await Promise.all([
    run('check'),
    run('check', '--json'),
    run('check', broken),
    run('check', broken, '--json'),
    run('test'),
    run('test', failing),
    run('simulate', 'boots-us', '--at', '2026-11-25T12:00:00Z'),
    run('simulate', 'boots-us-holdout', '--at', '2026-11-25T12:00:00Z', '--json'),
    run(
      'simulate',
      'boots-us',
      '--at',
      '2026-11-25T12:00:00Z',
      '--history',
      '{"shown":["wool-socks-with-boots"],"declined":["wool-socks-with-boots"]}'
    ),
    run('simulate', 'rules/fixtures/jacket-de.json', '--at', '2026-11-25T12:00:00Z'),
    run('simulate', 'boots-uk'),
    run('simulate', 'boots-us', '--at', 'yesterday'),
    run('simulate', 'boots-us', '--history', '[oops'),
    run('deploy'),
    Promise.all([run('--help'), run('check', '--help'), run('simulate', '--help'), run('test', '--help')]),
    run('simulate', noRef, '--at', '2026-11-25T12:00:00Z')
  ])

  t.test('check passes on the sample set', async (t) => {
    t.equal(check.code, 0)
    t.match(check.stdout, /^✓ rules: 7 rules, 2 named conditions, 12 fixtures, 21 tests; hash [0-9a-f]{12}$/m)
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
    t.match(test.stdout, /21 passed, 0 failed/)
    t.equal(testFailing.code, 1)
    t.match(testFailing.stdout, /✗ FAIL +tests\/boots-and-socks\.json › pickup orders get nothing/)
    t.match(testFailing.stdout, /expected offer "wool-socks-with-boots", got null/)
    t.match(
      testFailing.stdout,
      /shippingCountry in \["US","CA"\] +\(saw null\)/,
      'the expected rule is explained with the values seen'
    )
    t.match(testFailing.stdout, /20 passed, 1 failed/)
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
