import { describe, expect, it } from 'vitest'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import type { PairOptions } from '../../harness/pair.ts'
import type { FaultInput } from '../../idp/faults/schema.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'
import { apiSession, formToken, mappingsFor, signIn } from '../fixtures/visitor.ts'

const shop = `${spUrl}/c/shop`
const help = `${spUrl}/c/help`

/** One SP, three campaigns: SAML at the root, JWT token SSO at /c/shop, OpenID Connect at /c/help. */
function threeProtocols(oidc: PairOptions['oidc'] = {}) {
  return createInProcessPair({
    oidc,
    sp: {
      campaigns: [
        { id: 'shop', protocol: 'jwt' },
        { id: 'help', protocol: 'oidc', mappings: mappingsFor('oidc') },
      ],
    },
  })
}

async function signInEverywhere(agent: UserAgent) {
  await signIn(agent, 'alice')
  await signIn(agent, 'alice', { base: shop })
  await signIn(agent, 'alice', { base: help })
  for (const base of [spUrl, shop, help])
    expect((await apiSession(agent, base)).signedIn).toBe(true)
}

async function signedInAt(agent: UserAgent) {
  const out: Record<string, boolean> = {}
  for (const [name, base] of Object.entries({ saml: spUrl, jwt: shop, oidc: help })) {
    out[name] = (await apiSession(agent, base)).signedIn
  }
  return out
}

const allOut = { saml: false, jwt: false, oidc: false }

describe('single sign-off across SAML, JWT and OIDC', () => {
  it('the IdP logout page lists every party with its channel and signs out of all three', async () => {
    const { agent: newAgent } = await threeProtocols()
    const agent = newAgent()
    await signInEverywhere(agent)
    const page = await agent.navigate(`${idpUrl}/logout`)
    const listed = page.document
      .querySelectorAll('#participants li')
      .map((li) => [li.querySelector('code')?.text, li.getAttribute('data-channel')])
    expect(listed).toEqual([
      [`${spUrl}/saml/metadata`, 'saml-slo'],
      [shop, 'back-channel'],
      [help, 'back-channel'],
    ])
    const done = await agent.submit(page, '#logout-form')
    expect(done.document.querySelector('#status')?.text).toBe('You are signed out')
    expect(done.document.querySelectorAll('#confirmed li code').map((code) => code.text)).toEqual([
      `${spUrl}/saml/metadata`,
      shop,
      help,
    ])
    expect(done.document.querySelector('#failed')).toBeNull()
    expect(await signedInAt(agent)).toEqual(allOut)
  })

  it('front channel: the signed-out page loads the client front-channel logout URL with iss and sid', async () => {
    const { agent: newAgent } = await threeProtocols({ logout: 'front-channel' })
    const agent = newAgent()
    await signInEverywhere(agent)
    const done = await agent.submit(await agent.navigate(`${idpUrl}/logout`), '#logout-form')
    const frame = new URL(done.document.querySelector('iframe')?.getAttribute('src') ?? '')
    expect(frame.origin + frame.pathname).toBe(`${help}/oidc/frontchannel-logout`)
    expect(frame.searchParams.get('iss')).toBe(idpUrl)
    expect(frame.searchParams.get('sid')).toEqual(expect.any(String))
    expect(done.document.querySelectorAll('#requested li code').map((code) => code.text)).toEqual([
      help,
    ])
    expect(
      agent.history.some((hop) => hop.url.startsWith(`${help}/oidc/frontchannel-logout`)),
    ).toBe(true)
    expect(await signedInAt(agent)).toEqual(allOut)
  })

  it('RP-initiated logout at the OIDC campaign ends the SAML and JWT sessions too, then returns', async () => {
    const { agent: newAgent } = await threeProtocols()
    const agent = newAgent()
    await signInEverywhere(agent)
    const back = await agent.navigate(`${help}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: `${help}/`,
    })
    expect(back.url).toBe(`${help}/`)
    expect(await signedInAt(agent)).toEqual(allOut)
  })

  it('the JWT campaign’s sign-off ends the OIDC and SAML sessions too', async () => {
    const { agent: newAgent } = await threeProtocols()
    const agent = newAgent()
    await signInEverywhere(agent)
    await agent.navigate(`${shop}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: `${shop}/`,
    })
    expect(await signedInAt(agent)).toEqual(allOut)
  })

  it('SAML SP-initiated single logout ends the JWT and OIDC sessions too, front channel on the way', async () => {
    const { agent: newAgent } = await threeProtocols({ logout: 'both' })
    const agent = newAgent()
    await signInEverywhere(agent)
    const page = await agent.navigate(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: `${spUrl}/`,
    })
    expect(page.document.querySelector('#signed-out')).not.toBeNull()
    expect(agent.history.some((hop) => hop.url === `${idpUrl}/logout/continue`)).toBe(true)
    expect(await signedInAt(agent)).toEqual(allOut)
  })

  it('POST /admin/logout signs off the back channel at once and lists front-channel URLs', async () => {
    const { agent: newAgent, idp } = await threeProtocols({ logout: 'both' })
    const agent = newAgent()
    await signInEverywhere(agent)
    const answer = await idp.app.request('/admin/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice' }),
    })
    const body = (await answer.json()) as {
      backChannel: { party: string; outcome: string }[]
      frontChannel: { relyingParty: string; url: string }[]
      logoutRequests: unknown[]
    }
    expect(body.backChannel.map((item) => [item.party, item.outcome])).toEqual([
      [shop, 'confirmed'],
      [help, 'confirmed'],
    ])
    expect(body.frontChannel.map((item) => item.relyingParty)).toEqual([help])
    expect(body.logoutRequests).toHaveLength(1)
    expect((await signedInAt(agent)).jwt).toBe(false)
    expect((await signedInAt(agent)).oidc).toBe(false)
    expect((await signedInAt(agent)).saml).toBe(true)
  })
})

describe('every check of a logout token (OIDC back channel)', () => {
  it.each([
    ['alg-none', 'JWT_ALGORITHM_FORBIDDEN'],
    ['wrong-alg', 'JWT_ALGORITHM_FORBIDDEN'],
    ['wrong-aud', 'JWT_AUDIENCE_MISMATCH'],
    ['wrong-iss', 'JWT_ISSUER_MISMATCH'],
    ['no-events', 'LOGOUT_TOKEN_EVENTS_INVALID'],
    ['wrong-events', 'LOGOUT_TOKEN_EVENTS_INVALID'],
    ['with-nonce', 'LOGOUT_TOKEN_NONCE_FORBIDDEN'],
    ['no-sub-no-sid', 'LOGOUT_TOKEN_SUBJECT_MISSING'],
    ['expired', 'JWT_EXPIRED'],
    ['bad-signature', 'JWT_SIGNATURE_INVALID'],
  ] as const)(
    '%s: refused with %s, the session lives on, the IdP page says it failed',
    async (change, code) => {
      const { agent: newAgent, idp, log } = await createInProcessPair({ protocol: 'oidc' })
      const agent = newAgent()
      await signIn(agent, 'alice')
      idp.faults.add({ kind: 'oidc-logout-token', change } satisfies FaultInput)
      const done = await agent.submit(await agent.navigate(`${idpUrl}/logout`), '#logout-form')
      expect(done.document.querySelector('#failed li')?.text).toContain(code)
      expect((await apiSession(agent)).signedIn).toBe(true)
      expect(log).toContain(`SP back-channel logout refused: ${code}`)
    },
  )

  it('another session’s sid: accepted as a logout, but this session lives on', async () => {
    const { agent: newAgent, idp } = await createInProcessPair({ protocol: 'oidc' })
    const agent = newAgent()
    await signIn(agent, 'alice')
    idp.faults.add({ kind: 'oidc-logout-token', change: 'other-sid' })
    await agent.submit(await agent.navigate(`${idpUrl}/logout`), '#logout-form')
    expect((await apiSession(agent)).signedIn).toBe(true)
  })

  it('a replayed logout token is refused and ends nothing', async () => {
    const { agent: newAgent, idp } = await createInProcessPair({ protocol: 'oidc' })
    const agent = newAgent()
    await signIn(agent, 'alice')
    await agent.submit(await agent.navigate(`${idpUrl}/logout`), '#logout-form')
    expect((await apiSession(agent)).signedIn).toBe(false)
    await signIn(agent, 'alice')
    idp.faults.add({ kind: 'oidc-logout-token', change: 'replay' })
    const done = await agent.submit(await agent.navigate(`${idpUrl}/logout`), '#logout-form')
    expect(done.document.querySelector('#failed li')?.text).toContain('LOGOUT_TOKEN_REPLAY')
    expect((await apiSession(agent)).signedIn).toBe(true)
  })

  it('answers a POST without a logout token with 400 and the code', async () => {
    const { sp } = await createInProcessPair({ protocol: 'oidc' })
    const answer = await sp.app.request('/oidc/backchannel-logout', { method: 'POST' })
    expect(answer.status).toBe(400)
    expect(await answer.json()).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringContaining('LOGOUT_TOKEN_MISSING'),
    })
  })
})

describe('front-channel logout at the SP', () => {
  it('refuses another issuer and a sid without iss; without sid ends this browser’s session only', async () => {
    const { agent: newAgent } = await createInProcessPair({ protocol: 'oidc' })
    const agent = newAgent()
    await signIn(agent, 'alice')
    const other = await agent.navigate(
      `${spUrl}/oidc/frontchannel-logout?iss=https://evil.example&sid=x`,
    )
    expect(other.document.querySelector('#error-code')?.text).toBe('OIDC_ISSUER_MISMATCH')
    const bare = await agent.navigate(`${spUrl}/oidc/frontchannel-logout?sid=x`)
    expect(bare.document.querySelector('#error-code')?.text).toBe('OIDC_ISSUER_MISMATCH')
    expect((await apiSession(agent)).signedIn).toBe(true)
    const stranger = newAgent()
    await stranger.navigate(`${spUrl}/oidc/frontchannel-logout`)
    expect((await apiSession(agent)).signedIn).toBe(true)
    const own = await agent.navigate(`${spUrl}/oidc/frontchannel-logout`)
    expect(own.headers.get('content-security-policy')).toBe(`frame-ancestors 'self' ${idpUrl}`)
    expect((await apiSession(agent)).signedIn).toBe(false)
  })
})
