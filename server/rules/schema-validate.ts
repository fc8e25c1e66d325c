// Validates rule-directory files against rules/rule.schema.json (the schema editors use) and turns
// ajv's errors into diagnostics that say what was expected.
import { readFileSync } from 'node:fs'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { diagnostic, escapePointer, type ParsedFile } from './parse-json.js'
import type { Diagnostic } from './types.js'

/** The schema file shipped with the repository: the same one `$schema` points editors at. */
export const SCHEMA_URL = new URL('../../rules/rule.schema.json', import.meta.url)
const SCHEMA = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  strictTypes: false,
  allowUnionTypes: true
})
addFormats(ajv)
ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' })
ajv.addSchema(SCHEMA)
const id = SCHEMA.$id as string

function compiled(fragment: string): ValidateFunction {
  const fn = ajv.getSchema(`${id}${fragment}`)
  if (!fn) throw new Error(`rule.schema.json lacks ${fragment}`)
  return fn
}

export const validators = {
  rule: compiled(''),
  namedCondition: compiled('#/definitions/namedConditionFile'),
  tests: compiled('#/definitions/testFile'),
  conditions: compiled('#/definitions/topLevelCondition')
}

const typeName = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : `${typeof v} ${JSON.stringify(v)}`
const article = (t: string) =>
  t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : t === 'null' ? 'null' : `a ${t}`
const show = (v: unknown) => JSON.stringify(v)

/** One ajv error as (pointer, message), or null for the summary errors of if/then/else and allOf. */
function describe(e: ErrorObject): { pointer: string; message: string } | null {
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>
  const expected = typeof parent['x-expected'] === 'string' ? (parent['x-expected'] as string) : null
  // Errors inside propertyNames concern a key: point at it.
  const at = e.propertyName === undefined ? e.instancePath : `${e.instancePath}/${escapePointer(e.propertyName)}`
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'if':
      return null
    case 'required': {
      const prop = p.missingProperty as string
      if (expected) return { pointer: at, message: `expected ${expected}` }
      return { pointer: `${at}/${escapePointer(prop)}`, message: `missing required property "${prop}"` }
    }
    case 'additionalProperties': {
      const prop = p.additionalProperty as string
      const allowed = Object.keys((parent.properties ?? {}) as object)
      return {
        pointer: `${at}/${escapePointer(prop)}`,
        message: `unknown property "${prop}"; expected ${allowed.length ? `one of: ${allowed.join(', ')}` : 'no other property'}`
      }
    }
    case 'type': {
      const types = String(p.type).split(',').map(article).join(' or ')
      return { pointer: at, message: `expected ${types}, got ${typeName(e.data)}` }
    }
    case 'enum':
      return {
        pointer: at,
        message: `expected one of ${(p.allowedValues as unknown[]).map(show).join(', ')}, got ${show(e.data)}`
      }
    case 'const':
      return { pointer: at, message: `expected ${show(p.allowedValue)}, got ${show(e.data)}` }
    case 'pattern':
    case 'format':
      return {
        pointer: at,
        message: `expected ${expected ?? `a string matching ${String(p.pattern ?? p.format)}`}, got ${show(e.data)}`
      }
    case 'propertyNames':
      return null
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        pointer: at,
        message: `expected ${expected ?? `a number ${String(p.comparison)} ${String(p.limit)}`}, got ${show(e.data)}`
      }
    case 'minItems':
      return { pointer: at, message: `expected at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}` }
    case 'minLength':
      return { pointer: at, message: 'expected a non-empty string' }
    case 'minProperties':
      return { pointer: at, message: `expected at least ${String(p.limit)} propert${p.limit === 1 ? 'y' : 'ies'}` }
    case 'uniqueItems':
      return { pointer: at, message: `expected unique items (items ${String(p.j)} and ${String(p.i)} are the same)` }
    default:
      return { pointer: at, message: `expected to satisfy ${e.keyword}: ${e.message ?? ''}` }
  }
}

/** Runs one validator and returns its diagnostics, the most specific first and without duplicates. */
export function schemaDiagnostics(validate: ValidateFunction, parsed: ParsedFile, code: string): Diagnostic[] {
  if (validate(parsed.data)) return []
  const errors = validate.errors ?? []
  const seen = new Set<string>()
  const out: Diagnostic[] = []
  for (const e of errors) {
    const d = describe(e)
    if (!d) continue
    const key = `${d.pointer}\n${d.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(diagnostic(parsed, 'error', code, d.pointer, d.message))
  }
  return out
}
