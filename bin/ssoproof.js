#!/usr/bin/env node
// The ssoproof command. Installed from the package, it runs the bundled JavaScript in dist/command/.
// In a checkout (the TypeScript sources beside this folder) it runs the sources through tsx's
// loader with the project's own tsconfig (JSX settings), so no build step is needed and a
// dist/ left by an earlier build can never run stale code. On a fresh clone (no node_modules
// yet) it installs the dependencies first, so `npx ssoproof run` just works.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultServeDataDir, serveDataDirArgument } from './serve-data-dir.js'

// On serve's first start (its data folder holds no IdP key) the IdP's RSA key is begun here,
// before any of the command's code (or, in a checkout, tsx) is imported: its prime search is
// the longest part of that start and runs on libuv's threads while this thread loads the rest.
// The key is handed to main, and serve-keys.ts makes the IdP's credential of it.
const { idpKeyPair } = await beginIdpKeyPair(process.argv.slice(2))

/**
 * The same test as cli/serve-keys.ts: `serve`, not --help, the last `--data` (before `--`).
 * The generation is returned inside an object, which an async function's result does not await.
 */
async function beginIdpKeyPair([command, ...args]) {
  if (command !== 'serve' || args.includes('--help') || args.includes('-h')) return {}
  const dataDir = serveDataDirArgument(args) ?? defaultServeDataDir
  if (existsSync(join(resolve(dataDir), 'idp-signing.key.pem'))) return {}
  const { generateKeyPair } = await import('node:crypto')
  const begun = new Promise((done, fail) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) =>
      error ? fail(error) : done({ privateKey, publicKey }),
    )
  })
  begun.catch(() => {}) // a failure is the IdP credential's, thrown where it is awaited
  return { idpKeyPair: begun }
}

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
const code = await main(process.argv.slice(2), { idpKeyPair })
if (code === 2) {
  // A usage error ends at once, its message written out: what a command began before reading
  // its options (serve's first key, cli/serve-keys.ts) is of no use then.
  const flushed = (stream) => new Promise((done) => stream.write('', () => done()))
  await Promise.all([flushed(process.stdout), flushed(process.stderr)])
  process.exit(2)
}
process.exitCode = code
