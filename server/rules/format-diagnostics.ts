// Renders diagnostics as `rules:check` prints them (and the server logs them).
import pc from 'picocolors'
import type { Diagnostic } from './types.js'

/** One line per diagnostic: `file:line:column  severity  CODE  pointer  message`, then a count. */
export function formatDiagnostics(d: Diagnostic[], opts: { color?: boolean } = {}): string {
  const c = pc.createColors(opts.color ?? false)
  if (d.length === 0) return ''
  const lines = d.map((x) => {
    const where = x.file ? `${x.file}:${x.line}:${x.column}` : '(rules directory)'
    const sev = x.severity === 'error' ? c.red('error  ') : c.yellow('warning')
    const pointer = x.pointer ? `${c.cyan(x.pointer)}  ` : ''
    return `${c.bold(where)}  ${sev}  ${c.dim(x.code)}  ${pointer}${x.message}`
  })
  const errors = d.filter((x) => x.severity === 'error').length
  const warnings = d.length - errors
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`)
  return lines.join('\n')
}
