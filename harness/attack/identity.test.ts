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
    expect(seen.shown).toEqual(['alice', 'alice@example.com'])
  })

  it('flags the longer NameID of an injection, and the user cut out of it', () => {
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
      text: 'the final page shows alice.evil.example',
    })
    expect(identitySeen({ faults: comment, user: alice, page: 'REMOTE_USER=alice' })).toEqual({
      shown: ['alice'],
      takeover: true,
      text: 'the final page shows alice cut out of the signed alice.evil.example',
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
