import { describe, expect, it } from 'vitest'
import { errorTitle } from './error-page.tsx'

describe('errorTitle', () => {
  it('titles what the visitor was doing: a missing page, a logout on either side, else a sign-in', () => {
    expect(errorTitle('/no-such-page', 'NOT_FOUND')).toBe('Page not found')
    expect(errorTitle('/diagnostics/x', 'SP_DIAGNOSTICS_NOT_FOUND')).toBe('Page not found')
    expect(errorTitle('/agent/conversations/9', 'SP_CONVERSATION_NOT_FOUND')).toBe('Page not found')
    for (const path of [
      '/saml/slo',
      '/c/shop/logout',
      '/logout/continue',
      '/oidc/end-session',
      '/oidc/backchannel-logout',
      '/c/x/oidc/frontchannel-logout',
      '/jwt/sign-off',
      '/messenger/logout',
    ]) {
      expect(errorTitle(path, 'SAML_SIGNATURE_INVALID'), path).toBe('Logout failed')
    }
    expect(errorTitle('/saml/acs', 'SAML_SIGNATURE_INVALID')).toBe('Sign-in failed')
    expect(errorTitle('/saml/acs', 'FORM_TOKEN_INVALID')).toBe('Request refused')
  })
})
