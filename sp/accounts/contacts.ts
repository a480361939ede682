import { SsoError } from '../../core/errors/index.ts'
import type { SpDatabase } from '../store/database.ts'
import type { MappedProfile } from './map-profile.ts'

/** An account at the SP: one per (issuer, external ID), its profile synced from the IdP on each sign-on. */
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
  external_id: string | null
  issuer: string | null
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

/** What an SSO account is found by: the IdP that vouches for it and the ID it has there. */
export interface AccountKey {
  issuer: string
  externalId: string
}

export interface ContactStore {
  /** An SSO account by row id (an account made before SSO has no key and is not returned). */
  get(id: number): Contact | undefined
  find(key: AccountKey): Contact | undefined
  /** The account of this external ID at `issuer`; without one, the first of any issuer. */
  findByExternalId(externalId: string, issuer?: string): Contact | undefined
  /**
   * inSided's sign-on rule: match by (issuer, external ID); none yet → create from the profile,
   * or, with `linkByEmail` and a verified email, take over the account made before SSO that owns
   * it; found → sync what the IdP sent (fields it sent overwrite, roles are replaced, variables
   * merged). An email or username owned by another account is refused, never merged.
   */
  signOn(input: {
    key: AccountKey
    profile: MappedProfile
    at: number
    link?: { byEmail: boolean; emailVerified: boolean }
  }): Contact
  /** Throws when another account than `key`'s owns this email or username. */
  assertAvailable(
    key: AccountKey,
    profile: Pick<MappedProfile, 'email' | 'username'>,
    link?: { byEmail: boolean; emailVerified: boolean },
  ): void
  /** Whether another account than `key`'s holds this username (case-insensitively). */
  usernameTaken(username: string, key: AccountKey): boolean
  /** An account made before SSO (admin API): no issuer, no external ID until a sign-on links it. */
  createUnlinked(profile: MappedProfile, at: number): number
}

interface Owner {
  id: number
  issuer: string | null
  external_id: string | null
}

export function createContactStore(db: SpDatabase): ContactStore {
  const byId = db.prepare<[number], ContactRow>('SELECT * FROM contacts WHERE id = ?')
  const byKey = db.prepare<[string, string], ContactRow>(
    'SELECT * FROM contacts WHERE issuer = ? AND external_id = ?',
  )
  const byExternalId = db.prepare<[string], ContactRow>(
    'SELECT * FROM contacts WHERE external_id = ? ORDER BY id LIMIT 1',
  )
  const emailOwner = db.prepare<[string], Owner>(
    'SELECT id, issuer, external_id FROM contacts WHERE lower(email) = lower(?)',
  )
  const usernameOwner = db.prepare<[string], Owner>(
    'SELECT id, issuer, external_id FROM contacts WHERE lower(username) = lower(?)',
  )
  const insert = db.prepare(
    `INSERT INTO contacts (external_id, issuer, ${columns.join(', ')}, roles, custom_fields, custom_variables, created_at, updated_at)
     VALUES (@externalId, @issuer, ${columns.map((column) => `@${column}`).join(', ')}, @roles, @customFields, @customVariables, @at, @at)`,
  )
  const update = db.prepare(
    `UPDATE contacts SET issuer = @issuer, external_id = @externalId, ${columns.map((column) => `${column} = @${column}`).join(', ')},
       roles = @roles, custom_fields = @customFields, custom_variables = @customVariables, updated_at = @at
     WHERE id = @id`,
  )
  const touch = db.prepare<[number, number]>('UPDATE contacts SET updated_at = ? WHERE id = ?')
  const get = (id: number) => fromRow(byId.get(id))
  const find = (key: AccountKey) => fromRow(byKey.get(key.issuer, key.externalId))
  const isOther = (owner: Owner | undefined, key: AccountKey) =>
    owner !== undefined && !(owner.issuer === key.issuer && owner.external_id === key.externalId)
  /** The account made before SSO that a verified email may take over, when the site opts in. */
  const linkable = (key: AccountKey, email: string | undefined, link: SignOnLink | undefined) => {
    if (email === undefined || !link?.byEmail || !link.emailVerified) return undefined
    const owner = emailOwner.get(email)
    return owner && owner.external_id === null && !find(key) ? owner : undefined
  }
  const assertAvailable: ContactStore['assertAvailable'] = (key, profile, link) => {
    const { email, username } = profile
    if (email !== undefined && isOther(emailOwner.get(email), key) && !linkable(key, email, link)) {
      throw new SsoError(
        'SP_ACCOUNT_EMAIL_CONFLICT',
        'email',
        'the email address the IdP sent belongs to another account',
        { externalId: key.externalId.slice(0, 200) },
      )
    }
    const usernameHolder = username === undefined ? undefined : usernameOwner.get(username)
    if (isOther(usernameHolder, key) && usernameHolder?.id !== linkable(key, email, link)?.id) {
      throw new SsoError(
        'SP_ACCOUNT_USERNAME_TAKEN',
        'username',
        'the username the IdP sent belongs to another account',
        { externalId: key.externalId.slice(0, 200) },
      )
    }
  }
  const signOn = db.transaction((input: Parameters<ContactStore['signOn']>[0]) => {
    const { key, profile } = input
    assertAvailable(key, profile, input.link)
    const linked = linkable(key, profile.email, input.link)
    const existing = find(key) ?? (linked ? fromRow(byId.get(linked.id), true) : undefined)
    const merged = {
      ...Object.fromEntries(
        columns.map((column) => [column, profile[column] ?? existing?.[column] ?? null]),
      ),
      externalId: key.externalId,
      issuer: key.issuer,
      roles: JSON.stringify(profile.roles ?? existing?.roles ?? []),
      customFields: JSON.stringify({ ...existing?.customFields, ...profile.customFields }),
      customVariables: JSON.stringify({ ...existing?.customVariables, ...profile.customVariables }),
      at: input.at,
    }
    if (existing && sameAccount(existing, merged)) {
      // Nothing the IdP sent differs: only the sync time moves, and no index entry is rewritten.
      touch.run(input.at, existing.id)
      return { ...existing, updatedAt: input.at }
    }
    if (existing) {
      update.run({ ...merged, id: existing.id })
      return get(existing.id) as Contact
    }
    return get(Number(insert.run(merged).lastInsertRowid)) as Contact
  })
  return {
    get,
    find,
    findByExternalId: (externalId, issuer) =>
      issuer === undefined ? fromRow(byExternalId.get(externalId)) : find({ issuer, externalId }),
    // Read-then-write: IMMEDIATE takes the write lock first, so a second process waits on the
    // busy timeout instead of failing with SQLITE_BUSY_SNAPSHOT when its snapshot went stale.
    signOn: (input) => signOn.immediate(input),
    assertAvailable,
    usernameTaken: (username, key) => isOther(usernameOwner.get(username), key),
    createUnlinked: (profile, at) => {
      assertUnowned(emailOwner.get(profile.email ?? ''), 'email')
      assertUnowned(
        profile.username === undefined ? undefined : usernameOwner.get(profile.username),
        'username',
      )
      return Number(
        insert.run({
          ...Object.fromEntries(columns.map((column) => [column, profile[column] ?? null])),
          externalId: null,
          issuer: null,
          roles: JSON.stringify(profile.roles ?? []),
          customFields: JSON.stringify(profile.customFields),
          customVariables: JSON.stringify(profile.customVariables),
          at,
        }).lastInsertRowid,
      )
    },
  }
}

type SignOnLink = { byEmail: boolean; emailVerified: boolean }

/** Whether the row signOn would write holds what `existing` already holds (updated_at aside). */
function sameAccount(existing: Contact, merged: Readonly<Record<string, unknown>>): boolean {
  return (
    merged.externalId === existing.externalId &&
    merged.issuer === existing.issuer &&
    columns.every((column) => merged[column] === (existing[column] ?? null)) &&
    merged.roles === JSON.stringify(existing.roles) &&
    merged.customFields === JSON.stringify(existing.customFields) &&
    merged.customVariables === JSON.stringify(existing.customVariables)
  )
}

function assertUnowned(owner: Owner | undefined, field: 'email' | 'username'): void {
  if (owner === undefined) return
  throw new SsoError(
    field === 'email' ? 'SP_ACCOUNT_EMAIL_CONFLICT' : 'SP_ACCOUNT_USERNAME_TAKEN',
    field,
    `another account already uses this ${field}`,
    {},
  )
}

/** A row as a Contact; one made before SSO (no key yet) only when `unlinked` asks for it. */
function fromRow(row: ContactRow | undefined, unlinked = false): Contact | undefined {
  if (!row || (row.external_id === null && !unlinked)) return undefined
  const contact: Contact = {
    id: row.id,
    externalId: row.external_id ?? '',
    issuer: row.issuer ?? '',
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
