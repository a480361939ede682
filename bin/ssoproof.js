#!/usr/bin/env node
// The ssoproof command. The sources are TypeScript, run through tsx's loader with the project's
// own tsconfig (JSX settings), whatever directory the command is started from. On a fresh clone
// (no node_modules yet) it installs the dependencies first, so `npx ssoproof run` just works.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

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

const { register } = await loadTsx()
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) })
const { main } = await import('../cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
