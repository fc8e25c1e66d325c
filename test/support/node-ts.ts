// How a test starts one of our TypeScript entries as its own process: Node with the loader tap gives the test files
// (test/support/loader), not tsx, whose start costs about half a second of CPU more per process.
import { pathToFileURL } from 'node:url'

const LOADER = pathToFileURL(new URL('./loader/register.mjs', import.meta.url).pathname).href

/** The node arguments that run `entry` (a path from the repository root, or absolute) with `args`. */
export function nodeTs(entry: string, ...args: string[]): string[] {
  return ['--import', LOADER, entry, ...args]
}
