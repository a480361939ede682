import { describe, expect, it } from 'vitest'
import { authnClasses } from '../../core/authn-context/classes.ts'
import { SsoError } from '../../core/errors/index.ts'
import { checkAuthnContext } from './check-authn-context.ts'

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
