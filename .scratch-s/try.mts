import { buildWorld, checkout, tokenFor, post, HAT } from '../test/support/server-world.js'
const w = await buildWorld()
const t = tokenFor(checkout())
console.log(JSON.stringify(await post(w.app, '/api/offer', t)))
console.log(JSON.stringify(await post(w.app, '/api/offer', tokenFor(checkout({productIds:[HAT]})))))
await w.close()
