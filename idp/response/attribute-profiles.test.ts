import { describe, expect, it } from 'vitest'
import { userSchema } from '../users/user.ts'
import { attributeNameFormats, attributesFor } from './attribute-profiles.ts'

const alice = userSchema.parse({
  id: 'alice',
  name: 'Alice Andersen',
  email: 'alice@example.com',
  attributes: { givenName: 'Alice', sn: 'Andersen', customerNumber: 'C-1001' },
})
const dave = userSchema.parse({ id: 'dave', name: 'Dave Doe' })

const names = (list: ReturnType<typeof attributesFor>) =>
  list.map((a) => [a.friendlyName ?? a.name, a.values.join(',')])

describe('attribute profiles', () => {
  it('basic: every field and custom attribute under its short name, NameFormat basic', () => {
    const list = attributesFor(alice, 'basic', 'example.org')
    expect(names(list)).toEqual([
      ['id', 'alice'],
      ['name', 'Alice Andersen'],
      ['email', 'alice@example.com'],
      ['givenName', 'Alice'],
      ['sn', 'Andersen'],
      ['customerNumber', 'C-1001'],
    ])
    expect(new Set(list.map((a) => a.nameFormat))).toEqual(new Set([attributeNameFormats.basic]))
  })

  it('uri: the urn:oid names of eduPerson and X.500 with FriendlyName, scoped ones in the IdP scope', () => {
    const list = attributesFor(alice, 'uri', 'example.org')
    expect(list.map((a) => [a.name, a.friendlyName, a.values])).toEqual([
      ['urn:oid:0.9.2342.19200300.100.1.1', 'uid', ['alice']],
      ['urn:oid:1.3.6.1.4.1.5923.1.1.1.6', 'eduPersonPrincipalName', ['alice@example.org']],
      ['urn:oasis:names:tc:SAML:attribute:subject-id', 'subject-id', ['alice@example.org']],
      ['urn:oid:0.9.2342.19200300.100.1.3', 'mail', ['alice@example.com']],
      ['urn:oid:2.16.840.1.113730.3.1.241', 'displayName', ['Alice Andersen']],
      ['urn:oid:2.5.4.42', 'givenName', ['Alice']],
      ['urn:oid:2.5.4.4', 'sn', ['Andersen']],
    ])
    expect(new Set(list.map((a) => a.nameFormat))).toEqual(new Set([attributeNameFormats.uri]))
  })

  it('uri leaves out what the user lacks, and basic+uri carries both lists', () => {
    expect(names(attributesFor(dave, 'uri', 'example.org'))).toEqual([
      ['uid', 'dave'],
      ['eduPersonPrincipalName', 'dave@example.org'],
      ['subject-id', 'dave@example.org'],
      ['displayName', 'Dave Doe'],
    ])
    const both = attributesFor(alice, 'basic+uri', 'example.org')
    expect(both).toEqual([
      ...attributesFor(alice, 'basic', 'example.org'),
      ...attributesFor(alice, 'uri', 'example.org'),
    ])
  })
})
