/**
 * Prepares a fresh machine for `npm test`: installs node_modules when they are missing or older
 * than package-lock.json, and makes sure Chromium is there for the browser tests. Plain Node
 * without dependencies; silent when nothing needs doing.
 */
import { spawnSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveChromiumPath } from './chromium.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

// `--dependencies-only`: what the ssoproof command needs on a fresh clone (no browser).
const dependenciesOnly = process.argv.includes('--dependencies-only')
const done = [ensureDependencies(), dependenciesOnly ? undefined : ensureChromium()].filter(Boolean)
if (done.length > 0) console.log(`setup: ${done.join('; ')}`)

function ensureDependencies() {
  const lock = modifiedAt('package-lock.json')
  const installed = modifiedAt('node_modules/.package-lock.json')
  if (installed !== undefined && lock !== undefined && lock <= installed) return undefined
  run('npm', ['ci'])
  return 'installed dependencies with npm ci'
}

function ensureChromium() {
  try {
    resolveChromiumPath()
    return undefined
  } catch (error) {
    if (process.env.SSOPROOF_CHROMIUM || !canInstallWithApt()) fail(error.message)
  }
  run('apt-get', ['update'])
  run('apt-get', ['install', '-y', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' })
  try {
    return `installed Chromium at ${resolveChromiumPath()} with apt-get`
  } catch (error) {
    fail(`apt-get installed the chromium package, but: ${error.message}`)
  }
}

function canInstallWithApt() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0
}

function modifiedAt(relativePath) {
  try {
    return statSync(join(root, relativePath)).mtimeMs
  } catch {
    return undefined
  }
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  if (result.status !== 0) {
    const cause = result.error?.message ?? result.signal ?? `exit code ${result.status}`
    fail(`\`${command} ${args.join(' ')}\` failed (${cause}).`)
  }
}

function fail(message) {
  console.error(`setup: ${message}`)
  process.exit(1)
}
