// Builds the @shopify/shopify-api instance (OAuth, HMAC, GraphQL) and routes its Admin API calls to a local fake when
// configured.
import '@shopify/shopify-api/adapters/node'
import { LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api'
import { setAbstractFetchFunc } from '@shopify/shopify-api/runtime'
import type { ShopifyConfig } from './config.js'

type Log = {
  debug: (o: object, m: string) => void
  info: (o: object, m: string) => void
  warn: (o: object, m: string) => void
  error: (o: object, m: string) => void
}

const realFetch = globalThis.fetch
let adminApiOrigin: string | null = null

/**
 * The library calls `https://<shop>/admin/...` through one process-wide fetch. With an override, only the
 * origin of those calls changes (path, headers, body and every line of library code stay the same), which is
 * how tests reach the fake Admin API on 127.0.0.1. The override is process-wide, like the library's fetch.
 */
function routedFetch(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> {
  if (adminApiOrigin !== null && typeof input === 'string') {
    const url = new URL(input)
    if (url.protocol === 'https:' && url.hostname.endsWith('.myshopify.com')) {
      return realFetch(`${adminApiOrigin}${url.pathname}${url.search}`, init)
    }
  }
  return realFetch(input, init)
}
setAbstractFetchFunc(routedFetch)

const SEVERITY: Record<LogSeverity, keyof Log> = {
  [LogSeverity.Debug]: 'debug',
  [LogSeverity.Info]: 'info',
  [LogSeverity.Warning]: 'warn',
  [LogSeverity.Error]: 'error'
}

export function createShopifyApi(config: ShopifyConfig, log?: Log): Shopify {
  adminApiOrigin = config.adminApiOrigin
  return shopifyApi({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecret,
    scopes: config.scopes,
    hostName: config.appUrl.host,
    hostScheme: config.appUrl.protocol === 'http:' ? 'http' : 'https',
    apiVersion: config.apiVersion,
    isEmbeddedApp: false,
    logger: {
      level: LogSeverity.Warning,
      log: (severity, msg) => {
        log?.[SEVERITY[severity]]({ component: 'shopify-api' }, msg)
      }
    },
    _logDisabledFutureFlags: false
  })
}
