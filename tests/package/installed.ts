import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout this test builds the package from. */
export const checkout = fileURLToPath(new URL('../../', import.meta.url))

/**
 * How the tarball is installed. `fast` (the default in `npm test`): without install scripts, and
 * better-sqlite3's native addon taken from the checkout's own build, because compiling SQLite
 * takes minutes on a busy machine. `full` (SSOPROOF_PACKAGE_INSTALL=full, as CI runs it): a plain
 * `npm install`, so better-sqlite3 builds its addon from the tarball's dependencies.
 */
export const installMode = process.env.SSOPROOF_PACKAGE_INSTALL === 'full' ? 'full' : 'fast'

export interface Installed {
  tarball: string
  /** The empty project the tarball was installed into. */
  project: string
  version: string
}

/** npm run from a test inherits npm_* variables of `npm test`; a clean child does not. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)),
  ) as NodeJS.ProcessEnv
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', stdio: 'pipe' })
}

/** `npm pack` (its prepack script builds dist/), then `npm install` of the tarball elsewhere. */
export function packAndInstall(): Installed {
  const scratch = mkdtempSync(join(tmpdir(), 'ssoproof-package-'))
  npm(['pack', '--pack-destination', scratch], checkout)
  const tarball = join(scratch, readdirSync(scratch).find((name) => name.endsWith('.tgz')) ?? '')
  const project = join(scratch, 'project')
  mkdirSync(project)
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'ssoproof-install-check', private: true, type: 'module' }),
  )
  const flags = ['--prefer-offline', '--no-audit', '--no-fund']
  npm(
    ['install', tarball, ...flags, ...(installMode === 'fast' ? ['--ignore-scripts'] : [])],
    project,
  )
  if (installMode === 'fast') borrowSqliteAddon(project)
  const manifest = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8'))
  return { tarball, project, version: manifest.version }
}

function borrowSqliteAddon(project: string): void {
  const version = (root: string) =>
    JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')).version
  if (version(project) !== version(checkout)) {
    throw new Error(
      `better-sqlite3 ${version(project)} installed, the checkout has ${version(checkout)}: run npm ci`,
    )
  }
  const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'
  mkdirSync(join(project, 'node_modules/better-sqlite3/build/Release'), { recursive: true })
  copyFileSync(join(checkout, addon), join(project, addon))
}

/** Runs the installed `ssoproof` to its end. */
export function ssoproof(
  installed: Installed,
  args: string[],
): { code: number | null; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(bin(installed), args, {
      cwd: installed.project,
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...npmEnv(), CI: '' },
      timeout: 300_000,
    })
    return { code: 0, stdout, stderr: '' }
  } catch (error) {
    const failed = error as { status: number | null; stdout: string; stderr: string }
    return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr }
  }
}

function bin(installed: Installed): string {
  return join(installed.project, 'node_modules', '.bin', 'ssoproof')
}

export interface Started {
  process: ChildProcess
  /** Everything it printed so far. */
  output(): string
  /** Sends SIGINT and resolves with the exit code. */
  stop(): Promise<number | null>
}

/** Starts a long-running `ssoproof` command and waits until its output matches `ready`. */
export async function start(installed: Installed, args: string[], ready: RegExp): Promise<Started> {
  const child = spawn(bin(installed), args, {
    cwd: installed.project,
    env: { ...npmEnv(), CI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (ready.test(output)) resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    exited.then((code) => reject(new Error(`ssoproof ${args[0]} exited (${code}): ${output}`)))
  })
  return {
    process: child,
    output: () => output,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGINT')
      return exited
    },
  }
}
