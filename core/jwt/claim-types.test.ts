import { describe, expect, it } from 'vitest'
import { claimTypeError, mistypedClaim } from './claim-types.ts'

describe('registered claim types (RFC 7519 §4.1)', () => {
  it.each([
    [{ iss: 'https://idp', sub: 'alice', aud: 'sp', jti: 'x' }, undefined],
    [{ aud: ['sp', 'other'] }, undefined],
    [{}, undefined],
    [{ sub: 42 }, 'sub'],
    [{ iss: ['https://idp'] }, 'iss'],
    [{ jti: null }, 'jti'],
    [{ aud: { value: 'sp' } }, 'aud'],
    [{ aud: ['sp', 7] }, 'aud'],
  ])('%o → %s', (claims, claim) => {
    expect(mistypedClaim(claims)).toBe(claim)
  })

  it('names the claim and the type found, never the value', () => {
    const error = claimTypeError({ sub: 123456789 }, 'sub', 'token')
    expect(error.code).toBe('JWT_CLAIM_INVALID')
    expect(error.check).toBe('sub')
    expect(error.evidence).toEqual({
      claim: 'sub',
      reason: 'type',
      expected: 'a string',
      received: 'number',
    })
    expect(JSON.stringify(error.toFinding())).not.toContain('123456789')
  })
})
