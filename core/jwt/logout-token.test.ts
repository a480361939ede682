import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { backChannelLogoutEvent, checkLogoutTokenClaims } from './logout-token.ts'

const events = { [backChannelLogoutEvent]: {} }
const valid = { sub: 'alice', sid: 's1', jti: 'j1', events }

function codeOf(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  try {
    checkLogoutTokenClaims(header, claims)
    return 'accepted'
  } catch (error) {
    return error instanceof SsoError ? error.code : 'other'
  }
}

describe('checkLogoutTokenClaims (Back-Channel Logout §2.6)', () => {
  it('accepts a logout token typed logout+jwt, JWT, or not typed', () => {
    for (const typ of ['logout+jwt', 'JWT', undefined]) {
      expect(codeOf(typ === undefined ? {} : { typ }, valid)).toBe('accepted')
    }
  })

  it.each([
    ['an ID token or access token type', { typ: 'at+jwt' }, valid, 'LOGOUT_TOKEN_TYPE_INVALID'],
    ['no logout event', {}, { ...valid, events: {} }, 'LOGOUT_TOKEN_EVENTS_INVALID'],
    ['neither sub nor sid', {}, { jti: 'j1', events }, 'LOGOUT_TOKEN_SUBJECT_MISSING'],
    ['a nonce', {}, { ...valid, nonce: 'n' }, 'LOGOUT_TOKEN_NONCE_FORBIDDEN'],
  ])('refuses %s', (_, header, claims, code) => {
    expect(codeOf(header, claims)).toBe(code)
  })
})
