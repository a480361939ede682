import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { idpUrl } from '../../tests/fixtures/in-process.ts'
import { authorizeUrl, exchange, redirectUri, setup } from './test-support.ts'

async function signedInAnswer(
  world: Awaited<ReturnType<typeof setup>>,
  params: Record<string, string>,
) {
  await world.idp.app.request('/admin/next-login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'alice' }),
  })
  return world.idp.app.request(authorizeUrl(params))
}

function formFields(html: string) {
  const form = parse(html).querySelector('body[onload] form')
  const fields = Object.fromEntries(
    (form?.querySelectorAll('input') ?? []).map((input) => [
      input.getAttribute('name') ?? '',
      input.getAttribute('value') ?? '',
    ]),
  )
  return { action: form?.getAttribute('action'), method: form?.getAttribute('method'), fields }
}

describe('the authorization response', () => {
  it('response_mode=form_post: a self-posting form to the redirect_uri with code, state and iss, no code in any URL', async () => {
    const world = await setup()
    const answer = await signedInAnswer(world, { response_mode: 'form_post' })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('location')).toBeNull()
    expect(answer.headers.get('cache-control')).toBe('no-store')
    const { action, method, fields } = formFields(await answer.text())
    expect({ action, method }).toEqual({ action: redirectUri, method: 'post' })
    expect(fields).toMatchObject({ state: 'st-1', iss: idpUrl })
    expect((await exchange(world, fields.code ?? '')).status).toBe(200)
  })

  it('an error by form_post too, once the redirect_uri is known good', async () => {
    const world = await setup()
    const answer = await world.idp.app.request(
      authorizeUrl({ response_mode: 'form_post', prompt: 'none' }),
    )
    expect(formFields(await answer.text()).fields).toMatchObject({
      error: 'login_required',
      state: 'st-1',
      iss: idpUrl,
    })
  })

  it('refuses a response mode it does not answer by, by the query', async () => {
    const world = await setup()
    for (const mode of ['fragment', 'query.jwt', 'web_message']) {
      const answer = await world.idp.app.request(authorizeUrl({ response_mode: mode }))
      const back = new URL(answer.headers.get('location') ?? '')
      expect(back.searchParams.get('error')).toBe('invalid_request')
      expect(back.searchParams.get('state')).toBe('st-1')
    }
  })

  it('leaves out a scope the client may not ask for, by default (OIDC Core 3.1.2.1)', async () => {
    const world = await setup([
      {
        clientId: 'lenient',
        clientSecret: 'lenient-secret-0123456789',
        redirectUris: [redirectUri],
      },
    ])
    const answer = await signedInAnswer(world, {
      client_id: 'lenient',
      scope: 'openid email admin:all',
    })
    const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? ''
    const tokens = await world.idp.app.request('/oidc/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: 'lenient',
        client_secret: 'lenient-secret-0123456789',
        code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      }).toString(),
    })
    expect(await tokens.json()).toMatchObject({ scope: 'openid email' })
  })

  it.each([
    [{ kind: 'oidc-authorization-iss' as const }, 'https://other-idp.example'],
    [{ kind: 'oidc-authorization-iss' as const, answer: 'missing' as const }, null],
  ])('%o changes the iss of the answer', async (fault, iss) => {
    const world = await setup()
    world.idp.faults.add({ ...fault, remaining: 1 })
    const answer = await signedInAnswer(world, {})
    const back = new URL(answer.headers.get('location') ?? '')
    expect(back.searchParams.get('code')).not.toBeNull()
    expect(back.searchParams.get('iss')).toBe(iss)
    const next = await signedInAnswer(world, {})
    expect(new URL(next.headers.get('location') ?? '').searchParams.get('iss')).toBe(idpUrl)
  })
})
