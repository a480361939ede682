import { describe, expect, it } from 'vitest'
import { authnClasses } from '../../core/authn-context/classes.ts'
import { SsoError } from '../../core/errors/index.ts'
import { checkAuthnContext, tokenAuthnContext } from './check-authn-context.ts'

const mfa = { classRefs: [authnClasses.mfa], comparison: 'minimum' as const }

function codeOf(run: () => void): string | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    return error instanceof SsoError ? error.code : 'not an SsoError'
  }
}

describe('checkAuthnContext', () => {
  it('accepts a stated context that meets the requirement, and anything when none is required', () => {
    expect(codeOf(() => checkAuthnContext(mfa, authnClasses.mfa, 'acr'))).toBeUndefined()
    expect(codeOf(() => checkAuthnContext(undefined, undefined, 'acr'))).toBeUndefined()
  })

  it('refuses a weaker context and a missing one, whatever the SP asked for', () => {
    const weaker = () => checkAuthnContext(mfa, authnClasses.passwordProtectedTransport, 'acr')
    expect(codeOf(weaker)).toBe('SP_AUTHN_CONTEXT_INSUFFICIENT')
    expect(codeOf(() => checkAuthnContext(mfa, undefined, 'acr'))).toBe(
      'SP_AUTHN_CONTEXT_INSUFFICIENT',
    )
  })

  it('names what was stated and required as evidence', () => {
    try {
      checkAuthnContext(mfa, authnClasses.passwordProtectedTransport, 'AuthnContext')
      expect.unreachable()
    } catch (error) {
      expect((error as SsoError).check).toBe('AuthnContext')
      expect((error as SsoError).evidence).toEqual({
        stated: authnClasses.passwordProtectedTransport,
        required: authnClasses.mfa,
        comparison: 'minimum',
      })
    }
  })
})

describe('tokenAuthnContext: acr, else amr listing mfa', () => {
  const exactGold = { classRefs: ['urn:example:gold'], comparison: 'exact' as const }

  it('takes a ranked acr as the IdP stated it, whatever amr says', () => {
    const claims = { acr: authnClasses.passwordProtectedTransport, amr: ['pwd', 'otp', 'mfa'] }
    expect(tokenAuthnContext(claims, mfa)).toBe(authnClasses.passwordProtectedTransport)
    expect(tokenAuthnContext({ acr: authnClasses.mfa, amr: ['pwd'] }, mfa)).toBe(authnClasses.mfa)
  })

  it('reads amr mfa as REFEDS MFA where acr is absent, or unranked and not what is required', () => {
    expect(tokenAuthnContext({ amr: ['pwd', 'otp', 'mfa'] }, mfa)).toBe(authnClasses.mfa)
    expect(tokenAuthnContext({ amr: ['mfa'] }, undefined)).toBe(authnClasses.mfa)
    expect(tokenAuthnContext({ acr: '1', amr: ['mfa'] }, mfa)).toBe(authnClasses.mfa)
    expect(tokenAuthnContext({ acr: 'urn:example:gold', amr: ['mfa'] }, exactGold)).toBe(
      'urn:example:gold',
    )
    expect(tokenAuthnContext({ acr: '1', amr: ['mfa'] }, undefined)).toBe('1')
  })

  it('finds no MFA in an amr without mfa, nor in one that is not a list', () => {
    expect(tokenAuthnContext({ amr: ['pwd'] }, mfa)).toBeUndefined()
    expect(tokenAuthnContext({ amr: 'mfa' }, mfa)).toBeUndefined()
    expect(tokenAuthnContext({ acr: '1', amr: ['pwd', 'otp'] }, mfa)).toBe('1')
    expect(
      codeOf(() => checkAuthnContext(mfa, tokenAuthnContext({ amr: ['pwd'] }, mfa), 'acr')),
    ).toBe('SP_AUTHN_CONTEXT_INSUFFICIENT')
  })
})
