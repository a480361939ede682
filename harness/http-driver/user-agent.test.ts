import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { selfSubmittingForm, UserAgent } from './user-agent.ts'

interface Seen {
  url: string
  method: string
  host: string | null
  origin: string | null
  site: string | null
  cookie: string | null
  body: string
}

/** Two sites on one host (another port) and one elsewhere, each recording what reached it. */
function sites() {
  const seen: Seen[] = []
  const handler = async (request: Request) => {
    seen.push({
      url: request.url,
      method: request.method,
      host: request.headers.get('host'),
      origin: request.headers.get('origin'),
      site: request.headers.get('sec-fetch-site'),
      cookie: request.headers.get('cookie'),
      body: await request.text(),
    })
    const path = new URL(request.url).pathname
    if (path === '/set')
      return new Response('ok', { headers: { 'set-cookie': 'id=1; Path=/; SameSite=Lax' } })
    if (path === '/again')
      return new Response(null, { status: 307, headers: { location: '/done' } })
    if (path === '/away') {
      return new Response(null, {
        status: 307,
        headers: { location: 'http://127.0.0.1:7000/done' },
      })
    }
    return new Response('done')
  }
  const agent = new UserAgent({
    origins: {
      'http://127.0.0.1:7100': handler,
      'http://127.0.0.1:7000': handler,
      'http://evil.example': handler,
    },
  })
  return { agent, seen }
}

describe('the user agent says where a request comes from, as a browser does', () => {
  it('a typed address: Sec-Fetch-Site none, no Origin on a GET, the Host of the URL', async () => {
    const { agent, seen } = sites()
    await agent.navigate('http://127.0.0.1:7100/page')
    expect(seen[0]).toMatchObject({ host: '127.0.0.1:7100', site: 'none', origin: null })
  })

  it('a form POST: its page origin, same-origin, same-site for another port, cross-site elsewhere', async () => {
    const { agent, seen } = sites()
    await agent.navigate('http://127.0.0.1:7100/set')
    for (const from of [
      'http://127.0.0.1:7100/form',
      'http://127.0.0.1:7000/form',
      'http://evil.example/form',
    ]) {
      await agent.request('http://127.0.0.1:7100/post', { method: 'POST', form: { a: '1' }, from })
    }
    expect(seen.slice(1).map(({ origin, site, cookie }) => ({ origin, site, cookie }))).toEqual([
      { origin: 'http://127.0.0.1:7100', site: 'same-origin', cookie: 'id=1' },
      // Another port is the same site: SameSite=Lax cookies go along, only Origin tells it apart.
      { origin: 'http://127.0.0.1:7000', site: 'same-site', cookie: 'id=1' },
      { origin: 'http://evil.example', site: 'cross-site', cookie: null },
    ])
  })

  it('a 307 repeats the POST with its body; through a third origin the Origin is null', async () => {
    const { agent, seen } = sites()
    await agent.navigate('http://127.0.0.1:7100/again', {
      method: 'POST',
      form: { a: '1' },
      from: 'http://127.0.0.1:7100/form',
    })
    expect(seen[1]).toMatchObject({ method: 'POST', body: 'a=1', origin: 'http://127.0.0.1:7100' })
    // Fetch §4.4: redirected through an origin that is neither the page's nor the target's.
    await agent.navigate('http://evil.example/away', {
      method: 'POST',
      form: { a: '2' },
      from: 'http://127.0.0.1:7100/form',
    })
    expect(seen[3]).toMatchObject({
      url: 'http://127.0.0.1:7000/done',
      method: 'POST',
      body: 'a=2',
      origin: 'null',
      site: 'cross-site',
    })
  })

  it('a script sends no cookies and no Origin; headers given go over the browser’s own', async () => {
    const { agent, seen } = sites()
    await agent.navigate('http://127.0.0.1:7100/set')
    await agent.request('http://127.0.0.1:7100/post', {
      method: 'POST',
      body: '{}',
      script: true,
      headers: { 'content-type': 'application/json', host: 'rebind.example' },
    })
    expect(seen[1]).toMatchObject({
      cookie: null,
      origin: null,
      site: null,
      host: 'rebind.example',
    })
  })
})

const page = (onload: string) =>
  parse(
    `<html><body onload="${onload}"><form method="post" action="/next"><input name="x" value="1"/></form></body></html>`,
  )

describe('self-submitting forms', () => {
  it('submits a form whose page submits or clicks it on load (SAML POST binding pages)', () => {
    expect(selfSubmittingForm(page('document.forms[0].submit()'))?.getAttribute('action')).toBe(
      '/next',
    )
    expect(
      selfSubmittingForm(page("document.getElementsByTagName('input')[0].click();")),
    ).not.toBeNull()
  })

  it('leaves a login form whose onload only focuses a field (SimpleSAMLphp) to the person', async () => {
    expect(selfSubmittingForm(page("SimpleSAML_focus('username');"))).toBeNull()
    let posts = 0
    const agent = new UserAgent({
      fallback: (request) => {
        if (request.method === 'POST') posts++
        return new Response(
          `<html><body onload="SimpleSAML_focus('username');"><form method="post" action="/login"><input name="username"/></form></body></html>`,
          { headers: { 'content-type': 'text/html' } },
        )
      },
    })
    const login = await agent.navigate('http://127.0.0.1:24590/login')
    expect(login.document.querySelector('input[name="username"]')).not.toBeNull()
    expect(posts).toBe(0)
  })
})
