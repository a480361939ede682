import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../random/index.ts'
import { createApp } from '../create-app.ts'
import { formTokenCookie, formTokenField, formTokenFor } from './form-token.ts'
import { requestGuard } from './request-guard.ts'

const base = 'http://127.0.0.1:7100'
const token = 'a-long-admin-token-0123'

/** A small app behind the guard: a page with a form, a form POST, admin and API routes. */
function guarded(adminToken?: string) {
  const changed: string[] = []
  const app = createApp(
    'SP',
    () => {},
    requestGuard({
      baseUrls: [base],
      routes: {
        crossSiteByDesign: [/^\/acs$/],
        admin: [/^\/admin(?:\/|$)/],
        api: [/(?:^|\/)api(?:\/|$)/],
      },
      adminToken,
      random: createSeededRandom('guard'),
    }),
  )
  app.get('/page', (c) =>
    c.html(
      '<form method="post" action="/act"></form><form method="post" action="http://127.0.0.1:7000/x"></form><form action="/search"></form>',
    ),
  )
  app.get('/page-with-cookie', (c) => {
    c.header('Set-Cookie', 'own=1; Path=/', { append: true })
    return c.html('<form method="post"></form>')
  })
  app.post('/act', (c) => {
    changed.push('act')
    return c.text('done')
  })
  app.post('/acs', (c) => {
    changed.push('acs')
    return c.text('signed in')
  })
  app.post('/admin/users', async (c) => {
    changed.push(JSON.stringify(await c.req.json()))
    return c.json({ ok: true }, 201)
  })
  app.get('/api/session', (c) => c.json({ signedIn: true }))
  return { app: app as Hono, changed }
}

const send = (app: Hono, path: string, init: RequestInit & { headers?: Record<string, string> }) =>
  app.fetch(new Request(`${base}${path}`, init))

async function code(response: Response): Promise<string | undefined> {
  const text = await response.text()
  if (text.startsWith('{')) return (JSON.parse(text) as { error?: { code?: string } }).error?.code
  return /id="error-code">([A-Z_]+)</.exec(text)?.[1]
}

describe('request guard: Host', () => {
  it.each([
    ['evil.example:7100'],
    ['evil.example'],
    ['127.0.0.1.nip.io:7100'],
    ['127.0.0.1.evil.example:7100'],
    ['user@127.0.0.1:7100'],
  ])('refuses Host %s on every route with HOST_NOT_ALLOWED (421)', async (host) => {
    const { app, changed } = guarded()
    for (const path of ['/page', '/api/session']) {
      const response = await send(app, path, { headers: { host } })
      expect(response.status).toBe(421)
      expect(await code(response)).toBe('HOST_NOT_ALLOWED')
    }
    const acs = await send(app, '/acs', { method: 'POST', headers: { host } })
    expect(await code(acs)).toBe('HOST_NOT_ALLOWED')
    expect(changed).toEqual([])
  })

  it('answers its own host and loopback names (a proxy in front may send those)', async () => {
    const { app } = guarded()
    for (const host of ['127.0.0.1:7100', 'LOCALHOST:7100', '[::1]:7100', '127.0.0.1:8080']) {
      const url = `http://${host.toLowerCase()}/page`
      const response = await app.fetch(new Request(url, { headers: { host } }))
      expect(response.status, host).toBe(200)
    }
  })

  it('refuses an absolute request target naming another host than the Host header', async () => {
    const { app } = guarded()
    const response = await app.fetch(
      new Request('http://evil.example/page', { headers: { host: '127.0.0.1:7100' } }),
    )
    expect(await code(response)).toBe('HOST_NOT_ALLOWED')
  })
})

describe('request guard: admin and API calls', () => {
  it.each([
    [
      'a text/plain body from another site',
      { origin: 'http://evil.example', 'content-type': 'text/plain' },
      'CROSS_SITE_REQUEST_REFUSED',
      403,
    ],
    [
      'a JSON body from another port of this host',
      { origin: 'http://127.0.0.1:8080', 'content-type': 'application/json' },
      'CROSS_SITE_REQUEST_REFUSED',
      403,
    ],
    [
      'Sec-Fetch-Site: same-site',
      { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
      'CROSS_SITE_REQUEST_REFUSED',
      403,
    ],
    [
      'Origin: null (a sandboxed frame)',
      { origin: 'null', 'content-type': 'application/json' },
      'CROSS_SITE_REQUEST_REFUSED',
      403,
    ],
    [
      'a text/plain body with no Origin',
      { 'content-type': 'text/plain' },
      'ADMIN_JSON_REQUIRED',
      415,
    ],
    [
      'a form body with no Origin',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'ADMIN_JSON_REQUIRED',
      415,
    ],
    ['no Content-Type', {}, 'ADMIN_JSON_REQUIRED', 415],
  ])('refuses %s', async (_, headers, expected, status) => {
    const { app, changed } = guarded()
    const response = await send(app, '/admin/users', {
      method: 'POST',
      headers: headers as Record<string, string>,
      body: '{"id":"mallory"}',
    })
    expect(response.status).toBe(status)
    expect(await code(response)).toBe(expected)
    expect(changed).toEqual([])
  })

  it('takes JSON from its own origin and from scripts that send no Origin', async () => {
    const { app, changed } = guarded()
    for (const headers of <Record<string, string>[]>[
      { 'content-type': 'application/json; charset=utf-8' },
      { 'content-type': 'application/json', origin: base, 'sec-fetch-site': 'same-origin' },
    ]) {
      const response = await send(app, '/admin/users', {
        method: 'POST',
        headers,
        body: '{"id":"a"}',
      })
      expect(response.status).toBe(201)
    }
    expect(changed).toHaveLength(2)
  })

  it('refuses a cross-site read of private JSON', async () => {
    const { app } = guarded()
    const response = await send(app, '/api/session', {
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expect(await code(response)).toBe('CROSS_SITE_REQUEST_REFUSED')
    expect((await send(app, '/api/session', {})).status).toBe(200)
  })

  it('with an admin token, needs it as a Bearer header on every admin call', async () => {
    const { app, changed } = guarded(token)
    const json = { 'content-type': 'application/json' }
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0000000000',
      `Basic ${token}`,
      token,
    ]) {
      const headers = authorization ? { ...json, authorization } : json
      const response = await send(app, '/admin/users', { method: 'POST', headers, body: '{}' })
      expect(response.status, String(authorization)).toBe(401)
      expect(response.headers.get('www-authenticate')).toContain('Bearer')
      const text = await response.text()
      expect(text).toContain('ADMIN_TOKEN_REQUIRED')
      expect(text).not.toContain(token)
    }
    const ok = await send(app, '/admin/users', {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: '{}',
    })
    expect(ok.status).toBe(201)
    expect(changed).toEqual(['{}'])
    // Without a token set, no header is needed; with one, pages and cross-site endpoints stay open.
    expect((await send(app, '/page', {})).status).toBe(200)
  })
})

describe('request guard: a page POST (CSRF)', () => {
  /** A new browser's visit to the page: its form-token cookie and the field its form carries. */
  async function formToken(app: Hono) {
    const page = await send(app, '/page', {})
    const setCookie = page.headers.get('set-cookie') ?? ''
    const cookie = new RegExp(`${formTokenCookie}=([^;]+)`).exec(setCookie)?.[1] ?? ''
    const html = await page.text()
    const value = new RegExp(`name="${formTokenField}" value="([^"]+)"`).exec(html)?.[1] ?? ''
    return { html, setCookie, cookie, value }
  }

  it('adds the token to forms that post back here, not to forms posting elsewhere or GET forms', async () => {
    const { app } = guarded()
    const { html, setCookie, cookie, value } = await formToken(app)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{32}$/)
    // The page holds the cookie's digest, never the cookie.
    expect(value).toBe(formTokenFor(cookie))
    expect(html).not.toContain(cookie)
    const fields = html.match(new RegExp(`name="${formTokenField}" value="${value}"`, 'g')) ?? []
    expect(fields).toHaveLength(1)
    expect(html.indexOf(value)).toBeLessThan(html.indexOf('127.0.0.1:7000'))
    // A browser that has the cookie keeps its token.
    const again = await send(app, '/page', { headers: { cookie: `${formTokenCookie}=${cookie}` } })
    expect(again.headers.get('set-cookie')).toBeNull()
    expect(await again.text()).toContain(`value="${value}"`)
  })

  it("keeps the page's own cookies beside the form token's", async () => {
    const { app } = guarded()
    const page = await send(app, '/page-with-cookie', {})
    const cookies = page.headers.getSetCookie()
    expect(cookies).toHaveLength(2)
    expect(cookies[0]).toBe('own=1; Path=/')
    expect(cookies[1]).toMatch(new RegExp(`^${formTokenCookie}=`))
  })

  it('takes the form from its own page with the token', async () => {
    const { app, changed } = guarded()
    const { cookie, value } = await formToken(app)
    const response = await send(app, '/act', {
      method: 'POST',
      headers: {
        cookie: `${formTokenCookie}=${cookie}`,
        origin: base,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `${formTokenField}=${value}`,
    })
    expect(response.status).toBe(200)
    expect(changed).toEqual(['act'])
  })

  it.each([
    [
      'from another site, token and all',
      { origin: 'http://evil.example' },
      true,
      'CROSS_SITE_REQUEST_REFUSED',
    ],
    [
      'from another port of this host',
      { origin: 'http://127.0.0.1:7000', 'sec-fetch-site': 'same-site' },
      true,
      'CROSS_SITE_REQUEST_REFUSED',
    ],
    [
      'Sec-Fetch-Site cross-site without Origin',
      { 'sec-fetch-site': 'cross-site' },
      true,
      'CROSS_SITE_REQUEST_REFUSED',
    ],
    ['without the token, no Origin at all', {}, false, 'FORM_TOKEN_INVALID'],
    ['without the token, from its own origin', { origin: base }, false, 'FORM_TOKEN_INVALID'],
  ])('refuses a POST %s', async (_, headers, withToken, expected) => {
    const { app, changed } = guarded()
    const { cookie, value } = await formToken(app)
    const response = await send(app, '/act', {
      method: 'POST',
      headers: {
        cookie: `${formTokenCookie}=${cookie}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...(headers as Record<string, string>),
      },
      body: withToken ? `${formTokenField}=${value}` : 'x=1',
    })
    expect(response.status).toBe(403)
    expect(await code(response)).toBe(expected)
    expect((await send(app, '/page', {})).status).toBe(200)
    expect(changed).toEqual([])
  })

  it("refuses another browser's token and a text/plain body", async () => {
    const { app, changed } = guarded()
    const mine = await formToken(app)
    const theirs = await formToken(app)
    expect(mine.value).not.toBe(theirs.value)
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', `${formTokenField}=${theirs.value}`],
      ['text/plain', `${formTokenField}=${mine.value}`],
    ]) {
      const response = await send(app, '/act', {
        method: 'POST',
        headers: { cookie: `${formTokenCookie}=${mine.cookie}`, 'content-type': type as string },
        body,
      })
      expect(await code(response)).toBe('FORM_TOKEN_INVALID')
    }
    expect(changed).toEqual([])
  })

  it('lets other sites post to the endpoints that are cross-site by design', async () => {
    const { app, changed } = guarded()
    const response = await send(app, '/acs', {
      method: 'POST',
      headers: { origin: 'http://idp.example', 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ SAMLResponse: 'x' }),
    })
    expect(response.status).toBe(200)
    expect(changed).toEqual(['acs'])
  })
})
