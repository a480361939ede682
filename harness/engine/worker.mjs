// A scenario worker thread: registers tsx with the project's tsconfig (as bin/ssoproof.js
// does), then runs the TypeScript worker loop.
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) })
await import('./worker-loop.ts')
