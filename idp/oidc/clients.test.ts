import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { idpUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createIdp } from '../create-idp.tsx'

async function idp() {
  const keys = await testCredentials()
  return createIdp({
    baseUrl: idpUrl,
    credential: keys.idp,
    clock: createManualClock(),
    log: () => {},
  })
}

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

describe('registering OIDC clients and JWT SPs through the admin API', () => {
  it('lists them without their secrets', async () => {
    const { app } = await idp()
    const client = await app.request(
      '/admin/oidc-clients',
      post({
        clientId: 'rp',
        clientSecret: 'a-secret-of-16-chars',
        redirectUris: ['https://rp.example/cb'],
      }),
    )
    expect(client.status).toBe(201)
    const jwtSp = await app.request(
      '/admin/jwt-service-providers',
      post({
        id: 'chat',
        returnUrls: ['https://chat.example/'],
        algorithm: 'HS256',
        secret: 's'.repeat(32),
      }),
    )
    expect(jwtSp.status).toBe(201)
    const clients = await (await app.request('/admin/oidc-clients')).text()
    const jwtSps = await (await app.request('/admin/jwt-service-providers')).text()
    expect(JSON.parse(clients).oidcClients[0]).toMatchObject({
      clientId: 'rp',
      confidential: true,
      mode: 'oidc',
    })
    expect(JSON.parse(jwtSps).jwtServiceProviders[0]).toMatchObject({ id: 'chat', hasSecret: true })
    expect(clients).not.toContain('a-secret-of-16-chars')
    expect(jwtSps).not.toContain('s'.repeat(32))
  })

  it('refuses bad registrations with the dotted path of the setting', async () => {
    const { app } = await idp()
    for (const [path, body, where] of [
      ['/admin/oidc-clients', { clientId: 'rp', redirectUris: [] }, 'redirectUris'],
      ['/admin/oidc-clients', { clientId: 'rp', redirectUris: ['javascript:x'] }, 'redirectUris.0'],
      [
        '/admin/oidc-clients',
        { clientId: 'rp', redirectUris: ['https://a/'], clientSecret: 'short' },
        'clientSecret',
      ],
      [
        '/admin/oidc-clients',
        { clientId: 'rp', redirectUris: ['https://a/'], unknown: 1 },
        '(root)',
      ],
      [
        '/admin/jwt-service-providers',
        { id: 'x', returnUrls: ['https://x/'], algorithm: 'none' },
        'algorithm',
      ],
    ] as const) {
      const answer = await app.request(path, post(body))
      expect(answer.status).toBe(400)
      const { error } = (await answer.json()) as { error: { code: string; reason: string } }
      expect(error.code).toBe('CONFIG_INVALID')
      expect(error.reason).toContain(`${where}:`)
    }
    const rotate = await app.request('/admin/keys/rotate', post({ algorithm: 'HS256' }))
    expect(rotate.status).toBe(400)
  })
})
