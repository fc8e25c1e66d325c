// The README's configuration table lists every variable the server reads at boot (server/config.ts and the Shopify
// settings it folds in), so the table cannot fall behind the code again.
import t from 'tap'
import { readFileSync } from 'node:fs'

const read = (file: string) => readFileSync(file, 'utf8')

/** Names read as env.NAME or through a helper called with (env, 'NAME'). */
function variablesRead(source: string): string[] {
  const names = [...source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g), ...source.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g)]
  return [...new Set(names.map((m) => m[1] as string))].sort()
}

t.test('every variable the server reads is in the README configuration table', async (t) => {
  const readme = read('README.md')
  const section = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1)
  )
  const names = variablesRead(`${read('server/config.ts')}\n${read('server/shopify/config.ts')}`)
  t.ok(names.length >= 13, `${names.length} variables found: ${names.join(', ')}`)
  for (const name of names) t.ok(section.includes(`\`${name}\``), `${name} is in the table`)
})
