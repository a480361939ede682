import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createSp } from '../create-sp.tsx'
import { sameOriginPath } from './return-path.ts'

describe('sameOriginPath', () => {
  it.each([
    ['/', '/'],
    ['/a/b?x=1#h', '/a/b?x=1#h'],
    ['/account?tab=profile', '/account?tab=profile'],
    ['/a/../b', '/b'],
    // An encoded CR LF stays an inert path segment: it is never decoded into a header.
    ['/%0d%0aSet-Cookie', '/%0d%0aSet-Cookie'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%5Cevil.example', '/%5Cevil.example'],
    ['/a/%2e%2e/b', '/b'],
    // Unicode slashes and full-width letters go out percent-encoded: a browser keeps them in the path.
    ['/\uFF0F\uFF0Fevil.example', '/%EF%BC%8F%EF%BC%8Fevil.example'],
    ['/\u2215\u2215evil', '/%E2%88%95%E2%88%95evil'],
    ['/\u3000/x', '/%E3%80%80/x'],
  ])('accepts %j as %j', (value, expected) => {
    expect(sameOriginPath(value, spUrl)).toBe(expected)
  })

  it('defaults to / when absent or empty', () => {
    expect(sameOriginPath(undefined, spUrl)).toBe('/')
    expect(sameOriginPath('', spUrl)).toBe('/')
  })

  it.each([
    'https://evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil',
    '\\/evil.example',
    'javascript:alert(1)',
    'evil.example/path',
    '/a\nSet-Cookie: x=1',
    '/a\rb',
    '/a\tb',
    '/a\u0000b',
    '/a\u007fb',
    `${spUrl}/x`,
    // Dot segments that normalise into a scheme-relative URL: the value going out is checked.
    '/..//evil.example',
    '/a/../..//evil.example/x',
    '/%2e%2e//evil.example',
    '/.%2E//evil.example',
    '/./%2e/..//evil.example',
    '/a/..//evil.example',
    '/./\\evil.example',
    '/.\\evil.example',
    '/%2e%2e/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\u0085x',
  ])('refuses %j (SP_RETURN_URL_REJECTED)', (value) => {
    expect(() => sameOriginPath(value, spUrl)).toThrow(
      expect.objectContaining({ code: 'SP_RETURN_URL_REJECTED', check: 'return_url' }),
    )
  })

  it('keeps at most 200 characters of the refused value as evidence', () => {
    const value = `https://evil.example/${'a'.repeat(500)}`
    const error = (() => {
      try {
        sameOriginPath(value, spUrl)
      } catch (caught) {
        return caught as { evidence: { returnUrl: string } }
      }
      throw new Error('not refused')
    })()
    expect(error.evidence.returnUrl).toBe(value.slice(0, 200))
  })
})

describe('GET /login?return_url=…', () => {
  async function referenceSp() {
    const keys = await testCredentials()
    return createSp({
      baseUrl: spUrl,
      credential: keys.sp,
      idp: { entityId: `${idpUrl}/saml/metadata`, ssoUrl: `${idpUrl}/saml/sso`, certificates: [] },
      clock: createManualClock('2030-01-01T12:00:00Z'),
      random: createSeededRandom('return-path'),
      log: () => {},
    })
  }

  it('refuses //evil.example with a 400 page, no redirect and no pending request', async () => {
    const sp = await referenceSp()
    const response = await sp.app.request(
      `/login?return_url=${encodeURIComponent('//evil.example')}`,
    )
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(response.headers.getSetCookie()).toEqual([])
    const document = parse(await response.text())
    expect(document.querySelector('#error-code')?.text).toBe('SP_RETURN_URL_REJECTED')
  })

  it('refuses an absolute URL on its own origin too', async () => {
    const sp = await referenceSp()
    const response = await sp.app.request(`/login?return_url=${encodeURIComponent(`${spUrl}/x`)}`)
    expect(response.status).toBe(400)
    expect(parse(await response.text()).querySelector('#error-code')?.text).toBe(
      'SP_RETURN_URL_REJECTED',
    )
  })

  it('redirects to the IdP with the same-origin path as RelayState', async () => {
    const sp = await referenceSp()
    const response = await sp.app.request(
      `/login?return_url=${encodeURIComponent('/account?tab=profile')}`,
    )
    expect(response.status).toBe(302)
    const location = response.headers.get('location') ?? ''
    expect(location.startsWith(`${idpUrl}/saml/sso?SAMLRequest=`)).toBe(true)
    const decoded = decodeRedirect(location.split('?')[1] ?? '', 'SAMLRequest')
    expect(decoded.relayState).toBe('/account?tab=profile')
    expect(decoded.xml).toContain(`AssertionConsumerServiceURL="${spUrl}/saml/acs"`)
    expect(response.headers.getSetCookie().some((c) => c.startsWith('ssoproof_sp_pending='))).toBe(
      true,
    )
  })

  it('leaves RelayState out when the path is longer than 80 bytes', async () => {
    const sp = await referenceSp()
    const path = `/${'p'.repeat(100)}`
    const response = await sp.app.request(`/login?return_url=${encodeURIComponent(path)}`)
    expect(response.status).toBe(302)
    const location = response.headers.get('location') ?? ''
    expect(decodeRedirect(location.split('?')[1] ?? '', 'SAMLRequest').relayState).toBeUndefined()
  })
})
