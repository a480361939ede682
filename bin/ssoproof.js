#!/usr/bin/env node
// The ssoproof command. Installed from the package, it runs the bundled JavaScript in dist/command/.
// In a checkout (the TypeScript sources beside this folder) it runs the sources through tsx's
// loader with the project's own tsconfig (JSX settings), so no build step is needed and a
// dist/ left by an earlier build can never run stale code. On a fresh clone (no node_modules
// yet) it installs the dependencies first, so `npx ssoproof run` just works.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const checkout = existsSync(fileURLToPath(new URL('../cli/main.ts', import.meta.url)))

async function loadTsx() {
  try {
    return await import('tsx/esm/api')
  } catch {
    process.stderr.write('ssoproof: first run in this checkout: installing dependencies (npm ci)\n')
    const setup = fileURLToPath(new URL('../scripts/setup.mjs', import.meta.url))
    const result = spawnSync(process.execPath, [setup, '--dependencies-only'], { stdio: 'inherit' })
    if (result.status !== 0) process.exit(result.status ?? 1)
    return await import('tsx/esm/api')
  }
}

let main
if (checkout) {
  const { register } = await loadTsx()
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) })
  ;({ main } = await import('../cli/main.ts'))
} else {
  ;({ main } = await import('../dist/command/main.js'))
}
const code = await main(process.argv.slice(2))
if (code === 2) {
  // A usage error ends at once, its message written out: what a command began before reading
  // its options (serve's first key, cli/serve-keys.ts) is of no use then.
  const flushed = (stream) => new Promise((done) => stream.write('', () => done()))
  await Promise.all([flushed(process.stdout), flushed(process.stderr)])
  process.exit(2)
}
process.exitCode = code
