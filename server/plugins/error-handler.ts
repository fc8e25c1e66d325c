// One error handler: every failure becomes `{ error: { code, message } }` with a stable code; 5xx bodies stay generic.
import fp from 'fastify-plugin'
import type { FastifyError } from 'fastify'
import { ERRORS, isErrorCode, type ErrorCode } from '../errors.js'

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

/** Fastify's own client errors, by code. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_BODY'
}

export default fp<{ bodyLimit: number }>(
  async (fastify, opts) => {
    fastify.setErrorHandler((err: FastifyError, request, reply) => {
      let code: ErrorCode
      let status: number
      let message: string
      if (err.validation) {
        code =
          err.validationContext === 'querystring' || err.validationContext === 'params'
            ? 'INVALID_QUERY'
            : 'INVALID_BODY'
        status = 400
        message = `Invalid request: ${describeValidation(err.validationContext, err.validation)}`
      } else if (isErrorCode(err.code) && typeof err.statusCode === 'number') {
        code = err.code
        status = err.statusCode
        message = err.message
      } else if (err.code !== undefined && FASTIFY_CODES[err.code] !== undefined) {
        code = FASTIFY_CODES[err.code] as ErrorCode
        status = ERRORS[code][0]
        message =
          code === 'BODY_TOO_LARGE'
            ? `The body is larger than ${opts.bodyLimit} bytes`
            : ERRORS[code][1].replace(': %s', '') + (code === 'INVALID_BODY' ? `: ${err.message}` : '')
      } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
        // Any other client error Fastify raises (bad headers, aborted bodies...): still a 4xx, never a 500.
        code = 'INVALID_BODY'
        status = err.statusCode
        message = `Invalid request: ${err.message}`
      } else {
        request.log.error({ err }, 'request failed')
        code = 'INTERNAL'
        status = 500
        message = ERRORS.INTERNAL[1]
      }
      if (status < 500) request.log.info({ code, status }, message)
      return reply.code(status).send({ error: { code, message } })
    })

    fastify.setNotFoundHandler((request, reply) => {
      reply.code(404).send({
        error: { code: 'NOT_FOUND', message: `Route ${request.method} ${request.url.split('?')[0]} not found` }
      })
    })
  },
  { name: 'encore-errors', fastify: '5.x' }
)
