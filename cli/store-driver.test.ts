import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SsoError } from '../core/errors/index.ts'

// better-sqlite3 loads its native module at the first connection: each test says how that goes.
// (A file of the harness project: a module graph of its own, so the mock holds for every import.)
const load = vi.hoisted(() => ({ failure: undefined as Error | undefined }))
vi.mock('better-sqlite3', async (original) => {
  const real = ((await original()) as { default: new (...args: unknown[]) => unknown }).default
  return {
    default: function Database(...args: unknown[]) {
      if (load.failure) throw load.failure
      return new real(...args)
    },
  }
})
const { openDatabase } = await import('../core/store/open-database.ts')
const { cliCommand } = await import('../tests/fixtures/cli-command.ts')

const neverBuilt = () =>
  new Error(
    'Could not locate the bindings file. Tried:\n → /p/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  )
const otherNode = () =>
  Object.assign(
    new Error(
      "The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 127. This version of Node.js requires NODE_MODULE_VERSION 115.",
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  )

let folder: string
beforeEach(async () => {
  load.failure = undefined
  folder = await mkdtemp(join(tmpdir(), 'ssoproof-store-driver-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

function refusal(): SsoError {
  try {
    openDatabase({ owner: 'test', migrations: [] })
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
  throw new Error('the database opened')
}

describe('an SQLite driver whose native module does not load', () => {
  it.each([
    ['never built (npm 12 skips unapproved install scripts)', neverBuilt, 'it was never built'],
    ['built for another Node.js', otherNode, 'it was built for another version of Node.js'],
  ])('is STORE_DRIVER_UNAVAILABLE: %s', (_case, failure, cause) => {
    load.failure = failure()
    const error = refusal()
    expect(error.code).toBe('STORE_DRIVER_UNAVAILABLE')
    expect(error.reason).toBe(`the SQLite driver's native module cannot be loaded: ${cause}`)
    expect(error.hint).toContain('npm install-scripts approve better-sqlite3')
    expect(error.hint).toContain('npm rebuild better-sqlite3')
    expect(error.evidence).toEqual({
      nodeVersion: process.version,
      platform: `${process.platform}-${process.arch}`,
    })
  })

  it('stops ssoproof run once, before any scenario, with the commands that build it', async () => {
    load.failure = neverBuilt()
    const { code, stderr } = await cliCommand(['run', '--out', folder])
    expect(code).toBe(1)
    expect(stderr.match(/STORE_DRIVER_UNAVAILABLE/g)).toHaveLength(1)
    expect(stderr).toContain('npm rebuild better-sqlite3')
  })

  it('stops ssoproof serve with it, and serve starts as before once the driver loads', async () => {
    load.failure = otherNode()
    const data = join(folder, 'data')
    const refused = await cliCommand(['serve', '--data', data, '--idp-port', '0', '--sp-port', '0'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      "ssoproof serve: STORE_DRIVER_UNAVAILABLE: the SQLite driver's native module cannot be loaded: it was built for another version of Node.js",
    )
    load.failure = undefined
    const db = openDatabase({ owner: 'test', migrations: ['CREATE TABLE t (x INTEGER)'] })
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 })
    db.close()
  })
})
