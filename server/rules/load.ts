// Loads a rules directory (or the same files from storage) into an immutable, hashed ruleset,
// or into the diagnostics that say what to fix. Never throws on bad content.
import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  checkFixture,
  checkRule,
  checkTests,
  baseName,
  findConditionCycles,
  checkConditions
} from './check-semantics.js'
import { compileRuleset, registerCompiled } from './compiled-ruleset.js'
import { lintRules } from './lint-rules.js'
import { parseJsonFile, type ParsedFile } from './parse-json.js'
import { schemaDiagnostics, validators } from './schema-validate.js'
import { deepFreeze } from './freeze.js'
import type {
  ConditionNode,
  Diagnostic,
  LoadResult,
  NamedCondition,
  OfferSpec,
  RuleSpec,
  RuleTest,
  Ruleset
} from './types.js'
import { neededCatalogs } from './fact-shapes.js'

export const SECTIONS = ['offers', 'conditions', 'fixtures', 'tests'] as const
type Section = (typeof SECTIONS)[number]

const isParsed = (p: ParsedFile | Diagnostic): p is ParsedFile => 'data' in p

function sectionOf(file: string): Section | null {
  const m = /^([a-z]+)\/[^/]+\.json$/.exec(file)
  return m && (SECTIONS as readonly string[]).includes(m[1] as string) ? (m[1] as Section) : null
}

function warnUnused(file: string): Diagnostic {
  return {
    severity: 'warning',
    code: 'UNUSED_FILE',
    file,
    pointer: '',
    line: 1,
    column: 1,
    message: 'ignored: expected offers/*.json, conditions/*.json, fixtures/*.json, tests/*.json or rule.schema.json'
  }
}

/** sha256 over the sorted relative paths and contents. */
export function hashFiles(files: Readonly<Record<string, string>>): string {
  const h = createHash('sha256')
  for (const file of Object.keys(files).sort()) h.update(`${file}\0${files[file]}\0`)
  return h.digest('hex')
}

const byFile = (a: Diagnostic, b: Diagnostic) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column

type RawRule = Omit<RuleSpec, 'file' | 'description' | 'enabled' | 'priority' | 'schedule' | 'experiment' | 'next'> & {
  description?: string
  enabled?: boolean
  priority?: number
  schedule?: { from?: string; until?: string }
  experiment?: RuleSpec['experiment']
  next?: { onAccept?: string; onDecline?: string }
}

function toRuleSpec(file: string, raw: RawRule): RuleSpec {
  return {
    id: raw.id,
    file,
    description: raw.description ?? null,
    enabled: raw.enabled ?? true,
    priority: raw.priority ?? 0,
    schedule: raw.schedule ? { from: raw.schedule.from ?? null, until: raw.schedule.until ?? null } : null,
    conditions: raw.conditions as ConditionNode,
    offer: raw.offer as OfferSpec,
    experiment: raw.experiment ?? null,
    next: { onAccept: raw.next?.onAccept ?? null, onDecline: raw.next?.onDecline ?? null }
  }
}

/** Where every phase reports; errors make the ruleset invalid, warnings do not. */
type Collected = { errors: Diagnostic[]; warnings: Diagnostic[] }
type NamedEntry = { parsed: ParsedFile; def: NamedCondition }
type RuleEntryRaw = { parsed: ParsedFile; raw: RawRule }

/**
 * Loads a ruleset from its files (relative path -> content) in six phases: parse the files, then named conditions
 * (rules refer to them), rules, fixtures, tests (they refer to all three), and assemble the frozen ruleset.
 */
export function loadRulesFromFiles(input: Record<string, string>, opts: { now?: Date } = {}): LoadResult {
  const out: Collected = { errors: [], warnings: [] }
  const { files, parsed } = parseFiles(input, out)
  const { named, validNamed } = loadConditions(parsed.conditions, out)
  const { rules, knownIds } = loadRules(parsed.offers, files, named, out)
  const fixtures = loadFixtures(parsed.fixtures, out)
  const tests = loadTests(parsed.tests, fixtures, knownIds, rules, out)
  return assemble({ files, parsed, validNamed, rules, knownIds, fixtures, tests, now: opts.now ?? new Date() }, out)
}

/** Phase 1: keeps the files of the layout (others get UNUSED_FILE) and parses each with source positions. */
function parseFiles(
  input: Record<string, string>,
  out: Collected
): { files: Record<string, string>; parsed: Record<Section, ParsedFile[]> } {
  const files: Record<string, string> = {}
  const parsed: Record<Section, ParsedFile[]> = { offers: [], conditions: [], fixtures: [], tests: [] }
  for (const rawName of Object.keys(input).sort()) {
    const file = rawName.replace(/\\/g, '/').replace(/^\.\//, '')
    const content = input[rawName] as string
    if (file === 'rule.schema.json') continue
    const section = sectionOf(file)
    if (!section) {
      if (file.endsWith('.json')) out.warnings.push(warnUnused(file))
      continue
    }
    files[file] = content
    const p = parseJsonFile(file, content)
    if (isParsed(p)) parsed[section].push(p)
    else out.errors.push(p)
  }
  return { files, parsed }
}

/** Phase 2: named conditions, checked against their schema, their file names, each other and cycles. */
function loadConditions(
  parsed: ParsedFile[],
  out: Collected
): { named: Map<string, NamedEntry>; validNamed: Map<string, NamedEntry> } {
  const named = new Map<string, NamedEntry>()
  for (const p of parsed) {
    const d = schemaDiagnostics(validators.namedCondition, p, 'CONDITION_SCHEMA')
    const def = p.data as NamedCondition
    if (d.length === 0 && def.name !== baseName(p.file)) {
      d.push(
        errorAt(
          p,
          'CONDITION_NAME_MISMATCH',
          '/name',
          `name "${def.name}" differs from the file name; expected "${baseName(p.file)}"`
        )
      )
    }
    out.errors.push(...d)
    // Keep even invalid ones by file name, so rules referring to them do not get a second error.
    named.set(baseName(p.file), { parsed: p, def })
  }
  const validNamed = new Map([...named].filter(([, v]) => validators.namedCondition(v.def)))
  for (const { parsed: p, def } of validNamed.values())
    out.errors.push(...checkConditions(p, def.conditions, '/conditions', named))
  out.errors.push(...findConditionCycles(validNamed))
  return { named, validNamed }
}

/** Phase 3: rules that pass the schema; every offer file's name counts as a known id for the tests. */
function loadRules(
  parsed: ParsedFile[],
  files: Record<string, string>,
  named: Map<string, NamedEntry>,
  out: Collected
): { rules: Map<string, RuleEntryRaw>; knownIds: Set<string> } {
  const rules = new Map<string, RuleEntryRaw>()
  const knownIds = new Set(
    Object.keys(files)
      .filter((f) => f.startsWith('offers/'))
      .map(baseName)
  )
  for (const p of parsed) {
    const d = schemaDiagnostics(validators.rule, p, 'RULE_SCHEMA')
    const raw = p.data as RawRule
    if (d.length === 0) {
      d.push(...checkRule(p, raw as never, named))
      rules.set(baseName(p.file), { parsed: p, raw })
    } else if (raw && typeof raw === 'object' && validators.conditions((raw as { conditions?: unknown }).conditions)) {
      // Report operator and reference mistakes now too, not after the schema errors are fixed.
      d.push(...checkConditions(p, raw.conditions, '/conditions', named))
    }
    out.errors.push(...d)
  }
  return { rules, knownIds }
}

/** Phase 4: fixtures, by name (file name without .json). */
function loadFixtures(parsed: ParsedFile[], out: Collected): Record<string, unknown> {
  const fixtures: Record<string, unknown> = {}
  for (const p of parsed) {
    out.errors.push(...checkFixture(p))
    fixtures[baseName(p.file)] = p.data
  }
  return fixtures
}

/** Phase 5: rule tests, which must name existing fixtures and rules. */
function loadTests(
  parsed: ParsedFile[],
  fixtures: Record<string, unknown>,
  knownIds: Set<string>,
  rules: Map<string, RuleEntryRaw>,
  out: Collected
): Record<string, RuleTest[]> {
  const tests: Record<string, RuleTest[]> = {}
  const rawRules = new Map([...rules].map(([k, v]) => [k, v.raw as never]))
  for (const p of parsed) {
    const d = schemaDiagnostics(validators.tests, p, 'TEST_SCHEMA')
    if (d.length === 0)
      d.push(...checkTests(p, p.data as RuleTest[], new Set(Object.keys(fixtures)), knownIds, rawRules))
    out.errors.push(...d)
    tests[p.file] = p.data as RuleTest[]
  }
  return tests
}

/** Phase 6: the warnings, then either every diagnostic (sorted) or the frozen, hashed, compiled ruleset. */
function assemble(
  loaded: {
    files: Record<string, string>
    parsed: Record<Section, ParsedFile[]>
    validNamed: Map<string, NamedEntry>
    rules: Map<string, RuleEntryRaw>
    knownIds: Set<string>
    fixtures: Record<string, unknown>
    tests: Record<string, RuleTest[]>
    now: Date
  },
  { errors, warnings }: Collected
): LoadResult {
  const { files, parsed, validNamed, rules, knownIds, fixtures, tests, now } = loaded
  // Warnings cover every rule and named condition that passed its schema, even when others failed.
  const specs = [...rules.values()].map(({ parsed: p, raw }) => toRuleSpec(p.file, raw))
  const conditions: Record<string, NamedCondition> = {}
  for (const [name, { def }] of validNamed) conditions[name] = { name: def.name, conditions: def.conditions }
  const parsedByFile = new Map([...parsed.offers, ...parsed.conditions].map((p) => [p.file, p]))
  warnings.push(...lintRules(specs, conditions, parsedByFile, now, knownIds))

  if (errors.length > 0) {
    return { ok: false, errors: errors.sort(byFile), warnings: warnings.sort(byFile) }
  }

  const byId = new Map(specs.map((r) => [r.id, r]))
  const ruleset: Ruleset = {
    hash: hashFiles(files),
    loadedAt: new Date().toISOString(),
    count: specs.length,
    rules: specs,
    getRule: (id: string) => byId.get(id),
    files,
    fixtures,
    conditions,
    tests,
    needs: neededCatalogs(specs, conditions)
  }
  deepFreeze(ruleset)
  registerCompiled(ruleset, compileRuleset(ruleset.rules, ruleset.conditions))
  return { ok: true, ruleset, warnings: warnings.sort(byFile) }
}

function errorAt(p: ParsedFile, code: string, pointer: string, message: string): Diagnostic {
  const info = p.pointers[pointer]
  const loc = info ? (info.key ?? info.value) : { line: 0, column: 0 }
  return { severity: 'error', code, file: p.file, pointer, line: loc.line + 1, column: loc.column + 1, message }
}

/** Reads offers/, conditions/, fixtures/ and tests/ under `dir`, then loads them. */
export async function loadRulesDir(dir: string, opts: { now?: Date } = {}): Promise<LoadResult> {
  const input: Record<string, string> = {}
  const pre: Diagnostic[] = []
  const warnings: Diagnostic[] = []
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory')
  } catch {
    return {
      ok: false,
      errors: [
        {
          severity: 'error',
          code: 'NO_RULES_DIR',
          file: '',
          pointer: '',
          line: 1,
          column: 1,
          message: `cannot read rules directory ${dir}; expected a directory with offers/, conditions/, fixtures/ and tests/`
        }
      ],
      warnings
    }
  }
  for (const section of SECTIONS) {
    let entries: import('node:fs').Dirent[]
    try {
      entries = await readdir(join(dir, section), { withFileTypes: true })
    } catch {
      continue // every section is optional
    }
    for (const entry of entries) {
      const rel = `${section}/${entry.name}`
      if (entry.name.startsWith('.')) continue
      // Symlinked files are followed (shared conditions, for instance).
      if (!(entry.isFile() || entry.isSymbolicLink()) || !entry.name.endsWith('.json')) {
        if (!/^readme/i.test(entry.name)) warnings.push(warnUnused(rel))
        continue
      }
      try {
        input[rel] = await readFile(join(dir, section, entry.name), 'utf8')
      } catch (err) {
        pre.push({
          severity: 'error',
          code: 'READ_FAILED',
          file: rel,
          pointer: '',
          line: 1,
          column: 1,
          message: `cannot read the file (${(err as Error).message}); expected a readable JSON file`
        })
      }
    }
  }
  const result = loadRulesFromFiles(input, opts)
  const allWarnings = [...warnings, ...result.warnings].sort(byFile)
  if (pre.length > 0)
    return { ok: false, errors: [...pre, ...(result.ok ? [] : result.errors)].sort(byFile), warnings: allWarnings }
  return { ...result, warnings: allWarnings }
}
