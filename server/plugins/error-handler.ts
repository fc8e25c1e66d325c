// One error vocabulary on the wire: every failure, Fastify's and Node's own included, becomes
// `{ error: { code, message } }` with a code from server/errors.ts; 5xx bodies stay generic.
import fp from 'fastify-plugin'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { RulesError, type RulesErrorCode } from '../rules/index.js'
import {
  BodyTooLarge,
  HeadersTooLarge,
  InputDataInvalid,
  Internal,
  InvalidBody,
  InvalidJson,
  InvalidQuery,
  InvalidRequest,
  InvalidUrl,
  NotFound,
  RequestTimeout,
  UnsupportedMediaType,
  UrlTooLong,
  errorBody,
  isServiceError,
  type ServiceError
} from '../errors.js'

type Validation = NonNullable<FastifyError['validation']>

/** "body/quantity must be integer", naming the field even for additional or missing properties. */
function describeValidation(context: string | undefined, validation: Validation): string {
  return validation
    .slice(0, 5)
    .map((v) => {
      const params = v.params as Record<string, unknown>
      const field = `${context ?? 'body'}${v.instancePath}`
      if (typeof params.additionalProperty === 'string') return `${field}/${params.additionalProperty} is not allowed`
      if (typeof params.missingProperty === 'string') return `${field}/${params.missingProperty} is required`
      return `${field} ${v.message ?? 'is invalid'}`
    })
    .join('; ')
}

/** Fastify's own client errors, by code: what the client did wrong, in our words. */
const FASTIFY_ERRORS: Record<string, (err: FastifyError, bodyLimit: number) => ServiceError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_err, bodyLimit) => new BodyTooLarge(bodyLimit),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new UnsupportedMediaType(),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new InvalidJson(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new InvalidJson(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: (err) => new InvalidBody(err.message),
  // Router errors, which reach `frameworkErrors` instead of the error handler (see frameworkErrors below).
  FST_ERR_BAD_URL: (err) => new InvalidUrl(/^'(.*)' is not/.exec(err.message)?.[1] ?? 'requested'),
  FST_ERR_MAX_PARAM_LENGTH: () => new UrlTooLong()
}

/** The rules core knows nothing of HTTP and throws RulesError; these codes are a client's doing, the others bugs. */
const RULES_ERRORS: Partial<Record<RulesErrorCode, (err: RulesError) => ServiceError>> = {
  INPUT_DATA_INVALID: (err) => new InputDataInvalid(err.message)
}

/** What the client receives for `err`; null when it is a bug (logged, answered with a generic 500). */
function toServiceError(err: FastifyError, bodyLimit: number): ServiceError | null {
  if (err.validation) {
    const detail = describeValidation(err.validationContext, err.validation)
    const inQuery = err.validationContext === 'querystring' || err.validationContext === 'params'
    return inQuery ? new InvalidQuery(detail) : new InvalidBody(detail)
  }
  if (isServiceError(err)) return err
  if (err instanceof RulesError) return RULES_ERRORS[err.code]?.(err) ?? null
  const known = err.code === undefined ? undefined : FASTIFY_ERRORS[err.code]
  if (known) return known(err, bodyLimit)
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    // Any other client error Fastify raises (bad headers, aborted bodies...): still a 4xx, never a 500.
    return new InvalidBody(err.message)
  }
  return null
}

function answer(err: FastifyError, request: FastifyRequest, reply: FastifyReply, bodyLimit: number) {
  const known = toServiceError(err, bodyLimit)
  if (known === null) request.log.error({ err }, 'request failed')
  const sent = known ?? new Internal()
  if (sent.statusCode < 500) request.log.info({ code: sent.code, status: sent.statusCode }, sent.message)
  // The database's own error (refused, timed out...) is for the operator, not the client.
  else if (sent.code === 'DATABASE_UNAVAILABLE') request.log.warn({ err: sent.cause ?? sent }, sent.message)
  return reply.code(sent.statusCode).send(errorBody(sent))
}

/** Fastify's `frameworkErrors` option: the router's errors (bad percent-encoding, over-long parameters). */
export function frameworkErrors(bodyLimit: number) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => answer(err, request, reply, bodyLimit)
}

/**
 * Fastify's `clientErrorHandler` option: Node could not even parse the request (not HTTP, headers too large), so there
 * is no request object; the answer is written on the socket, in the same shape.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const sent =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new HeadersTooLarge()
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new RequestTimeout()
        : new InvalidRequest()
  this.log.debug({ err }, 'client error')
  const body = JSON.stringify(errorBody(sent))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${sent.statusCode} ${STATUS_CODES[sent.statusCode]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    )
  }
  socket.destroy(err)
}

export default fp<{ bodyLimit: number }>(
  async (fastify, opts) => {
    fastify.setErrorHandler((err: FastifyError, request, reply) => answer(err, request, reply, opts.bodyLimit))
    fastify.setNotFoundHandler((request, reply) => {
      const sent = new NotFound(`${request.method} ${request.url.split('?')[0]}`)
      return reply.code(404).send(errorBody(sent))
    })
  },
  { name: 'encore-errors', fastify: '5.x' }
)
