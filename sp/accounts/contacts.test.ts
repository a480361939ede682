import { describe, expect, it } from 'vitest'
import { defaultUsers } from '../../idp/users/default-users.ts'
import type { IdpUserInput } from '../../idp/users/user.ts'
import { createInProcessPair, idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import {
  apiSession,
  errorCode,
  mappingsFor,
  protocols,
  putIdpUser,
  signIn,
} from '../../tests/fixtures/visitor.ts'
import type { SpProtocol } from '../options.ts'

/** A visitor in inSided's user data format: id, email, username, customRoles, avatar. */
const erin: IdpUserInput = {
  id: 'erin',
  name: 'Erin Example',
  email: 'erin@example.com',
  membershipLevel: 'gold',
  attributes: {
    username: 'erin',
    avatar: 'https://img.example/erin-1.png',
    customRoles: ['beta-tester', 'moderator'],
    customerNumber: 'C-2001',
  },
}

function pair(protocol: SpProtocol) {
  return createInProcessPair({
    protocol,
    users: [...defaultUsers, erin],
    sp: { campaign: { mappings: mappingsFor(protocol) } },
  })
}

function contactCount(db: { prepare(sql: string): { get(): unknown } }): number {
  return (db.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number }).n
}

describe.each(protocols)('accounts over %s (inSided rules)', (protocol) => {
  it('the first sign-on creates the contact; later ones sync email, username, avatar and roles', async () => {
    const { agent: newAgent, idp, sp, clock } = await pair(protocol)
    const agent = newAgent()
    expect(contactCount(sp.database)).toBe(0)
    await signIn(agent, 'erin', { returnUrl: '/account?tab=profile' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/account?tab=profile`)

    const first = await apiSession(agent)
    expect(first.contact).toMatchObject({
      externalId: 'erin',
      name: 'Erin Example',
      email: 'erin@example.com',
      username: 'erin',
      avatar: 'https://img.example/erin-1.png',
      roles: ['beta-tester', 'moderator'],
      customVariables: { customerNumber: 'C-2001', membershipLevel: 'gold' },
    })
    expect(first.contact?.issuer).toContain(idpUrl)
    expect(contactCount(sp.database)).toBe(1)

    clock.advance('1h')
    await putIdpUser(idp, {
      ...erin,
      email: 'erin@new.example',
      attributes: {
        ...erin.attributes,
        username: 'erin.e',
        avatar: 'https://img.example/erin-2.png',
        customRoles: ['admin'],
      },
    })
    // Signed in as erin already, and at the IdP: the sign-in needs no form and is allowed.
    await signIn(agent, 'erin', { returnUrl: '/again' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/again`)

    const second = await apiSession(agent)
    expect(second.contact).toMatchObject({
      id: first.contact?.id,
      externalId: 'erin',
      email: 'erin@new.example',
      username: 'erin.e',
      avatar: 'https://img.example/erin-2.png',
      // Replaced as a whole, never merged with the roles the account had.
      roles: ['admin'],
      createdAt: first.contact?.createdAt,
      updatedAt: (first.contact?.updatedAt ?? 0) + 3_600_000,
    })
    expect(contactCount(sp.database)).toBe(1)
  })

  it('a later sign-on that brings nothing new moves only updatedAt, as stored and as returned', async () => {
    const { agent: newAgent, sp, clock } = await pair(protocol)
    const agent = newAgent()
    await signIn(agent, 'erin')
    const first = sp.contacts.findByExternalId('erin')
    expect(first?.roles).toEqual(['beta-tester', 'moderator'])

    clock.advance('1h')
    await signIn(agent, 'erin', { returnUrl: '/again' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/again`)
    const expected = { ...first, updatedAt: (first?.updatedAt ?? 0) + 3_600_000 }
    expect(sp.contacts.findByExternalId('erin')).toEqual(expected)
    expect((await apiSession(agent)).contact).toEqual(expected)
  })

  it('an email owned by another account is refused (SP_ACCOUNT_EMAIL_CONFLICT): no session, no second contact', async () => {
    const { agent: newAgent, idp, sp } = await pair(protocol)
    const alice = newAgent()
    await signIn(alice, 'alice')
    const before = sp.contacts.findByExternalId('alice')
    expect(before?.email).toBe('alice@example.com')

    // Another person at the IdP with alice's address, written differently.
    await putIdpUser(idp, { ...erin, email: 'Alice@Example.com' })
    const other = newAgent()
    const page = await signIn(other, 'erin', { returnUrl: '/account' })
    expect(page.status).toBe(403)
    expect(errorCode(page)).toBe('SP_ACCOUNT_EMAIL_CONFLICT')
    expect(page.url).not.toBe(`${spUrl}/account`)
    expect(await apiSession(other)).toEqual({ signedIn: false })
    expect(contactCount(sp.database)).toBe(1)
    expect(sp.contacts.findByExternalId('erin')).toBeUndefined()
    expect(sp.contacts.findByExternalId('alice')).toEqual(before)
  })

  it('a later sign-on bringing another account’s email is refused and leaves both accounts as they were', async () => {
    const { agent: newAgent, idp, sp } = await pair(protocol)
    await signIn(newAgent(), 'alice')
    const bobAgent = newAgent()
    await signIn(bobAgent, 'bob')
    const alice = sp.contacts.findByExternalId('alice')
    const bob = sp.contacts.findByExternalId('bob')

    const bobUser = defaultUsers.find((user) => user.id === 'bob') as IdpUserInput
    await putIdpUser(idp, { ...bobUser, email: 'alice@example.com' })
    const page = await signIn(bobAgent, 'bob')
    expect(page.status).toBe(403)
    expect(errorCode(page)).toBe('SP_ACCOUNT_EMAIL_CONFLICT')
    expect(sp.contacts.findByExternalId('alice')).toEqual(alice)
    expect(sp.contacts.findByExternalId('bob')).toEqual(bob)
    expect(contactCount(sp.database)).toBe(2)
  })
})
