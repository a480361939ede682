import { describe, expect, it } from 'vitest'
import { mapProfile } from './map-profile.ts'
import { nearMisses } from './near-miss.ts'

const mailOid = 'urn:oid:0.9.2342.19200300.100.1.3'
const cnOid = 'urn:oid:2.5.4.3'

describe('data-mapping near misses', () => {
  it('finds an attribute whose FriendlyName is the mapped name', () => {
    expect(nearMisses('mail', [mailOid, cnOid], { [mailOid]: 'mail', [cnOid]: 'cn' })).toEqual([
      mailOid,
    ])
  })

  it('finds an attribute whose last URI or URN segment is the mapped name, either way round', () => {
    const claim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'
    expect(nearMisses('emailAddress', [claim, 'name'])).toEqual([claim])
    expect(nearMisses(claim, ['emailaddress', 'name'])).toEqual(['emailaddress'])
    expect(nearMisses('givenName', ['urn:mace:dir:attribute-def:givenName'])).toEqual([
      'urn:mace:dir:attribute-def:givenName',
    ])
    expect(nearMisses('Email', ['email'])).toEqual(['email'])
  })

  it('reads only the FriendlyNames given (a claim named __proto__ is just a name)', () => {
    expect(nearMisses('mail', ['__proto__', 'constructor'])).toEqual([])
    expect(nearMisses('__proto__', ['x'], JSON.parse('{"x":"__proto__"}'))).toEqual(['x'])
  })

  it('never matches on OID arcs, on the exact name, or on unrelated names', () => {
    expect(nearMisses(mailOid, [cnOid, 'urn:oid:1.3'])).toEqual([])
    expect(nearMisses('mail', ['mail'])).toEqual([])
    expect(nearMisses('mail', ['email', 'mailbox', 'urn:x:mails'])).toEqual([])
  })

  it('rides on each missing mapping, for the diagnostics row and the required refusal', () => {
    const outcome = mapProfile(
      [
        { attribute: 'mail', field: 'email', required: true },
        { attribute: 'name', field: 'name', required: false },
      ],
      { [mailOid]: ['jdoe@example.com'], [cnOid]: ['J Doe'] },
      { [mailOid]: 'mail', [cnOid]: 'cn' },
    )
    expect(outcome.missing).toEqual([
      { attribute: 'mail', field: 'email', required: true, nearMisses: [mailOid] },
      { attribute: 'name', field: 'name', required: false, nearMisses: [] },
    ])
  })
})
