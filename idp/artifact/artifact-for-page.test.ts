import { describe, expect, it } from 'vitest'
import { spSessionCookie } from '../../sp/session/sp-sessions.ts'
import { createInProcessPair, idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'

const spEntityId = `${spUrl}/saml/metadata`
const login = { name: 'action', value: 'login' }
const pageArtifact = `/saml/page-artifact?sp=${encodeURIComponent(spEntityId)}`

async function signedInAtIdp(options: Parameters<typeof createInProcessPair>[0] = {}) {
  const pair = await createInProcessPair(options)
  const agent = pair.agent()
  const form = await agent.navigate(`${spUrl}/login?return_url=/`)
  await agent.submit(form, '#login-form', { username: 'bob' }, login)
  await agent.jar.setCookie(`${spSessionCookie}=; Max-Age=0; Path=/`, `${spUrl}/`)
  const cookie = await agent.jar.getCookieString(`${idpUrl}/`)
  expect(cookie).toContain(idpSessionCookie)
  return { ...pair, agent, cookie }
}

describe('POST /saml/page-artifact: a SAML artifact for page JavaScript', () => {
  it('gives the SP’s page an artifact that the SP resolves into a sign-in', async () => {
    const { idp, agent, cookie } = await signedInAtIdp({ sp: { allowUnsolicited: true } })
    const answer = await idp.app.request(pageArtifact, {
      method: 'POST',
      headers: { cookie, origin: spUrl, accept: 'application/json' },
    })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('access-control-allow-origin')).toBe(spUrl)
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true')
    const { artifact } = (await answer.json()) as { artifact: string }
    expect(Buffer.from(artifact, 'base64').subarray(0, 2)).toEqual(Buffer.from([0, 4]))

    const signedIn = await agent.navigate(`${spUrl}/saml/acs`, {
      method: 'POST',
      form: { SAMLart: artifact, RelayState: '/messenger?open=1' },
    })
    expect(signedIn.url).toBe(`${spUrl}/messenger?open=1`)
    expect(signedIn.document.querySelector('#visitor-identity')?.text).toContain('Bob')
  })

  it('answers 401 without an IdP session and lets no other origin read the answer', async () => {
    const { idp } = await createInProcessPair()
    const answer = await idp.app.request(pageArtifact, {
      method: 'POST',
      headers: { origin: 'https://evil.example', accept: 'application/json' },
    })
    expect(answer.status).toBe(401)
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
      'IDP_SESSION_REQUIRED',
    )
  })

  it('refuses an SP that is unknown or takes no IdP-initiated sign-in', async () => {
    const { idp, cookie } = await signedInAtIdp({ spRegistration: { allowIdpInitiated: false } })
    for (const path of ['/saml/page-artifact?sp=https://nobody.example/', pageArtifact]) {
      const answer = await idp.app.request(path, {
        method: 'POST',
        headers: { cookie, origin: spUrl, accept: 'application/json' },
      })
      expect(answer.status).toBe(403)
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
        'SAML_REQUEST_UNKNOWN_SP',
      )
    }
  })
})
