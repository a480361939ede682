import { idField, type Mapping, type MappingTarget } from '../campaigns/settings.ts'
import { nearMisses } from './near-miss.ts'

/** What the campaign's data mapping made of the IdP's attributes or claims. */
export interface MappedProfile {
  name?: string
  email?: string
  phone?: string
  company?: string
  department?: string
  product?: string
  username?: string
  avatar?: string
  /** Replaced as a whole on each sign-on that carries them. */
  roles?: string[]
  /** Custom pre-chat fields, by name. */
  customFields: Record<string, string>
  /** Custom variables, by name. */
  customVariables: Record<string, string>
}

export interface MappingOutcome {
  profile: MappedProfile
  /**
   * The value of the attribute mapped to `id`: the account key when the NameID is transient
   * (accounts/external-id.ts). Not sent, it is not "missing": a stable NameID needs none.
   */
  id?: string
  /**
   * Mapped attributes the IdP did not send (their fields stay empty): for diagnostics, with the
   * attributes it did send that look like the same one under another name (near-miss.ts).
   */
  missing: Array<{
    attribute: string
    field: Mapping['field']
    required: boolean
    nearMisses: string[]
  }>
}

/**
 * Applies a campaign's mappings to the attributes of an accepted sign-in. An attribute with no
 * value, or only empty strings, counts as missing. Several values: the first is taken, except for
 * roles, which keep them all, each split at commas (inSided's customRoles is "a comma separated
 * string", whether it arrives in a SAML AttributeValue, a JWT or an OIDC claim). `friendlyNames` (SAML Name → FriendlyName) only feeds the hints.
 */
export function mapProfile(
  mappings: readonly Mapping[],
  attributes: Record<string, string[]>,
  friendlyNames: Readonly<Record<string, string>> = {},
): MappingOutcome {
  const profile: MappedProfile = { customFields: {}, customVariables: {} }
  const missing: MappingOutcome['missing'] = []
  let id: string | undefined
  for (const mapping of mappings) {
    const sent = Object.hasOwn(attributes, mapping.attribute) ? attributes[mapping.attribute] : []
    // The first value that is not blank; no list is built but for roles, which keep them all.
    const found = sent?.find((value) => value.trim() !== '')
    if (found === undefined) {
      if (mapping.field === idField && !mapping.required) continue
      missing.push(missingEntry(mapping, attributes, friendlyNames))
      continue
    }
    const { field } = mapping
    // Profile fields are tidied; the id is an account key and stays exactly as sent
    // (external-id.ts refuses a look-alike rather than trimming it into another's).
    const first = field === idField ? found : found.trim()
    if (field === idField) id ??= first
    else if (field === 'roles') profile.roles = splitRoles(sent ?? [])
    else if (field.startsWith('custom:')) profile.customFields[field.slice(7)] = first
    else if (field.startsWith('variable:')) profile.customVariables[field.slice(9)] = first
    else
      profile[field as Exclude<keyof MappedProfile, 'roles' | 'customFields' | 'customVariables'>] =
        first
  }
  return { profile, missing, ...(id !== undefined ? { id } : {}) }
}

/**
 * A mapped attribute the IdP did not send. Its near misses are hints that only a refusal or the
 * diagnostics read, so they are worked out when first read (then kept), not on every sign-in: a
 * default campaign misses a few attributes on each one, and each look compares every sent name.
 */
function missingEntry(
  mapping: Mapping,
  attributes: Record<string, string[]>,
  friendlyNames: Readonly<Record<string, string>>,
): MappingOutcome['missing'][number] {
  let similar: string[] | undefined
  return {
    attribute: mapping.attribute,
    field: mapping.field,
    required: mapping.required,
    get nearMisses() {
      similar ??= nearMisses(mapping.attribute, Object.keys(attributes), friendlyNames)
      return similar
    },
  }
}

/** The value of a mapped field on a profile (routing rules read fields this way). */
export function fieldValue(
  profile: Pick<MappedProfile, 'customFields' | 'customVariables'> & Partial<MappedProfile>,
  field: MappingTarget,
): string | undefined {
  if (field.startsWith('custom:')) return profile.customFields[field.slice(7)]
  if (field.startsWith('variable:')) return profile.customVariables[field.slice(9)]
  if (field === 'roles') return profile.roles?.join(',') || undefined
  return profile[
    field as Exclude<keyof MappedProfile, 'roles' | 'customFields' | 'customVariables'>
  ]
}

/** Role lists as one comma-separated string ("1, 2, 3"), as several values, or both: one per role. */
export function splitRoles(values: readonly string[]): string[] {
  return values.flatMap((value) =>
    value
      .split(',')
      .map((role) => role.trim())
      .filter((role) => role !== ''),
  )
}
