// A mutant worker: one long-lived process per tree copy of `npm run mutate`. It registers tsx
// (as bin/ssoproof.js does) and the hooks that reload a mutated file and its importers for each
// mutant, then runs the loop that answers the parent (scripts/mutate/mutant-worker-loop.ts).
import { register } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { MessageChannel } from 'node:worker_threads'
import { register as registerTsx } from 'tsx/esm/api'

const root = new URL('../../', import.meta.url)
registerTsx({ tsconfig: fileURLToPath(new URL('tsconfig.json', root)) })
const { port1, port2 } = new MessageChannel()
register(pathToFileURL(fileURLToPath(new URL('fresh-modules-hooks.mjs', import.meta.url))), {
  data: { root: root.href, port: port2 },
  transferList: [port2],
})
const { serve } = await import('./mutant-worker-loop.ts')
await serve(root, port1)
