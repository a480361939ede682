import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUserStore, loadUsersFile } from './user-store.ts'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ssoproof-users-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function usersFile(name: string, text: string): Promise<string> {
  const path = join(root, name)
  await writeFile(path, text)
  return path
}

describe('loadUsersFile', () => {
  it('reads a valid file, with list attributes and defaults', async () => {
    const path = await usersFile(
      'valid.yaml',
      [
        'users:',
        '  - id: erin',
        '    name: Erin Example',
        '    email: erin@example.com',
        '    phone: "+1 555 0199"',
        '    membershipLevel: vip',
        '    password: optional-secret',
        '    attributes:',
        '      customerNumber: C-2001',
        '      customRoles: [admin, beta]',
        '  - id: frank',
        '    name: Frank',
        '',
      ].join('\n'),
    )
    expect(await loadUsersFile(path)).toEqual([
      {
        id: 'erin',
        name: 'Erin Example',
        email: 'erin@example.com',
        phone: '+1 555 0199',
        membershipLevel: 'vip',
        password: 'optional-secret',
        attributes: { customerNumber: 'C-2001', customRoles: ['admin', 'beta'] },
      },
      { id: 'frank', name: 'Frank', attributes: {} },
    ])
  })

  it('refuses a bad email, naming users.0.email', async () => {
    const path = await usersFile(
      'bad-email.yaml',
      'users: [{id: x, name: y, email: not-an-email}]\n',
    )
    const error = await loadUsersFile(path).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', check: path })
    expect((error as Error).message).toContain(`${path}: users.0.email: `)
  })

  it('refuses a user id given twice, naming the second', async () => {
    const path = await usersFile(
      'duplicate.yaml',
      'users:\n  - {id: a, name: A}\n  - {id: a, name: B}\n',
    )
    await expect(loadUsersFile(path)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('users.1.id: duplicate user id "a"'),
    })
  })

  it('names the index of the bad user further down the list', async () => {
    const path = await usersFile(
      'bad-second.yaml',
      'users:\n  - {id: a, name: A}\n  - {id: b, name: ""}\n',
    )
    await expect(loadUsersFile(path)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('users.1.name: '),
    })
  })

  it('refuses an unknown key in a user and at the top level', async () => {
    const inUser = await usersFile('unknown-key.yaml', 'users: [{id: x, name: y, nick: z}]\n')
    await expect(loadUsersFile(inUser)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/users\.0: .*nick/),
    })
    const topLevel = await usersFile('unknown-top.yaml', 'users: [{id: x, name: y}]\nadmins: []\n')
    await expect(loadUsersFile(topLevel)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('admins'),
    })
  })

  it('refuses an empty list and an empty file', async () => {
    const emptyList = await usersFile('empty-list.yaml', 'users: []\n')
    await expect(loadUsersFile(emptyList)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('users: '),
    })
    const emptyFile = await usersFile('empty.yaml', '')
    await expect(loadUsersFile(emptyFile)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('(root): '),
    })
  })

  it('refuses a missing file, naming it', async () => {
    const path = join(root, 'does-not-exist.yaml')
    await expect(loadUsersFile(path)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      check: 'users file',
      evidence: { path, cause: 'ENOENT' },
    })
  })

  it('refuses invalid YAML without echoing the file content', async () => {
    const path = await usersFile('invalid.yaml', 'users:\n  - id: x\n    password: "s3cret\n')
    const error = await loadUsersFile(path).catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      check: 'users file',
      reason: `${path} is not valid YAML`,
    })
    expect(JSON.stringify((error as { evidence: unknown }).evidence)).not.toContain('s3cret')
  })
})

describe('createUserStore', () => {
  it('starts with the built-in users and validates what is put', () => {
    const store = createUserStore()
    expect(store.list().map((user) => user.id)).toEqual(['alice', 'bob', 'carol', 'dave'])
    expect(() => store.put({ id: '', name: 'x' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        reason: expect.stringMatching(/^user: id: /),
      }),
    )
    expect(store.put({ id: 'alice', name: 'Alice Again' }).attributes).toEqual({})
    expect(store.get('alice')?.name).toBe('Alice Again')
    expect(store.list()).toHaveLength(4)
    expect(store.delete('alice')).toBe(true)
    expect(store.delete('alice')).toBe(false)
  })

  it('refuses an invalid initial user at creation', () => {
    expect(() => createUserStore([{ id: 'x', name: 'y', email: 'nope' }])).toThrow(/email/)
  })
})
