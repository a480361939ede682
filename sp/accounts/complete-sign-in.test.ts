import { describe, expect, it } from 'vitest'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import {
  apiSession,
  errorCode,
  mappingsFor,
  protocols,
  queueIdpLogin,
  signIn,
  signOut,
} from '../../tests/fixtures/visitor.ts'
import type { SpProtocol } from '../options.ts'

function pair(protocol: SpProtocol, requireUsername = false) {
  return createInProcessPair({
    protocol,
    sp: { campaign: { mappings: mappingsFor(protocol), accounts: { requireUsername } } },
  })
}

// The built-in users carry no username: SAML and OIDC send none. inSided JWT always sends one
// (the name, when the user has no username attribute), so JWT never asks.
describe.each(['saml', 'oidc'] as const)('requireUsername over %s', (protocol) => {
  it('asks once at the first sign-on, refuses invalid and taken names, then returns to return_url', async () => {
    const { agent: newAgent, sp } = await pair(protocol, true)
    const bob = newAgent()
    const bobPrompt = await signIn(bob, 'bob')
    expect(bobPrompt.url).toBe(`${spUrl}/account/username`)
    await bob.submit(bobPrompt, '#username-form', { username: 'Bobby' })
    expect((await apiSession(bob)).contact?.username).toBe('Bobby')

    const agent = newAgent()
    const prompt = await signIn(agent, 'alice', { returnUrl: '/topics/new?forum=7' })
    expect(prompt.url).toBe(`${spUrl}/account/username`)
    expect(prompt.document.querySelector('#username-form input[name="username"]')).not.toBeNull()
    // Nothing is created until the visitor answers.
    expect(await apiSession(agent)).toEqual({ signedIn: false })
    expect(sp.contacts.findByExternalId('alice')).toBeUndefined()

    const invalid = await agent.submit(prompt, '#username-form', { username: 'a b' })
    expect(invalid.status).toBe(400)
    expect(errorCode(invalid)).toBe('SP_ACCOUNT_USERNAME_INVALID')
    const taken = await agent.submit(invalid, '#username-form', { username: 'bobby' })
    expect(taken.status).toBe(400)
    expect(errorCode(taken)).toBe('SP_ACCOUNT_USERNAME_TAKEN')
    expect(await apiSession(agent)).toEqual({ signedIn: false })

    await agent.submit(taken, '#username-form', { username: 'alice_a' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/topics/new?forum=7`)
    expect((await apiSession(agent)).contact).toMatchObject({
      externalId: 'alice',
      username: 'alice_a',
      email: 'alice@example.com',
    })
    // The question is answered: the prompt is gone.
    const again = await agent.navigate(`${spUrl}/account/username`)
    expect(errorCode(again)).toBe('SP_SIGN_IN_EXPIRED')

    // The second sign-on does not ask again.
    await signOut(agent)
    expect((await apiSession(agent)).signedIn).toBe(false)
    const seen = agent.history.length
    await signIn(agent, 'alice', { returnUrl: '/later' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/later`)
    expect(agent.history.slice(seen).map((entry) => entry.url)).not.toContain(
      `${spUrl}/account/username`,
    )
    expect((await apiSession(agent)).contact?.username).toBe('alice_a')
  })

  it('a prompt left unanswered for 10 minutes expires (SP_SIGN_IN_EXPIRED); no session, no contact', async () => {
    const { agent: newAgent, sp, clock } = await pair(protocol, true)
    const agent = newAgent()
    const prompt = await signIn(agent, 'alice')
    expect(prompt.url).toBe(`${spUrl}/account/username`)
    clock.advance('10m')
    const late = await agent.submit(prompt, '#username-form', { username: 'alice_a' })
    expect(late.status).toBe(400)
    expect(errorCode(late)).toBe('SP_SIGN_IN_EXPIRED')
    expect(await apiSession(agent)).toEqual({ signedIn: false })
    expect(sp.contacts.findByExternalId('alice')).toBeUndefined()
  })

  it('answers just before 10 minutes are up', async () => {
    const { agent: newAgent, clock } = await pair(protocol, true)
    const agent = newAgent()
    const prompt = await signIn(agent, 'alice')
    clock.advance(10 * 60_000 - 1)
    await agent.submit(prompt, '#username-form', { username: 'alice_a' })
    expect((await apiSession(agent)).contact?.username).toBe('alice_a')
  })
})

describe('requireUsername when the IdP sends a username', () => {
  it('JWT: the token’s username is taken and nothing is asked', async () => {
    const { agent: newAgent } = await pair('jwt', true)
    const agent = newAgent()
    await signIn(agent, 'alice', { returnUrl: '/here' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/here`)
    expect(agent.history.some((entry) => entry.url.endsWith('/account/username'))).toBe(false)
    expect((await apiSession(agent)).contact?.username).toBe('Alice Andersen')
  })

  it('without a waiting sign-in, /account/username answers SP_SIGN_IN_EXPIRED', async () => {
    const { agent: newAgent } = await pair('saml', true)
    const page = await newAgent().navigate(`${spUrl}/account/username`)
    expect(page.status).toBe(400)
    expect(errorCode(page)).toBe('SP_SIGN_IN_EXPIRED')
  })
})

describe.each(protocols)('one person per browser over %s', (protocol) => {
  it('signed in as alice, bob’s sign-in is refused (SP_ALREADY_SIGNED_IN); after logout bob signs in', async () => {
    const { agent: newAgent, idp, sp } = await pair(protocol)
    const agent = newAgent()
    await signIn(agent, 'alice')
    expect((await apiSession(agent)).subject?.nameId).toBe('alice')

    // alice again while signed in as alice is fine.
    await signIn(agent, 'alice', { returnUrl: '/again' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/again`)
    expect((await apiSession(agent)).subject?.nameId).toBe('alice')

    await queueIdpLogin(idp, 'bob')
    const refused = await signIn(agent, 'bob', { returnUrl: '/bob' })
    expect(refused.status).toBe(403)
    expect(errorCode(refused)).toBe('SP_ALREADY_SIGNED_IN')
    expect((await apiSession(agent)).subject?.nameId).toBe('alice')
    expect(sp.contacts.findByExternalId('bob')).toBeUndefined()

    await signOut(agent)
    expect((await apiSession(agent)).signedIn).toBe(false)
    await signIn(agent, 'bob', { returnUrl: '/bob' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/bob`)
    expect(await apiSession(agent)).toMatchObject({
      signedIn: true,
      subject: { nameId: 'bob' },
      contact: { externalId: 'bob', email: 'bob@example.com' },
    })
  })
})
