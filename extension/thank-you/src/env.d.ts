// The one Node-ism the bundle contains: `process.env.NAME`, which the build replaces with a string literal.
declare const process: { env: Record<string, string | undefined> }
