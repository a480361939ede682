import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { makeFolder, makeNamedFolder } from './make-folder.ts'

const root = () => mkdtempSync(join(tmpdir(), 'ssoproof-folder-'))

describe('makeFolder: mkdir -p one level at a time', () => {
  it('makes the missing folders with the mode given, outermost first, and none twice', () => {
    const base = root()
    const deep = join(base, 'a', 'b', 'c')
    expect(makeFolder(deep)).toEqual([join(base, 'a'), join(base, 'a', 'b'), deep])
    for (const folder of ['a', 'a/b', 'a/b/c'])
      expect(statSync(join(base, folder)).mode & 0o777).toBe(0o700)
    expect(makeFolder(deep)).toEqual([])
  })

  it('refuses a path through a file (ENOTDIR)', () => {
    const file = join(root(), 'data')
    writeFileSync(file, '')
    expect(() => makeFolder(join(file, 'x', 'y'))).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }),
    )
    expect(() => makeFolder(file)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }))
  })

  it('returns at once where the file system holds no new folders (Node 20 recursive mkdir loops there)', () => {
    expect(() => makeFolder('/proc/ssoproof-no-such-folder/x')).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    )
  })
})

describe('makeNamedFolder', () => {
  it('is CONFIG_INVALID saying which folder, where and why', () => {
    const file = join(root(), 'data')
    writeFileSync(file, '')
    let error: unknown
    try {
      makeNamedFolder(join(file, 'x'), 'the data folder')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(SsoError)
    expect((error as SsoError).code).toBe('CONFIG_INVALID')
    expect((error as SsoError).reason).toBe(
      `the data folder ${join(file, 'x')} cannot be made: a file stands where a folder of its path should be (ENOTDIR)`,
    )
    expect((error as SsoError).evidence).toEqual({ folder: join(file, 'x'), errno: 'ENOTDIR' })
  })
})
