// Errors Fastify and Node raise before any route runs still answer `{ "error": { "code", "message" } }` with a 4xx.
import t, { type Test } from 'tap'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { InjectOptions } from 'fastify'
import { buildWorld, checkout, tokenFor, ADMIN_TOKEN } from '../support/server-world.js'

type Answer = { status: number; body: string }

/** Only the error envelope: an object with exactly `error`, itself with exactly a string `code` and `message`. */
function checkShape(t: Test, name: string, res: Answer, status: number | null, code: string) {
  if (status === null) t.ok(res.status >= 400 && res.status < 500, `${name}: a 4xx (got ${res.status})`)
  else t.equal(res.status, status, `${name}: status`)
  let body: unknown
  try {
    body = JSON.parse(res.body)
  } catch {
    t.fail(`${name}: the body is not JSON: ${res.body.slice(0, 200)}`)
    return
  }
  t.same(Object.keys(body as object), ['error'], `${name}: the body has only "error": ${res.body.slice(0, 200)}`)
  const error = (body as { error: Record<string, unknown> }).error
  t.same(Object.keys(error ?? {}).sort(), ['code', 'message'], `${name}: error has code and message`)
  t.equal(error?.code, code, `${name}: code`)
  t.type(error?.message, 'string', `${name}: message`)
  t.ok(String(error?.message).length > 0, `${name}: the message says something`)
}

/** Sends raw bytes on a real socket: some errors happen before any request object exists. */
function raw(port: number, bytes: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    socket.on('data', (chunk) => (text += String(chunk)))
    socket.on('error', reject)
    socket.on('close', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n')
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body: rest.join('\r\n\r\n') })
    })
    socket.end(bytes)
  })
}

t.test("every framework error a client can provoke is answered in the service's error shape", async (t) => {
  const w = await buildWorld(t)
  const token = tokenFor(checkout())
  const json = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  const inject = async (opts: InjectOptions): Promise<Answer> => {
    const res = await w.app.inject(opts)
    return { status: res.statusCode, body: res.body }
  }
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }

  const cases: [string, () => Promise<Answer>, number | null, string][] = [
    [
      'a URL that is not valid percent-encoding (FST_ERR_BAD_URL)',
      () => inject({ method: 'POST', url: '/api/offer%ff', headers: json, payload: '{}' }),
      400,
      'INVALID_URL'
    ],
    [
      'a bad percent-encoding in a path parameter',
      () => inject({ method: 'GET', url: '/admin/decisions/%ff', headers: admin }),
      400,
      'INVALID_URL'
    ],
    [
      'a 150-character path parameter (the route allows 200)',
      () => inject({ method: 'GET', url: `/admin/decisions/${'r'.repeat(150)}`, headers: admin }),
      200,
      ''
    ],
    [
      'a 250-character path parameter (the route allows 200)',
      () => inject({ method: 'GET', url: `/admin/decisions/${'r'.repeat(250)}`, headers: admin }),
      400,
      'INVALID_QUERY'
    ],
    [
      'a path parameter longer than the router accepts (FST_ERR_MAX_PARAM_LENGTH)',
      () => inject({ method: 'GET', url: `/admin/decisions/${'r'.repeat(5000)}`, headers: admin }),
      414,
      'URL_TOO_LONG'
    ],
    [
      'a body that is not JSON (FST_ERR_CTP_INVALID_MEDIA_TYPE)',
      () =>
        inject({ method: 'POST', url: '/api/offer', headers: { ...json, 'content-type': 'text/plain' }, payload: 'x' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE'
    ],
    [
      'a form body (FST_ERR_CTP_INVALID_MEDIA_TYPE)',
      () =>
        inject({
          method: 'POST',
          url: '/api/sign-changeset',
          headers: { ...json, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'offerId=x'
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE'
    ],
    [
      'a body over the limit (FST_ERR_CTP_BODY_TOO_LARGE)',
      () =>
        inject({
          method: 'POST',
          url: '/api/offer',
          headers: json,
          payload: JSON.stringify({ x: 'y'.repeat(20_000) })
        }),
      413,
      'BODY_TOO_LARGE'
    ],
    [
      'malformed JSON (FST_ERR_CTP_INVALID_JSON_BODY)',
      () => inject({ method: 'POST', url: '/api/offer', headers: json, payload: '{"after": ' }),
      400,
      'INVALID_JSON'
    ],
    [
      'an empty body with a JSON content type (FST_ERR_CTP_EMPTY_JSON_BODY)',
      () => inject({ method: 'POST', url: '/api/sign-changeset', headers: json, payload: '' }),
      400,
      'INVALID_JSON'
    ],
    [
      'a __proto__ key (prototype poisoning)',
      () => inject({ method: 'POST', url: '/api/offer', headers: json, payload: '{"__proto__":{"admin":true}}' }),
      400,
      'INVALID_JSON'
    ],
    [
      'a constructor.prototype key (prototype poisoning)',
      () =>
        inject({
          method: 'POST',
          url: '/api/offer',
          headers: json,
          payload: '{"constructor":{"prototype":{"admin":true}}}'
        }),
      400,
      'INVALID_JSON'
    ],
    [
      'a Content-Length that differs from the body (FST_ERR_CTP_INVALID_CONTENT_LENGTH)',
      () => inject({ method: 'POST', url: '/api/offer', headers: { ...json, 'content-length': '10' }, payload: '{}' }),
      400,
      'INVALID_BODY'
    ],
    ['a route that does not exist', () => inject({ method: 'GET', url: '/api/nothing-here' }), 404, 'NOT_FOUND'],
    [
      'a method the route does not answer',
      () => inject({ method: 'PUT', url: '/api/offer', headers: json, payload: '{}' }),
      404,
      'NOT_FOUND'
    ],
    [
      'DELETE on an admin route',
      () => inject({ method: 'DELETE', url: '/admin/rules/reload', headers: admin }),
      404,
      'NOT_FOUND'
    ]
  ]
  for (const [name, send, status, code] of cases) {
    const res = await send()
    if (status === 200) t.equal(res.status, 200, `${name}: answered by the route`)
    else checkShape(t, name, res, status, code)
  }

  await w.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = w.app.server.address() as AddressInfo
  const sockets: [string, string, number, string][] = [
    ['a request line that is not HTTP (Node clientError)', 'NOT HTTP AT ALL\r\n\r\n', 400, 'INVALID_REQUEST'],
    [
      'headers over the size limit (Node clientError HPE_HEADER_OVERFLOW)',
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE'
    ],
    [
      'an HTTP method Node does not know',
      'BREW /api/offer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      400,
      'INVALID_REQUEST'
    ]
  ]
  for (const [name, bytes, status, code] of sockets) checkShape(t, name, await raw(port, bytes), status, code)
})
