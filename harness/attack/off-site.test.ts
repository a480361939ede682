import { describe, expect, it } from 'vitest'
import type { Hop, Visit } from './browser.ts'
import { offSiteRedirect, pageRedirects } from './off-site.ts'

const sp = 'http://127.0.0.1:26101'
const hop = (url: string, location?: string, party: Hop['party'] = 'sp'): Hop => ({
  method: 'GET',
  url,
  status: location ? 302 : 200,
  ...(location ? { location } : {}),
  cookies: {},
  party,
})
const visit = (hops: Hop[], final?: { url: string; text: string }): Visit => ({
  hops,
  ...(final ? { final: { ...final, status: 200 } } : {}),
  trace: [],
})
const own = ['127.0.0.1']

describe('offSiteRedirect (catalogue case 32)', () => {
  it('finds a Location off the SP host after the delivery, not before it', () => {
    const idp = hop('http://127.0.0.1:26100/saml/sso', undefined, 'idp')
    const acs = hop(`${sp}/acs`, 'http://evil.example/after-sign-in')
    expect(offSiteRedirect(visit([idp, acs]), own)).toEqual({
      url: 'http://evil.example/after-sign-in',
      how: 'Location',
    })
    // A redirect on the way to the IdP is the SP's sign-in, not the answer to the message.
    const before = hop(`${sp}/login`, 'http://idp.example/sso')
    expect(offSiteRedirect(visit([before, idp, hop(`${sp}/acs`, `${sp}/home`)]), own)).toBe(
      undefined,
    )
    // Another port of the same host is still the SP's.
    expect(offSiteRedirect(visit([idp, hop(`${sp}/acs`, 'http://127.0.0.1:9/x')]), own)).toBe(
      undefined,
    )
  })

  it('finds a meta refresh or a script redirect on the last page', () => {
    const idp = hop('http://127.0.0.1:26100/saml/sso', undefined, 'idp')
    const meta =
      '<html><head><meta http-equiv="Refresh" content="0; URL=\'//evil.example/x\'"></head></html>'
    expect(
      offSiteRedirect(visit([idp, hop(`${sp}/acs`)], { url: `${sp}/acs`, text: meta }), own),
    ).toEqual({ url: 'http://evil.example/x', how: 'meta refresh' })
    const script = '<script>window.location.replace("\\/\\/evil.example\\/y")</script>'
    expect(
      offSiteRedirect(visit([idp, hop(`${sp}/acs`)], { url: `${sp}/acs`, text: script }), own),
    ).toEqual({ url: 'http://evil.example/y', how: 'script' })
    const home = '<script>location.href = "/home"</script><p>Signed in as alice</p>'
    expect(
      offSiteRedirect(visit([idp, hop(`${sp}/acs`)], { url: `${sp}/acs`, text: home }), own),
    ).toBe(undefined)
  })
})

describe('pageRedirects', () => {
  it('reads meta refresh targets (entities decoded) and location writes (JS escapes decoded)', () => {
    const page = [
      '<meta http-equiv="refresh" content="5;url=https://a.example/?x=1&amp;y=2">',
      '<meta name="refresh" content="0;url=https://ignored.example">',
      "<script>if (ok) { top.location = 'https:\\x2f\\x2fb.example'; location.assign(`/c`) }</script>",
    ].join('')
    expect(pageRedirects(page)).toEqual([
      { url: 'https://a.example/?x=1&y=2', how: 'meta refresh' },
      { url: 'https://b.example', how: 'script' },
      { url: '/c', how: 'script' },
    ])
  })
})
