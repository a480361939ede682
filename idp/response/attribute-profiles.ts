import { type IdpUser, userAttributes } from '../users/user.ts'

/** saml-core §8.2: how an Attribute's Name is to be read. */
export const attributeNameFormats = {
  basic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  uri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
} as const

/**
 * Which attributes an SP gets (per registration, `attributeProfile`):
 * - `basic`: every profile field and custom attribute under its own short name (`email`, `id`);
 * - `uri`: the standard names of eduPerson and X.500 as urn:oid URIs with their FriendlyName
 *   (saml-profiles §8.2 X.500/LDAP profile, MACE-Dir SAML attribute profile), the ones a stock
 *   Shibboleth SP's attribute-map and other federation SPs know;
 * - `basic+uri` (default): both, so a stock Shibboleth SP and an SP mapping short names each see
 *   the user.
 */
export const attributeProfiles = ['basic', 'uri', 'basic+uri'] as const
export type AttributeProfile = (typeof attributeProfiles)[number]

export interface SamlAttribute {
  name: string
  nameFormat: string
  friendlyName?: string
  values: string[]
}

/** The `uri` profile's table: name, FriendlyName, and where the value comes from. */
const uriAttributes: Array<{ name: string; friendlyName: string; from: (u: Source) => string[] }> =
  [
    { name: 'urn:oid:0.9.2342.19200300.100.1.1', friendlyName: 'uid', from: (u) => [u.user.id] },
    {
      name: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
      friendlyName: 'eduPersonPrincipalName',
      from: scoped,
    },
    // saml-subject-id-attr-v1.0: the scoped, case-insensitive, long-lived subject identifier.
    {
      name: 'urn:oasis:names:tc:SAML:attribute:subject-id',
      friendlyName: 'subject-id',
      from: scoped,
    },
    { name: 'urn:oid:0.9.2342.19200300.100.1.3', friendlyName: 'mail', from: field('email') },
    {
      name: 'urn:oid:2.16.840.1.113730.3.1.241',
      friendlyName: 'displayName',
      from: (u) => [u.user.name],
    },
    { name: 'urn:oid:2.5.4.42', friendlyName: 'givenName', from: custom('givenName') },
    { name: 'urn:oid:2.5.4.4', friendlyName: 'sn', from: custom('sn') },
    { name: 'urn:oid:2.5.4.20', friendlyName: 'telephoneNumber', from: field('phone') },
    { name: 'urn:oid:2.5.4.10', friendlyName: 'o', from: field('company') },
    { name: 'urn:oid:2.5.4.11', friendlyName: 'ou', from: field('department') },
  ]

interface Source {
  user: IdpUser
  scope: string
}

/** The SAML attributes of `user` for an SP with this profile; `scope` qualifies scoped values. */
export function attributesFor(
  user: IdpUser,
  profile: AttributeProfile,
  scope: string,
): SamlAttribute[] {
  const basic = basicAttributes(userAttributes(user))
  const uri = uriAttributes.flatMap(({ name, friendlyName, from }) => {
    const values = from({ user, scope })
    return values.length === 0
      ? []
      : [{ name, friendlyName, nameFormat: attributeNameFormats.uri, values }]
  })
  if (profile === 'basic') return basic
  if (profile === 'uri') return uri
  return [...basic, ...uri]
}

/** Attributes under their short names, NameFormat basic. */
export function basicAttributes(attributes: Record<string, string[]>): SamlAttribute[] {
  return Object.entries(attributes).map(([name, values]) => ({
    name,
    nameFormat: attributeNameFormats.basic,
    values,
  }))
}

function scoped({ user, scope }: Source): string[] {
  return [user.id.includes('@') ? user.id : `${user.id}@${scope}`]
}

function field(name: 'email' | 'phone' | 'company' | 'department') {
  return ({ user }: Source) => (user[name] === undefined ? [] : [user[name]])
}

function custom(name: string) {
  return ({ user }: Source) => {
    const value = user.attributes[name]
    return value === undefined ? [] : Array.isArray(value) ? value : [value]
  }
}
