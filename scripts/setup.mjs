/**
 * Prepares a fresh machine for `npm test`: installs node_modules when they are missing or were
 * installed from another package-lock.json, and makes sure Chromium is there for the browser
 * tests. Plain Node without dependencies; silent when nothing needs doing.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveChromiumPath } from './chromium.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * node_modules is current when it was installed from this package-lock.json's content: the hash
 * recorded in node_modules after the last install, not file times (a worktree's hard-linked
 * copy or a fresh checkout has a newer lock file with the same content). An install without
 * this script is recognised by npm's own record of it, node_modules/.package-lock.json.
 */
const lockFile = 'package-lock.json'
const installedLock = join('node_modules', '.package-lock.json')
const installedHash = join('node_modules', '.ssoproof-lock-sha256')

// `--dependencies-only`: what the ssoproof command needs on a fresh clone (no browser).
const dependenciesOnly = process.argv.includes('--dependencies-only')
const done = [ensureDependencies(), dependenciesOnly ? undefined : ensureChromium()].filter(Boolean)
if (done.length > 0) console.log(`setup: ${done.join('; ')}`)

function ensureDependencies() {
  const lock = readText(lockFile)
  if (lock === undefined) fail(`no ${lockFile} in ${root}: run \`npm install\` first.`)
  const hash = createHash('sha256').update(lock).digest('hex')
  const recorded = readText(installedHash)?.trim()
  if (recorded === hash) return undefined
  if (recorded === undefined && npmInstalledFrom(lock)) {
    writeFileSync(join(root, installedHash), `${hash}\n`)
    return undefined
  }
  install()
  writeFileSync(join(root, installedHash), `${hash}\n`)
  return 'installed dependencies with npm ci'
}

/** Whether npm's record of node_modules holds every package the lock installs on this machine. */
function npmInstalledFrom(lockText) {
  const installed = readText(installedLock)
  if (installed === undefined) return false
  try {
    const wanted = JSON.parse(lockText).packages ?? {}
    const have = JSON.parse(installed).packages ?? {}
    const same = (key) => JSON.stringify(wanted[key]) === JSON.stringify(have[key])
    return (
      Object.keys(have).every(same) &&
      // npm leaves out optional packages of other platforms (biome's darwin binaries…)
      Object.keys(wanted).every((key) => key === '' || key in have || wanted[key].optional)
    )
  } catch {
    return false
  }
}

/**
 * `npm ci` empties node_modules before it installs: when it fails (no network, a registry
 * error) the tree would be left empty. The previous node_modules waits aside and comes back.
 */
function install() {
  const modules = join(root, 'node_modules')
  const aside = join(root, 'node_modules.before-setup')
  rmSync(aside, { recursive: true, force: true })
  const hadModules = existsSync(modules)
  if (hadModules) renameSync(modules, aside)
  const cause = attempt('npm', ['ci'])
  if (cause === undefined) {
    rmSync(aside, { recursive: true, force: true })
    return
  }
  rmSync(modules, { recursive: true, force: true })
  if (hadModules) renameSync(aside, modules)
  fail(
    `\`npm ci\` failed (${cause}). ${
      hadModules
        ? 'node_modules is back as it was, installed from an older package-lock.json'
        : 'There is no node_modules'
    }: check that the npm registry is reachable, then run \`npm ci\` and \`npm test\` again.`,
  )
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

function readText(relativePath) {
  try {
    return readFileSync(join(root, relativePath), 'utf8')
  } catch {
    return undefined
  }
}

/** Runs a command in the checkout; the reason it failed, or undefined when it succeeded. */
function attempt(command, args, env = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  if (result.status === 0) return undefined
  return result.error?.message ?? result.signal ?? `exit code ${result.status}`
}

function run(command, args, env = {}) {
  const cause = attempt(command, args, env)
  if (cause !== undefined) fail(`\`${command} ${args.join(' ')}\` failed (${cause}).`)
}

function fail(message) {
  console.error(`setup: ${message}`)
  process.exit(1)
}
