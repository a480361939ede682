import { SsoError } from '../../core/errors/index.ts'
import type { SpDatabase } from '../store/database.ts'
import type { MappedProfile } from './map-profile.ts'

/** An account at the SP: one per external ID, its profile synced from the IdP on each sign-on. */
export interface Contact extends MappedProfile {
  id: number
  externalId: string
  issuer: string
  roles: string[]
  createdAt: number
  updatedAt: number
}

interface ContactRow {
  id: number
  external_id: string
  issuer: string
  name: string | null
  email: string | null
  phone: string | null
  company: string | null
  department: string | null
  product: string | null
  username: string | null
  avatar: string | null
  roles: string
  custom_fields: string
  custom_variables: string
  created_at: number
  updated_at: number
}

const columns = [
  'name',
  'email',
  'phone',
  'company',
  'department',
  'product',
  'username',
  'avatar',
] as const

export interface ContactStore {
  get(id: number): Contact | undefined
  findByExternalId(externalId: string): Contact | undefined
  /**
   * inSided's sign-on rule: match by external ID; none yet → create from the profile; found →
   * sync what the IdP sent (fields it sent overwrite, roles are replaced, variables merged).
   * An email or username owned by another account is refused, never merged.
   */
  signOn(input: { externalId: string; issuer: string; profile: MappedProfile; at: number }): Contact
  /** Throws when another account than `externalId` owns this email or username. */
  assertAvailable(externalId: string, profile: Pick<MappedProfile, 'email' | 'username'>): void
  /** Whether another account than `externalId` holds this username (case-insensitively). */
  usernameTaken(username: string, externalId: string): boolean
}

export function createContactStore(db: SpDatabase): ContactStore {
  const byId = db.prepare<[number], ContactRow>('SELECT * FROM contacts WHERE id = ?')
  const byExternalId = db.prepare<[string], ContactRow>(
    'SELECT * FROM contacts WHERE external_id = ?',
  )
  const emailOwner = db.prepare<[string, string], { external_id: string }>(
    'SELECT external_id FROM contacts WHERE lower(email) = lower(?) AND external_id != ?',
  )
  const usernameOwner = db.prepare<[string, string], { external_id: string }>(
    'SELECT external_id FROM contacts WHERE lower(username) = lower(?) AND external_id != ?',
  )
  const insert = db.prepare(
    `INSERT INTO contacts (external_id, issuer, ${columns.join(', ')}, roles, custom_fields, custom_variables, created_at, updated_at)
     VALUES (@externalId, @issuer, ${columns.map((column) => `@${column}`).join(', ')}, @roles, @customFields, @customVariables, @at, @at)`,
  )
  const update = db.prepare(
    `UPDATE contacts SET issuer = @issuer, ${columns.map((column) => `${column} = @${column}`).join(', ')},
       roles = @roles, custom_fields = @customFields, custom_variables = @customVariables, updated_at = @at
     WHERE id = @id`,
  )
  const get = (id: number) => fromRow(byId.get(id))
  const findByExternalId = (externalId: string) => fromRow(byExternalId.get(externalId))
  const assertAvailable: ContactStore['assertAvailable'] = (externalId, profile) => {
    if (profile.email !== undefined && emailOwner.get(profile.email, externalId)) {
      throw new SsoError(
        'SP_ACCOUNT_EMAIL_CONFLICT',
        'email',
        'the email address the IdP sent belongs to another account',
        { externalId: externalId.slice(0, 200) },
      )
    }
    if (profile.username !== undefined && usernameOwner.get(profile.username, externalId)) {
      throw new SsoError(
        'SP_ACCOUNT_USERNAME_TAKEN',
        'username',
        'the username the IdP sent belongs to another account',
        { externalId: externalId.slice(0, 200) },
      )
    }
  }
  const signOn = db.transaction((input: Parameters<ContactStore['signOn']>[0]) => {
    const { externalId, profile } = input
    assertAvailable(externalId, profile)
    const existing = findByExternalId(externalId)
    const merged = {
      ...Object.fromEntries(
        columns.map((column) => [column, profile[column] ?? existing?.[column] ?? null]),
      ),
      externalId,
      issuer: input.issuer,
      roles: JSON.stringify(profile.roles ?? existing?.roles ?? []),
      customFields: JSON.stringify({ ...existing?.customFields, ...profile.customFields }),
      customVariables: JSON.stringify({ ...existing?.customVariables, ...profile.customVariables }),
      at: input.at,
    }
    if (existing) {
      update.run({ ...merged, id: existing.id })
      return get(existing.id) as Contact
    }
    return get(Number(insert.run(merged).lastInsertRowid)) as Contact
  })
  return {
    get,
    findByExternalId,
    // Read-then-write: IMMEDIATE takes the write lock first, so a second process waits on the
    // busy timeout instead of failing with SQLITE_BUSY_SNAPSHOT when its snapshot went stale.
    signOn: (input) => signOn.immediate(input),
    assertAvailable,
    usernameTaken: (username, externalId) => usernameOwner.get(username, externalId) !== undefined,
  }
}

function fromRow(row: ContactRow | undefined): Contact | undefined {
  if (!row) return undefined
  const contact: Contact = {
    id: row.id,
    externalId: row.external_id,
    issuer: row.issuer,
    roles: JSON.parse(row.roles) as string[],
    customFields: JSON.parse(row.custom_fields) as Record<string, string>,
    customVariables: JSON.parse(row.custom_variables) as Record<string, string>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
  for (const column of columns) {
    const value = row[column]
    if (value !== null) contact[column] = value
  }
  return contact
}
