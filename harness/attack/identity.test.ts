import { describe, expect, it } from 'vitest'
import { identitySeen } from './identity.ts'

const alice = { id: 'alice', email: 'alice@example.com' }

describe('identitySeen', () => {
  it('flags the forged identity of a wrapped assertion', () => {
    const seen = identitySeen({
      faults: [{ kind: 'saml-xsw', variant: 4 }],
      user: alice,
      page: '<h1>Welcome, mallory</h1>',
    })
    expect(seen).toEqual({
      shown: ['mallory'],
      takeover: true,
      genuine: false,
      text: 'the final page shows the forged identity mallory',
    })
  })

  it('tells the user plainly signed in from a takeover', () => {
    const seen = identitySeen({
      faults: [{ kind: 'saml-untrusted-key' }],
      user: alice,
      page: 'Signed in as alice (alice@example.com)',
    })
    expect(seen.takeover).toBe(false)
    expect(seen.genuine).toBe(true)
    expect(seen.shown).toEqual(['alice', 'alice@example.com'])
    // Shibboleth's scoped eppn names the user too; a wrapped mallory it dropped is not shown.
    const scoped = identitySeen({
      faults: [{ kind: 'saml-xsw', variant: 3 }],
      user: alice,
      page: 'eppn=alice@127.0.0.1\nREMOTE_USER=alice@127.0.0.1',
    })
    expect(scoped).toMatchObject({ shown: ['alice'], takeover: false, genuine: true })
  })

  it('flags the longer NameID of an injection; the bare user is left to check by hand', () => {
    const injection = [{ kind: 'saml-nameid-injection', node: 'processing-instruction' } as const]
    expect(
      identitySeen({ faults: injection, user: alice, page: 'REMOTE_USER=alice.evil.example' }),
    ).toMatchObject({ shown: ['alice.evil.example'], takeover: true })
    const comment = [{ kind: 'saml-nameid-injection', node: 'comment' } as const]
    // Read whole, the commented NameID is the signed value: no takeover.
    expect(
      identitySeen({ faults: comment, user: alice, page: 'welcome back, alice.evil.example' }),
    ).toEqual({
      shown: ['alice.evil.example'],
      takeover: false,
      genuine: false,
      text: 'the final page shows alice.evil.example',
    })
    expect(identitySeen({ faults: comment, user: alice, page: 'REMOTE_USER=alice' })).toEqual({
      shown: ['alice'],
      takeover: false,
      genuine: false,
      text: 'the final page shows alice, not the signed alice.evil.example: check whether the SP cut it out of the NameID or read an attribute',
    })
  })

  it('sees no identity where the page names none, and no user inside a longer word', () => {
    expect(identitySeen({ faults: [], user: alice, page: 'welcome back' })).toMatchObject({
      shown: [],
      takeover: false,
      text: 'no identity visible on the final page',
    })
    expect(identitySeen({ faults: [], user: alice, page: 'malice, alice2' }).shown).toEqual([])
  })
})
