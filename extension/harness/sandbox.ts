// Runs the extension bundle in a context with worker globals only, recording what it registers with
// `self.shopify.extend`.
import vm from 'node:vm'

export type Sandbox = {
  points: Map<string, (...args: any[]) => unknown>
  /** Stops every timer the extension left running (its countdown, its fetch timeouts). */
  dispose(): void
}

export type SandboxOptions = {
  fetch: typeof fetch
  console: Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>
}

/** Globals a Web Worker has; Node's process, require, Buffer and the DOM are deliberately absent. */
export function runBundle(code: string, opts: SandboxOptions): Sandbox {
  const points = new Map<string, (...args: any[]) => unknown>()
  const timeouts = new Set<ReturnType<typeof setTimeout>>()
  const intervals = new Set<ReturnType<typeof setInterval>>()
  const globals: Record<string, unknown> = {
    fetch: opts.fetch,
    Headers,
    Request,
    Response,
    FormData,
    AbortController,
    AbortSignal,
    Blob,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    crypto: globalThis.crypto,
    Event,
    EventTarget,
    structuredClone,
    queueMicrotask,
    performance,
    console: opts.console,
    setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const t = setTimeout(
        (...a: unknown[]) => {
          timeouts.delete(t)
          fn(...a)
        },
        ms,
        ...args
      )
      timeouts.add(t)
      return t
    },
    clearTimeout: (t: ReturnType<typeof setTimeout>) => {
      timeouts.delete(t)
      clearTimeout(t)
    },
    setInterval: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const t = setInterval(fn, ms, ...args)
      intervals.add(t)
      return t
    },
    clearInterval: (t: ReturnType<typeof setInterval>) => {
      intervals.delete(t)
      clearInterval(t)
    }
  }
  const context = vm.createContext(globals, { name: 'post-purchase extension' })
  const self = vm.runInContext('globalThis', context) as Record<string, unknown>
  self.self = self
  self.shopify = {
    extend(point: string, callback: (...args: any[]) => unknown) {
      points.set(point, callback)
    },
    reload() {}
  }
  new vm.Script(code, { filename: 'encore-post-purchase.js' }).runInContext(context)
  return {
    points,
    dispose() {
      for (const t of timeouts) clearTimeout(t)
      for (const t of intervals) clearInterval(t)
      timeouts.clear()
      intervals.clear()
    }
  }
}
