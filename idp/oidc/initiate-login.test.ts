import { describe, expect, it } from 'vitest'
import { idpUrl } from '../../tests/fixtures/in-process.ts'
import { readPage } from '../../tests/fixtures/read-page.ts'
import { redirectUri, setup } from './test-support.ts'

describe('third-party-initiated login (GET /oidc/initiate-login)', () => {
  it('sends the browser to the client initiate_login_uri with iss, login_hint and target_link_uri', async () => {
    const world = await setup([
      {
        clientId: 'portal',
        clientSecret: 'portal-secret-0123456789',
        redirectUris: [redirectUri],
        initiateLoginUri: 'https://rp.example/start?from=idp',
      },
    ])
    const answer = await world.idp.app.request(
      `/oidc/initiate-login?${new URLSearchParams({ client_id: 'portal', login_hint: 'bob', target_link_uri: 'https://rp.example/orders' })}`,
    )
    expect(answer.status).toBe(302)
    const to = new URL(answer.headers.get('location') ?? '')
    expect(to.origin + to.pathname).toBe('https://rp.example/start')
    expect(Object.fromEntries(to.searchParams)).toEqual({
      from: 'idp',
      iss: idpUrl,
      login_hint: 'bob',
      target_link_uri: 'https://rp.example/orders',
    })
  })

  it('refuses an unknown client and one that registered no initiate_login_uri', async () => {
    const world = await setup()
    const page = async (clientId: string) =>
      readPage(await world.idp.app.request(`/oidc/initiate-login?client_id=${clientId}`))
    expect((await page('nobody')).code).toBe('OIDC_CLIENT_UNKNOWN')
    const rp = await page('rp')
    expect(rp.status).toBe(400)
    expect(rp.code).toBe('OIDC_INITIATE_LOGIN_UNCONFIGURED')
  })
})
