import { describe, expect, it } from 'vitest'
import { requestedAcr } from './requested-acr.ts'

const mfa = 'https://refeds.org/profile/mfa'

describe('requestedAcr', () => {
  it('reads acr_values as a voluntary request', () => {
    expect(requestedAcr(`${mfa} urn:x`, undefined)).toEqual({
      request: { classRefs: [mfa, 'urn:x'], comparison: 'exact' },
      binding: false,
    })
    expect(requestedAcr(undefined, undefined)).toBeUndefined()
    expect(requestedAcr(' ', undefined)).toBeUndefined()
  })

  it('an essential acr in claims binds, by value or values, before acr_values', () => {
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: [mfa] } } })
    expect(requestedAcr('urn:other', claims)).toEqual({
      request: { classRefs: [mfa], comparison: 'exact' },
      binding: true,
    })
    const one = JSON.stringify({ id_token: { acr: { essential: true, value: mfa } } })
    expect(requestedAcr(undefined, one)?.request.classRefs).toEqual([mfa])
  })

  it('a non-essential acr claim is no binding request', () => {
    const claims = JSON.stringify({ id_token: { acr: { values: [mfa] } } })
    expect(requestedAcr(undefined, claims)).toBeUndefined()
    expect(requestedAcr(mfa, claims)?.binding).toBe(false)
  })

  it('throws on a claims parameter that is not a JSON object', () => {
    expect(() => requestedAcr(undefined, '[1]')).toThrow(TypeError)
    expect(() => requestedAcr(undefined, '{nope')).toThrow()
  })
})
