// What a command-line entry (server/server.ts and every scripts/ command) needs from its process, as a value: tests
// call `main(argv, io)` in process with a recording io instead of spawning one process per case.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, type ParseArgsConfig } from 'node:util'

export type Io = {
  out(text: string): void
  err(text: string): void
  env: NodeJS.ProcessEnv
  /** Whether stdout is a colour terminal (false in tests and pipes). */
  tty: boolean
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  tty: process.stdout.isTTY === true
}

/** An io that records what a command printed: for tests. */
export function recordingIo(env: NodeJS.ProcessEnv = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env,
    tty: false,
    out(text: string) {
      io.stdout += text
    },
    err(text: string) {
      io.stderr += text
    }
  }
  return io
}

export type EntryOptions = {
  /**
   * A failure ends the process at once (process.exit) instead of setting its exit code: for a service whose boot
   * failed half way, whose open handles (a database pool, a log transport, a file watcher) would keep it alive.
   */
  exitOnFailure?: boolean
}

/** Runs `main` when the module is the process's entry (not when a test imports it), and exits with its code. */
export function runIfEntry(
  meta: ImportMeta,
  main: (argv: string[], io: Io) => Promise<number>,
  options: EntryOptions = {}
): void {
  if (!process.argv[1] || resolve(process.argv[1]) !== fileURLToPath(meta.url)) return
  main(process.argv.slice(2), processIo).then(
    (code) => {
      if (code !== 0 && options.exitOnFailure) process.exit(code)
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      if (options.exitOnFailure) process.exit(1)
      process.exitCode = 1
    }
  )
}

/**
 * node:util's parseArgs for a command: an unknown or malformed option is one line on stderr and null (the caller
 * exits 2), not a stack trace.
 */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: O,
  io: Io
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (err) {
    io.err(`${command}: ${(err as Error).message}\n`)
    return null
  }
}
