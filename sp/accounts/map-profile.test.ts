import { describe, expect, it } from 'vitest'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import {
  apiSession,
  errorCode,
  mappingsFor,
  protocols,
  signIn,
} from '../../tests/fixtures/visitor.ts'
import type { Mapping } from '../campaigns/settings.ts'
import type { SpProtocol } from '../options.ts'
import { fieldValue, mapProfile } from './map-profile.ts'

function pair(protocol: SpProtocol, mappings: Mapping[] = mappingsFor(protocol)) {
  return createInProcessPair({ protocol, sp: { campaign: { mappings } } })
}

function contactCount(db: { prepare(sql: string): { get(): unknown } }): number {
  return (db.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number }).n
}

describe.each(protocols)('data mapping over %s', (protocol) => {
  it('a mapped attribute the IdP does not send leaves its field empty and shows in diagnostics', async () => {
    const { agent: newAgent } = await pair(protocol)
    const agent = newAgent()
    // dave has no email, phone, company or membership level.
    await signIn(agent, 'dave', { returnUrl: '/' })
    const session = await apiSession(agent)
    expect(session.signedIn).toBe(true)
    expect(session.contact).toMatchObject({ externalId: 'dave', name: 'Dave Doe' })
    expect(session.contact).not.toHaveProperty('email')
    expect(session.contact).not.toHaveProperty('company')
    expect(session.contact?.customVariables).toEqual({})
    expect(session.missingAttributes).toEqual(
      expect.arrayContaining([
        { attribute: 'email', field: 'email' },
        { attribute: 'company', field: 'company' },
        { attribute: 'membershipLevel', field: 'variable:membershipLevel' },
      ]),
    )
    expect(session.missingAttributes).not.toContainEqual({ attribute: 'name', field: 'name' })

    const home = await agent.navigate(`${spUrl}/`)
    const diagnostics = home.document.querySelector('#missing-attributes')?.text ?? ''
    expect(diagnostics).toContain('email → email')
    expect(diagnostics).toContain('membershipLevel → variable:membershipLevel')
  })

  it('a required mapping the IdP does not send refuses the sign-in (SP_REQUIRED_ATTRIBUTE_MISSING)', async () => {
    const mappings = mappingsFor(protocol).map((mapping) =>
      mapping.field === 'email' ? { ...mapping, required: true } : mapping,
    )
    const { agent: newAgent, sp } = await pair(protocol, mappings)
    const agent = newAgent()
    const page = await signIn(agent, 'dave', { returnUrl: '/account' })
    expect(page.status).toBe(403)
    expect(errorCode(page)).toBe('SP_REQUIRED_ATTRIBUTE_MISSING')
    expect(page.html).toContain('email')
    expect(await apiSession(agent)).toEqual({ signedIn: false })
    expect(contactCount(sp.database)).toBe(0)

    // Someone who has the attribute signs in under the same campaign.
    const alice = newAgent()
    await signIn(alice, 'alice')
    expect((await apiSession(alice)).contact?.email).toBe('alice@example.com')
  })

  it('custom pre-chat fields (custom:x) and custom variables (variable:x) land on the contact', async () => {
    const { agent: newAgent } = await pair(protocol, [
      { attribute: 'name', field: 'name', required: false },
      { attribute: 'company', field: 'custom:organisation', required: false },
      { attribute: 'customerNumber', field: 'variable:crmId', required: false },
      { attribute: 'membershipLevel', field: 'variable:membershipLevel', required: false },
    ])
    const agent = newAgent()
    await signIn(agent, 'alice')
    const { contact, missingAttributes } = await apiSession(agent)
    expect(contact).toMatchObject({
      name: 'Alice Andersen',
      customFields: { organisation: 'Example Corp' },
      customVariables: { crmId: 'C-1001', membershipLevel: 'gold' },
    })
    // Not mapped, so not kept, though the IdP sent it.
    expect(contact).not.toHaveProperty('company')
    expect(contact).not.toHaveProperty('email')
    expect(missingAttributes).toEqual([])
  })
})

describe('mapProfile', () => {
  const mappings: Mapping[] = [
    { attribute: 'mail', field: 'email', required: false },
    { attribute: 'groups', field: 'roles', required: true },
    { attribute: 'tier', field: 'variable:tier', required: false },
    { attribute: 'team', field: 'custom:team', required: false },
  ]

  it('takes the first value, keeps every role, and trims', () => {
    const { profile, missing } = mapProfile(mappings, {
      mail: [' a@example.com ', 'b@example.com'],
      groups: ['x', ' y '],
      tier: ['gold'],
      team: ['blue'],
    })
    expect(profile).toEqual({
      email: 'a@example.com',
      roles: ['x', 'y'],
      customFields: { team: 'blue' },
      customVariables: { tier: 'gold' },
    })
    expect(missing).toEqual([])
    expect(fieldValue(profile, 'roles')).toBe('x,y')
    expect(fieldValue(profile, 'variable:tier')).toBe('gold')
    expect(fieldValue(profile, 'custom:team')).toBe('blue')
  })

  it('counts absent, empty and blank-only attributes as missing, with their required flag', () => {
    const { profile, missing } = mapProfile(mappings, { mail: [], groups: ['', '  '], tier: [] })
    expect(profile).toEqual({ customFields: {}, customVariables: {} })
    expect(missing).toEqual([
      { attribute: 'mail', field: 'email', required: false, nearMisses: [] },
      { attribute: 'groups', field: 'roles', required: true, nearMisses: [] },
      { attribute: 'tier', field: 'variable:tier', required: false, nearMisses: [] },
      { attribute: 'team', field: 'custom:team', required: false, nearMisses: [] },
    ])
  })

  it('works out the near misses of a missing attribute only when they are read, once', () => {
    let looks = 0
    const sent = new Proxy<Record<string, string[]>>(
      { 'urn:example:mail': ['a@example.com'], Tier: ['gold'] },
      {
        ownKeys(target) {
          looks++
          return Reflect.ownKeys(target)
        },
      },
    )
    const { missing } = mapProfile(mappings, sent)
    expect(looks).toBe(0)
    const [mail, , tier] = missing
    expect(mail?.nearMisses).toEqual(['urn:example:mail'])
    expect(tier?.nearMisses).toEqual(['Tier'])
    expect(looks).toBe(2)
    expect(mail?.nearMisses).toBe(mail?.nearMisses)
    expect(looks).toBe(2)
  })

  it('reads only the attributes’ own names, never inherited ones', () => {
    const { missing } = mapProfile(
      [{ attribute: 'constructor', field: 'name', required: true }],
      {},
    )
    expect(missing).toHaveLength(1)
  })
})
