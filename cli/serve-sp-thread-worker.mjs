// serve's SP thread from a checkout: registers tsx with the project's tsconfig (as
// bin/ssoproof.js does), then runs the TypeScript. The package runs the compiled .js instead.
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) })
await import('./serve-sp-thread-worker.ts')
