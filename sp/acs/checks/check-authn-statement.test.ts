import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkAuthnStatement } from './check-authn-statement.ts'

const saml = 'urn:oasis:names:tc:SAML:2.0:assertion'
const statementOf = (ctx: { assertion?: Element }) =>
  ctx.assertion?.getElementsByTagNameNS(saml, 'AuthnStatement').item(0) as Element

describe('checkAuthnStatement', () => {
  it('passes an AuthnStatement and notes its SessionIndex', async () => {
    const ctx = await acsContextFor(checkAuthnStatement)
    checkAuthnStatement(ctx)
    expect(ctx.sessionIndex).toBe('_session1')
  })

  it('refuses an Assertion without an AuthnStatement, or one without AuthnInstant', async () => {
    const none = await acsContextFor(checkAuthnStatement)
    none.assertion?.removeChild(statementOf(none))
    expect(refusalOf(() => checkAuthnStatement(none))).toEqual({
      code: 'SAML_AUTHN_STATEMENT_MISSING',
      check: 'AuthnStatement',
    })
    const noInstant = await acsContextFor(checkAuthnStatement)
    statementOf(noInstant).removeAttribute('AuthnInstant')
    expect(refusalOf(() => checkAuthnStatement(noInstant))).toEqual({
      code: 'SAML_AUTHN_STATEMENT_MISSING',
      check: 'AuthnInstant',
    })
  })

  it('refuses a session past SessionNotOnOrAfter (with skew) as SAML_EXPIRED', async () => {
    const ctx = await acsContextFor(checkAuthnStatement)
    statementOf(ctx).setAttribute('SessionNotOnOrAfter', '2030-06-01T12:00:00Z')
    expect(refusalOf(() => checkAuthnStatement(ctx))).toEqual({
      code: 'SAML_EXPIRED',
      check: 'SessionNotOnOrAfter',
    })
    statementOf(ctx).setAttribute('SessionNotOnOrAfter', '2030-06-01T12:00:01Z')
    expect(() => checkAuthnStatement(ctx)).not.toThrow()
  })
})
