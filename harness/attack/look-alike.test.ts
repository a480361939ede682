import { describe, expect, it } from 'vitest'
import { identitySeen } from './identity.ts'
import { decodeEscapes, foldLookAlike, lookAlikeSeen, signedSubject } from './look-alike.ts'

const page = (nameId: string) =>
  `<p id="status">Signed in as <code id="name-id">${nameId}</code></p><table><tr><th>uid</th><td>alice</td></tr></table>`

describe('foldLookAlike', () => {
  it('gives the identifier each look-alike variant imitates', () => {
    for (const value of [
      'alice ',
      '\nalice',
      'alice\u00a0',
      'alice\u3000',
      '\ufeffalice',
      'a\u200blice',
      'alice\u200e',
      'alice\u3164',
    ]) {
      expect([value, foldLookAlike(value)]).toEqual([value, 'alice'])
    }
  })
})

describe('lookAlikeSeen', () => {
  it('finds the exact look-alike raw, HTML-escaped or JSON-escaped: kept apart', () => {
    for (const shown of [
      page('alice\u3000'),
      page('alice&#12288;'),
      page('alice&#x3000;'),
      page('alice&#X3000;'),
      '{"authenticated":true,"nameId":{"value":"alice\\u3000"},"attributes":{"uid":["alice"]}}',
    ]) {
      expect([shown, lookAlikeSeen('alice\u3000', shown).verdict]).toEqual([shown, 'kept'])
    }
    expect(lookAlikeSeen('alice\u00a0', page('alice&nbsp;')).verdict).toBe('kept')
    expect(lookAlikeSeen('c\u200barol', '{"nameId":"c\\u200Barol"}').verdict).toBe('kept')
    expect(lookAlikeSeen('alice ', '{"nameId":"alice "}').verdict).toBe('kept')
    expect(lookAlikeSeen('\nalice', page('\nalice')).verdict).toBe('kept')
    expect(lookAlikeSeen('alice\u3000', page('alice\u3000')).text).toBe(
      'the final page shows the signed look-alike "alice\\u3000" as it came: a distinct identifier, not alice',
    )
  })

  it('calls the fold when only the imitated identifier shows', () => {
    expect(lookAlikeSeen('c\u200barol', page('carol'))).toEqual({
      verdict: 'folded',
      folded: 'carol',
      text: 'the final page shows carol and never the signed look-alike "c\\u200barol": the SP folded it into carol\'s identity',
    })
    expect(lookAlikeSeen('alice\u3000', page('alice')).verdict).toBe('folded')
    // Plain white space after a word is not the look-alike: "alice (…)" is the fold.
    expect(lookAlikeSeen('alice ', 'Signed in as alice (alice@example.com)').verdict).toBe('folded')
    expect(lookAlikeSeen('\nalice', '<p>Welcome,\nalice</p>').verdict).toBe('folded')
  })

  it('calls it unseen when neither shows: a scoped attribute or a longer name is not the fold', () => {
    expect(lookAlikeSeen('c\u200barol', page('_3f1c9a')).verdict).toBe('unseen')
    expect(lookAlikeSeen('carol\u3000', 'eppn=carol@127.0.0.1 user=carolyn').verdict).toBe('unseen')
  })
})

describe('identitySeen with a look-alike', () => {
  const faults = [
    { kind: 'saml-nameid-look-alike', variant: 'zero-width-space', of: 'carol' },
  ] as const
  const user = { id: 'alice', email: 'alice@example.com' }

  it('is a takeover when the SP folded it, and not when it kept it apart or showed neither', () => {
    const folded = identitySeen({
      faults: [...faults],
      user,
      page: page('carol'),
      signed: 'c\u200barol',
    })
    expect(folded).toMatchObject({ takeover: true, shown: ['carol'], lookAlike: 'folded' })
    const kept = identitySeen({
      faults: [...faults],
      user,
      page: page('c&#x200b;arol'),
      signed: 'c\u200barol',
    })
    expect(kept).toMatchObject({ takeover: false, genuine: false, lookAlike: 'kept' })
    const unseen = identitySeen({
      faults: [...faults],
      user,
      page: page('_x1'),
      signed: 'c\u200barol',
    })
    expect(unseen).toMatchObject({ takeover: false, genuine: false, lookAlike: 'unseen' })
    expect(unseen.text).toMatch(/^the final page shows alice; .*check by hand$/)
    // Without the signed value (not delivered through the browser) it reads as before.
    expect(identitySeen({ faults: [...faults], user, page: page('carol') }).lookAlike).toBe(
      undefined,
    )
  })
})

describe('signedSubject', () => {
  it('reads the NameID of a posted Response and the sub of a token in the URL', () => {
    const xml =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Assertion><saml:Subject><saml:NameID>alice&#x3000;</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>'
    const form = { SAMLResponse: Buffer.from(xml).toString('base64') }
    expect(signedSubject({ method: 'POST', url: 'http://127.0.0.1:1/acs', form })).toBe(
      'alice\u3000',
    )
    const payload = Buffer.from(JSON.stringify({ sub: '\ufeffalice' })).toString('base64url')
    const token = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2ln`
    expect(signedSubject({ method: 'GET', url: `http://127.0.0.1:1/cb?token=${token}` })).toBe(
      '\ufeffalice',
    )
    expect(
      signedSubject({
        method: 'POST',
        url: 'http://127.0.0.1:1/acs',
        form: { SAMLResponse: '!!' },
      }),
    ).toBe(undefined)
    expect(signedSubject(undefined)).toBe(undefined)
  })

  it('decodes character references and JSON escapes only', () => {
    expect(decodeEscapes('a&amp;b &#65;&#x42; \\u0043 \\/ &unknown;')).toBe('a&b AB C / &unknown;')
  })
})
