// Route schemas compiled once per process rather than once per app: Fastify's default gives every app its own Ajv
// and serializer factory, so each build compiled every route's validator and serializer again (about a third of a
// test's CPU, where every test builds an app; a server builds one app, so nothing changes for it).
import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type Factory = (externalSchemas: unknown, options: unknown) => (route: { schema: object }) => unknown

/**
 * Wraps a compiler factory so that each route schema is compiled once per factory arguments (shared schemas and
 * options), all compared as JSON, as @fastify/ajv-compiler pools its Ajv instances: equal schemas compile to the
 * same function, whichever object holds them (some are built per registration). The compiled functions depend on
 * nothing else (no app state), so apps in one process may share them.
 */
function compiledOnce(factory: Factory): Factory {
  const byArguments = new Map<string, { compile: ReturnType<Factory>; done: Map<string, unknown> }>()
  return (externalSchemas, options) => {
    const key = JSON.stringify([externalSchemas, options])
    let entry = byArguments.get(key)
    if (!entry) byArguments.set(key, (entry = { compile: factory(externalSchemas, options), done: new Map() }))
    const { compile, done } = entry
    return (route) => {
      const schema = JSON.stringify(route.schema)
      if (!done.has(schema)) done.set(schema, compile(route))
      return done.get(schema)
    }
  }
}

/** Fastify's `schemaController` option with the process-wide compilers. */
export const sharedSchemaController = {
  compilersFactory: {
    buildValidator: compiledOnce(AjvCompiler() as unknown as Factory),
    buildSerializer: compiledOnce(SerializerSelector() as unknown as Factory)
  }
} as unknown as NonNullable<FastifyServerOptions['schemaController']>
