import { describe, expect, it } from 'vitest'
import { StepFailure } from './driver.ts'

describe('StepFailure', () => {
  it('redacts tokens, codes and SAML messages in the URLs it reports', () => {
    const failure = new StepFailure(
      'the IdP login form is not shown',
      'the IdP login form',
      'now at http://127.0.0.1:7100/jwt/callback?return_url=%2F&token=eyJhbGciOi.payload.signature and http://127.0.0.1:7100/oidc/callback?code=abc123&state=s1',
    )
    expect(failure.actual).not.toContain('eyJhbGciOi')
    expect(failure.actual).not.toContain('abc123')
    expect(failure.actual).toContain(
      'http://127.0.0.1:7100/jwt/callback?return_url=%2F&token=[redacted]',
    )
    expect(failure.actual).toContain('code=[redacted]')
    expect(failure.expected).toBe('the IdP login form')
  })
})
