// The real service as a separate process (`server/server.ts` on port 0), for tests that run several instances or
// kill one.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { nodeTs } from './node-ts.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export type ServiceProcess = {
  url: string
  child: ChildProcessWithoutNullStreams
  /** Everything the process wrote so far (JSON log lines and warnings). */
  output(): string
  /** Resolves with the signal once the process has exited. */
  exited: Promise<NodeJS.Signals | null>
  stop(): Promise<void>
}

export async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, nodeTs('server/server.ts'), {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m?.[1]) resolve(m[1])
    }
    child.stdout.on('data', look)
    child.on('exit', () => reject(new Error(`server exited early: ${out}`)))
  })
  return {
    url,
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    }
  }
}
