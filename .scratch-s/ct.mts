import { buildWorld, checkout, tokenFor } from '../test/support/server-world.js'
const w = await buildWorld()
const token = tokenFor(checkout())
w.app.addHook
const text = await w.app.inject({ method: 'POST', url: '/api/sign-changeset', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, payload: 'hello' })
console.log(text.statusCode, text.body)
await w.close()
