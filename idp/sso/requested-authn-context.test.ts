import { describe, expect, it } from 'vitest'
import { SsoError } from '../../core/errors/index.ts'
import { parseXml } from '../../core/xml/index.ts'
import { readAuthnRequest } from './authn-request.ts'

const request = (inner: string) =>
  parseXml(
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2030-01-01T12:00:00Z"><saml:Issuer>https://sp.example</saml:Issuer>${inner}</samlp:AuthnRequest>`,
  )
const mfa = 'https://refeds.org/profile/mfa'
const ppt = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'

describe('RequestedAuthnContext (saml-core §3.3.2.2.1)', () => {
  it('reads the classes and Comparison, exact by default', () => {
    const exact = readAuthnRequest(
      request(
        `<samlp:RequestedAuthnContext><saml:AuthnContextClassRef>${mfa}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`,
      ),
    )
    expect(exact.requestedAuthnContext).toEqual({ classRefs: [mfa], comparison: 'exact' })
    const minimum = readAuthnRequest(
      request(
        `<samlp:RequestedAuthnContext Comparison="minimum"><saml:AuthnContextClassRef>${ppt}</saml:AuthnContextClassRef><saml:AuthnContextClassRef>${mfa}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`,
      ),
    )
    expect(minimum.requestedAuthnContext).toEqual({ classRefs: [ppt, mfa], comparison: 'minimum' })
  })

  it('is absent without the element; a declaration reference names no class', () => {
    expect(readAuthnRequest(request('')).requestedAuthnContext).toBeUndefined()
    const byDecl = readAuthnRequest(
      request(
        '<samlp:RequestedAuthnContext><saml:AuthnContextDeclRef>urn:x</saml:AuthnContextDeclRef></samlp:RequestedAuthnContext>',
      ),
    )
    expect(byDecl.requestedAuthnContext).toEqual({ classRefs: [], comparison: 'exact' })
  })

  it('refuses an unknown Comparison with SAML_REQUEST_INVALID', () => {
    const odd = request(
      `<samlp:RequestedAuthnContext Comparison="strongest"><saml:AuthnContextClassRef>${mfa}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`,
    )
    expect(() => readAuthnRequest(odd)).toThrow(SsoError)
    try {
      readAuthnRequest(odd)
    } catch (error) {
      expect((error as SsoError).code).toBe('SAML_REQUEST_INVALID')
    }
  })
})
