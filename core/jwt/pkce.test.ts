import { describe, expect, it } from 'vitest'
import { tokenHash } from './at-hash.ts'
import { isPkceValue, pkceChallenge } from './pkce.ts'

describe('PKCE and token hashes', () => {
  it('computes the RFC 7636 appendix B example', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
    expect(pkceChallenge(verifier, 'S256')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
    expect(pkceChallenge(verifier, 'plain')).toBe(verifier)
    expect(isPkceValue(verifier)).toBe(true)
    expect(isPkceValue('short')).toBe(false)
    expect(isPkceValue(`${verifier}!`)).toBe(false)
    expect(isPkceValue('a'.repeat(129))).toBe(false)
  })

  it('computes at_hash as in OIDC Core A.3', () => {
    // The access token and at_hash of the example in OpenID Connect Core appendix A.3 (RS256).
    expect(tokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe(
      '77QmUPtjPfzWtF2AnpK9RQ',
    )
  })
})
