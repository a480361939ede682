import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { describe, expect, it } from 'vitest'

const scripts = import.meta.dirname

/**
 * A checkout holding only setup.mjs and a lock file, with a fake `npm` first on PATH: it logs
 * each call and, like `npm ci`, empties node_modules first, then installs or fails as told.
 */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'ssoproof-setup-'))
  mkdirSync(join(root, 'scripts'))
  for (const file of ['setup.mjs', 'chromium.mjs']) {
    copyFileSync(join(scripts, file), join(root, 'scripts', file))
  }
  const bin = join(root, 'fake-bin')
  mkdirSync(bin)
  writeFileSync(
    join(bin, 'npm'),
    `#!/usr/bin/env node
const fs = require('node:fs')
fs.appendFileSync(${JSON.stringify(join(root, 'npm-calls.log'))}, process.argv.slice(2).join(' ') + '\\n')
fs.rmSync('node_modules', { recursive: true, force: true })
fs.mkdirSync('node_modules')
if (process.env.FAKE_NPM === 'fail') process.exit(1)
fs.writeFileSync('node_modules/installed-from', fs.readFileSync('package-lock.json'))
`,
  )
  chmodSync(join(bin, 'npm'), 0o755)
  const lock = (packages: Record<string, unknown>) =>
    writeFileSync(
      join(root, 'package-lock.json'),
      JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': {}, ...packages } }),
    )
  lock({ 'node_modules/a': { version: '1.0.0' } })
  const setup = (fakeNpm: 'ok' | 'fail' = 'ok') => {
    const result = spawnSync(process.execPath, ['scripts/setup.mjs', '--dependencies-only'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, FAKE_NPM: fakeNpm },
    })
    return { code: result.status, output: `${result.stdout}${result.stderr}` }
  }
  const npmCalls = () => {
    const log = join(root, 'npm-calls.log')
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []
  }
  return { root, lock, setup, npmCalls }
}

describe('scripts/setup.mjs installs node_modules only when the lock file says so', () => {
  it('installs once, then never again for a lock file with the same content, however new', () => {
    const { root, setup, npmCalls } = checkout()
    expect(setup()).toEqual({ code: 0, output: 'setup: installed dependencies with npm ci\n' })
    expect(npmCalls()).toEqual(['ci'])
    expect(setup()).toEqual({ code: 0, output: '' })
    // A worktree's hard-linked copy, a fresh checkout: the lock file is newer, its bytes the same.
    const later = new Date(Date.now() + 3_600_000)
    utimesSync(join(root, 'package-lock.json'), later, later)
    expect(setup()).toEqual({ code: 0, output: '' })
    expect(npmCalls()).toEqual(['ci'])
  })

  it('installs again when the lock content changes, and after one removes node_modules', () => {
    const { root, lock, setup, npmCalls } = checkout()
    setup()
    lock({ 'node_modules/a': { version: '1.0.1' } })
    expect(setup().code).toBe(0)
    expect(npmCalls()).toEqual(['ci', 'ci'])
    expect(readFileSync(join(root, 'node_modules', 'installed-from'), 'utf8')).toContain('1.0.1')
    rmSync(join(root, 'node_modules'), { recursive: true })
    setup()
    expect(npmCalls()).toEqual(['ci', 'ci', 'ci'])
  })

  it("takes an install made without it by npm's own record, when that matches the lock", () => {
    const { root, setup, npmCalls } = checkout()
    mkdirSync(join(root, 'node_modules'))
    const record = (packages: Record<string, unknown>) =>
      writeFileSync(
        join(root, 'node_modules', '.package-lock.json'),
        JSON.stringify({ name: 'x', lockfileVersion: 3, packages }),
      )
    record({ 'node_modules/a': { version: '1.0.0' } })
    expect(setup()).toEqual({ code: 0, output: '' })
    expect(npmCalls()).toEqual([])
    // Recorded now: npm's record no longer matters.
    record({ 'node_modules/a': { version: '0.9.0' } })
    expect(setup()).toEqual({ code: 0, output: '' })

    const other = checkout()
    mkdirSync(join(other.root, 'node_modules'))
    writeFileSync(
      join(other.root, 'node_modules', '.package-lock.json'),
      JSON.stringify({ packages: { 'node_modules/a': { version: '0.9.0' } } }),
    )
    expect(other.setup().code).toBe(0)
    expect(other.npmCalls()).toEqual(['ci'])
  })

  it('puts the previous node_modules back when npm ci fails, and says what to do', () => {
    const { root, lock, setup } = checkout()
    setup()
    lock({ 'node_modules/a': { version: '2.0.0' } })
    const failed = setup('fail')
    expect(failed.code).toBe(1)
    expect(failed.output).toContain('`npm ci` failed (exit code 1)')
    expect(failed.output).toContain('node_modules is back as it was')
    expect(failed.output).toContain('run `npm ci` and `npm test` again')
    expect(readFileSync(join(root, 'node_modules', 'installed-from'), 'utf8')).toContain('1.0.0')
    expect(existsSync(join(root, 'node_modules.before-setup'))).toBe(false)
    // Still the old install: the next run tries again.
    expect(setup().code).toBe(0)
    expect(readFileSync(join(root, 'node_modules', 'installed-from'), 'utf8')).toContain('2.0.0')

    const fresh = checkout()
    const none = fresh.setup('fail')
    expect(none.code).toBe(1)
    expect(none.output).toContain('There is no node_modules')
    expect(existsSync(join(fresh.root, 'node_modules'))).toBe(false)
  })
})
