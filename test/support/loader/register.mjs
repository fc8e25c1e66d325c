// The TypeScript loader of the test processes (tap's node-arg): registers hooks.mjs. Lighter than tsx, which costs
// a test process about half a second of CPU more (see hooks.mjs); scripts and spawned services keep using tsx.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
