import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkAssertionIssuer, checkResponseIssuer } from './check-issuer.ts'

const saml = 'urn:oasis:names:tc:SAML:2.0:assertion'
const issuerOf = (parent: Element) => parent.getElementsByTagNameNS(saml, 'Issuer').item(0)

describe('checkResponseIssuer', () => {
  it('passes the configured IdP, and a Response without an Issuer', async () => {
    const ctx = await acsContextFor(checkResponseIssuer)
    expect(() => checkResponseIssuer(ctx)).not.toThrow()
    const issuer = issuerOf(ctx.response)
    issuer?.parentNode?.removeChild(issuer)
    expect(() => checkResponseIssuer(ctx)).not.toThrow()
  })

  it('refuses another IdP as SAML_ISSUER_MISMATCH', async () => {
    const ctx = await acsContextFor(checkResponseIssuer)
    ctx.settings.idpEntityId = 'https://other-idp.example/metadata'
    expect(refusalOf(() => checkResponseIssuer(ctx))).toEqual({
      code: 'SAML_ISSUER_MISMATCH',
      check: 'Issuer (Response)',
    })
  })
})

describe('checkAssertionIssuer', () => {
  it('passes the configured IdP', async () => {
    const ctx = await acsContextFor(checkAssertionIssuer)
    expect(() => checkAssertionIssuer(ctx)).not.toThrow()
  })

  it('refuses an Assertion of another IdP, or with no Issuer, as SAML_ISSUER_MISMATCH', async () => {
    const other = await acsContextFor(checkAssertionIssuer, {
      edit: (content) => {
        content.issuer = 'https://other-idp.example/metadata'
      },
      settings: { idpEntityId: 'https://other-idp.example/metadata' },
    })
    other.settings.idpEntityId = 'https://idp.example/metadata'
    expect(refusalOf(() => checkAssertionIssuer(other))).toEqual({
      code: 'SAML_ISSUER_MISMATCH',
      check: 'Issuer (Assertion)',
    })
    const none = await acsContextFor(checkAssertionIssuer)
    const issuer = issuerOf(none.assertion as Element)
    issuer?.parentNode?.removeChild(issuer)
    expect(refusalOf(() => checkAssertionIssuer(none))).toEqual({
      code: 'SAML_ISSUER_MISMATCH',
      check: 'Issuer (Assertion)',
    })
  })
})
