// Parses a rule-directory file with a source map, so every diagnostic can name a line and column.
import sourceMap, { type PointerInfo } from 'json-source-map'
import type { Diagnostic } from './types.js'

export type ParsedFile = { file: string; data: unknown; pointers: Record<string, PointerInfo> }

/** 1-based line and column of a 0-based offset. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1
  let last = -1
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      last = i
    }
  }
  return { line, column: pos - last }
}

export function parseJsonFile(file: string, text: string): ParsedFile | Diagnostic {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  try {
    const { data, pointers } = sourceMap.parse(source)
    return { file, data, pointers }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const m = /position (\d+)/.exec(message)
    const pos = m ? Number(m[1]) : source.length
    const { line, column } = lineColumn(source, pos)
    const what = source.trim() === '' ? 'the file is empty' : message.replace(/ in JSON at position \d+/, '')
    return {
      severity: 'error',
      code: 'JSON_PARSE',
      file,
      pointer: '',
      line,
      column,
      message: `invalid JSON (${what}); expected a JSON document (no comments, no trailing commas)`
    }
  }
}

/** Where a pointer sits in the file: its value, else its closest parent's. */
export function locate(parsed: ParsedFile, pointer: string, useKey = false): { line: number; column: number } {
  let p = pointer
  for (;;) {
    const info = parsed.pointers[p]
    if (info) {
      const loc = useKey && info.key ? info.key : info.value
      return { line: loc.line + 1, column: loc.column + 1 }
    }
    if (p === '') return { line: 1, column: 1 }
    p = p.slice(0, p.lastIndexOf('/'))
  }
}

export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1')
}

export function diagnostic(
  parsed: ParsedFile,
  severity: Diagnostic['severity'],
  code: string,
  pointer: string,
  message: string
): Diagnostic {
  const { line, column } = locate(parsed, pointer)
  return { severity, code, file: parsed.file, pointer, line, column, message }
}
