// The extension's fetch, as a browser worker would do it: CORS preflight and checks, plus a log of every exchange.

export type Exchange = {
  method: string
  path: string
  url: string
  status: number | null
  ms: number
  request: unknown
  response: unknown
  error?: string
}

export type CorsFetchOptions = {
  /** The origin Shopify's sandbox sends from (its real value is unconfirmed; any non-service origin works). */
  origin: string
  cors: boolean
  onExchange(exchange: Exchange): void
  onStart(): void
  onEnd(): void
}

const SIMPLE_METHODS = ['GET', 'HEAD', 'POST']
const list = (v: string | null) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
const parse = (text: string): unknown => {
  try {
    return text === '' ? null : JSON.parse(text)
  } catch {
    return text.slice(0, 200)
  }
}

export function createCorsFetch(opts: CorsFetchOptions): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input))
    const method = (init?.method ?? 'GET').toUpperCase()
    const headers = new Headers(init?.headers)
    const started = performance.now()
    const requestBody = typeof init?.body === 'string' ? parse(init.body) : null
    const record = (status: number | null, response: unknown, error?: string) =>
      opts.onExchange({
        method,
        path: url.pathname + url.search,
        url: url.href,
        status,
        ms: Math.round(performance.now() - started),
        request: requestBody,
        response,
        ...(error ? { error } : {})
      })
    opts.onStart()
    try {
      if (opts.cors) {
        const custom = [...headers.keys()].filter(
          (h) => h !== 'accept' && h !== 'accept-language' && h !== 'content-language'
        )
        if (!SIMPLE_METHODS.includes(method) || custom.length > 0) {
          const pre = await fetch(url, {
            method: 'OPTIONS',
            headers: {
              Origin: opts.origin,
              'Access-Control-Request-Method': method,
              'Access-Control-Request-Headers': custom.join(',')
            },
            signal: init?.signal ?? null
          })
          await pre.arrayBuffer()
          const allowOrigin = pre.headers.get('access-control-allow-origin')
          const allowHeaders = list(pre.headers.get('access-control-allow-headers'))
          const allowMethods = list(pre.headers.get('access-control-allow-methods'))
          // A wildcard never covers Authorization (Fetch standard), so it must be listed by name.
          const missing = custom.filter(
            (h) => !allowHeaders.includes(h) && !(allowHeaders.includes('*') && h !== 'authorization')
          )
          const methodOk =
            SIMPLE_METHODS.includes(method) || allowMethods.includes(method.toLowerCase()) || allowMethods.includes('*')
          if (
            pre.status < 200 ||
            pre.status > 299 ||
            (allowOrigin !== '*' && allowOrigin !== opts.origin) ||
            missing.length > 0 ||
            !methodOk
          ) {
            const why = `CORS preflight refused (status ${pre.status}, allow-origin ${String(allowOrigin)}, missing headers [${missing.join(', ')}])`
            record(null, null, why)
            throw new TypeError(`Failed to fetch: ${why}`)
          }
        }
        headers.set('Origin', opts.origin)
      }
      let res: Response
      try {
        res = await fetch(url, { ...init, method, headers })
      } catch (error) {
        const why =
          (error as Error).name === 'AbortError'
            ? 'aborted by the extension (timeout)'
            : `network error: ${(error as Error).message}`
        record(null, null, why)
        throw error
      }
      if (opts.cors) {
        const allowOrigin = res.headers.get('access-control-allow-origin')
        if (allowOrigin !== '*' && allowOrigin !== opts.origin) {
          record(
            res.status,
            null,
            `CORS refused: response lacks Access-Control-Allow-Origin (got ${String(allowOrigin)})`
          )
          throw new TypeError('Failed to fetch: CORS')
        }
      }
      const text = await res.text()
      record(res.status, parse(text))
      // Hand the extension a fresh response with the body we already read.
      return new Response(res.status === 204 || res.status === 304 ? null : text, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers
      })
    } finally {
      opts.onEnd()
    }
  }
}
