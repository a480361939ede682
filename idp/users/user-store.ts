import { readFile } from 'node:fs/promises'
import { parseConfig } from '../../core/config/parse-config.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { RecordTable } from '../store/record-table.ts'
import { createSeededRegistry } from '../store/seeded-registry.ts'
import { defaultUsers } from './default-users.ts'
import { type IdpUser, type IdpUserInput, userSchema, usersFileSchema } from './user.ts'

/** The IdP's users, replaceable at runtime through the admin API. */
export interface UserStore {
  get(id: string): IdpUser | undefined
  list(): IdpUser[]
  /** Adds or replaces a user; input is validated first. */
  put(input: unknown): IdpUser
  delete(id: string): boolean
}

/** The seeds (the users file or the built-in users), then those put through the admin API. */
export function createUserStore(
  initial: IdpUserInput[] = defaultUsers,
  stored?: RecordTable<IdpUser>,
): UserStore {
  const users = createSeededRegistry(
    (input) => parseConfig(userSchema, input, 'user'),
    (user) => user.id,
    initial,
    stored,
  )
  return { get: users.get, list: users.list, put: users.register, delete: users.delete }
}

/** Reads a YAML users file (`users: [...]`); errors name the file and the bad setting. */
export async function loadUsersFile(path: string): Promise<IdpUser[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new SsoError('CONFIG_INVALID', 'users file', `cannot read users file ${path}`, {
      path,
      cause: (error as NodeJS.ErrnoException).code ?? 'unknown',
    })
  }
  // yaml loads only when there is a users file, not at every start.
  const { parse: parseYaml } = await import('yaml')
  let data: unknown
  try {
    data = parseYaml(text)
  } catch (error) {
    throw new SsoError('CONFIG_INVALID', 'users file', `${path} is not valid YAML`, {
      path,
      detail: (error as Error).message.split('\n')[0] ?? '',
    })
  }
  return parseConfig(usersFileSchema, data, path).users
}
