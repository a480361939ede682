import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { type Credential, createCredential } from '../../core/keys/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { bindings, statusCodes } from '../../core/saml/constants.ts'
import {
  buildLogoutRequest,
  buildLogoutResponse,
  readLogoutResponse,
} from '../../core/saml/logout.ts'
import { parseIdpMetadata } from '../../core/saml/metadata.ts'
import { decodeRedirect, encodeRedirect } from '../../core/saml/redirect.ts'
import { parseXml } from '../../core/xml/index.ts'
import { type Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import { registrationFromMetadata } from '../../idp/service-providers/from-metadata.ts'
import type { SpRegistrationInput } from '../../idp/service-providers/registration.ts'
import { createSp } from '../../sp/create-sp.tsx'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'
import { readPage } from '../fixtures/read-page.ts'
import { formToken } from '../fixtures/visitor.ts'

// The user agent shares cookies across ports of one host, as browsers do, and both SPs name
// their session cookie alike: the second SP gets a host of its own.
const sp2Url = 'http://localhost:7200'
const sp1EntityId = `${spUrl}/saml/metadata`
const sp2EntityId = `${sp2Url}/saml/metadata`

let sp2Credential: Promise<Credential> | undefined

/**
 * The built-in IdP and SP, plus a second reference SP registered at the IdP from its metadata.
 * SP2 takes IdP-initiated sign-in: it sits on another site, where the SP-initiated request
 * cookie (SameSite=Lax over http) would not come back with the IdP's cross-site POST.
 */
async function createWorld(sp2Registration: Partial<SpRegistrationInput> = {}) {
  const pair = await createInProcessPair()
  const idpMetadata = parseIdpMetadata(pair.idp.metadata())
  sp2Credential ??= createCredential({ commonName: 'second SP', clock: createManualClock() })
  const sp2 = createSp({
    baseUrl: sp2Url,
    credential: await sp2Credential,
    idp: {
      entityId: idpMetadata.entityId,
      ssoUrl: `${idpUrl}/saml/sso`,
      certificates: idpMetadata.signingCertificates,
      sloUrl: `${idpUrl}/saml/slo`,
    },
    allowUnsolicited: true,
    clock: pair.clock,
    random: createSeededRandom('second-sp'),
    log: (line) => pair.log.push(line),
  })
  pair.idp.serviceProviders.register(registrationFromMetadata(sp2.metadata(), sp2Registration))
  const agent = () =>
    new UserAgent({
      origins: {
        [idpUrl]: pair.idp.app.fetch,
        [spUrl]: pair.sp.app.fetch,
        [sp2Url]: sp2.app.fetch,
      },
    })
  return { ...pair, sp2, agent }
}

/** Signs alice in at SP1 (login form), then at SP2 through the IdP session (no form). */
async function signInAtBoth(agent: UserAgent) {
  const login = await agent.navigate(`${spUrl}/login`)
  expect(login.document.querySelector('#login-form')).not.toBeNull()
  await agent.submit(
    login,
    '#login-form',
    { username: 'alice' },
    { name: 'action', value: 'login' },
  )
  const atSp2 = await agent.navigate(
    `${idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(sp2EntityId)}`,
  )
  expect(atSp2.url).toBe(`${sp2Url}/`)
  expect(atSp2.document.querySelector('#user-name')?.text).toBe('Alice Andersen')
  expect(await signedIn(agent, spUrl)).toBe(true)
  expect(await signedIn(agent, sp2Url)).toBe(true)
}

async function signedIn(agent: UserAgent, base: string): Promise<boolean> {
  const page = await agent.request(`${base}/api/session`)
  return (JSON.parse(page.html) as { signedIn: boolean }).signedIn
}

/** A new sign-in at SP1 shows the IdP's login form when, and only when, the IdP session is gone. */
async function idpAsksForCredentials(agent: UserAgent): Promise<boolean> {
  const page = await agent.navigate(`${spUrl}/login`)
  return page.document.querySelector('#login-form') !== null
}

function redirectedMessage(page: Page, param: 'SAMLRequest' | 'SAMLResponse') {
  const location = page.headers.get('location') ?? ''
  return { location, ...decodeRedirect(location.slice(location.indexOf('?') + 1), param) }
}

/** The requests of the last navigation, as `METHOD origin/path` — no query strings. */
function hops(agent: UserAgent, from: number): string[] {
  return agent.history.slice(from).map((hop) => `${hop.method} ${hop.url.split('?')[0]}`)
}

describe('SP-initiated single logout with two SPs sharing one IdP session', () => {
  it('logs out of SP1, the IdP and SP2, and SP1 shows "signed out"', async () => {
    const { agent: newAgent, idp } = await createWorld()
    const agent = newAgent()
    await signInAtBoth(agent)
    expect(idp.sessions.forUser('alice')[0]?.participants.map((p) => p.spEntityId)).toEqual([
      sp1EntityId,
      sp2EntityId,
    ])

    const start = agent.history.length
    const home = await agent.navigate(`${spUrl}/`)
    const done = await agent.submit(home, 'form[action="/logout"]')
    expect(hops(agent, start + 1)).toEqual([
      `POST ${spUrl}/logout`,
      `GET ${idpUrl}/saml/slo`,
      `GET ${sp2Url}/saml/slo`,
      `GET ${idpUrl}/saml/slo`,
      `GET ${spUrl}/saml/slo`,
    ])
    expect(done.status).toBe(200)
    expect(done.document.querySelector('#signed-out')?.text).toBe('You are signed out')

    expect(await signedIn(agent, spUrl)).toBe(false)
    expect(await signedIn(agent, sp2Url)).toBe(false)
    expect(idp.sessions.forUser('alice')).toEqual([])
    expect(await idpAsksForCredentials(agent)).toBe(true)
  })

  it('sends a signed LogoutRequest with the session’s NameID and SessionIndex', async () => {
    const { agent: newAgent, idp } = await createWorld()
    const agent = newAgent()
    await signInAtBoth(agent)
    const sessionIndex = idp.sessions.forUser('alice')[0]?.sessionIndex
    const home = await agent.navigate(`${spUrl}/`)
    const logout = await agent.request(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: home.url,
    })
    expect(logout.status).toBe(302)
    const sent = redirectedMessage(logout, 'SAMLRequest')
    expect(sent.location.startsWith(`${idpUrl}/saml/slo?SAMLRequest=`)).toBe(true)
    expect(sent.signature?.sigAlg).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')
    expect(sent.xml).toContain(`Destination="${idpUrl}/saml/slo"`)
    expect(sent.xml).toContain(`<saml:Issuer>${sp1EntityId}</saml:Issuer>`)
    expect(sent.xml).toContain('>alice</saml:NameID>')
    expect(sent.xml).toContain(`<samlp:SessionIndex>${sessionIndex}</samlp:SessionIndex>`)
    expect(sent.xml).toMatch(/NotOnOrAfter="2030-01-01T12:10:00Z"/)
    // The SP session is over before the IdP has answered.
    expect(await signedIn(agent, spUrl)).toBe(false)
  })

  it('answers SP1 with Responder/PartialLogout when SP2 cannot be reached, and SP1 says so', async () => {
    const { agent: newAgent } = await createWorld({ singleLogoutServices: [] })
    const agent = newAgent()
    await signInAtBoth(agent)
    const page = await agent.submit(await agent.navigate(`${spUrl}/`), 'form[action="/logout"]')
    expect(page.status).toBe(403)
    expect(page.document.querySelector('#error-code')?.text).toBe('SAML_LOGOUT_STATUS_NOT_SUCCESS')
    expect(page.html).toContain(statusCodes.partialLogout)
    // SP1 and the IdP are signed out all the same; SP2 never heard of it.
    expect(await signedIn(agent, spUrl)).toBe(false)
    expect(await signedIn(agent, sp2Url)).toBe(true)
    expect(await idpAsksForCredentials(agent)).toBe(true)
  })
})

describe('IdP-initiated single logout', () => {
  it('the IdP’s sign-out button logs the browser out of both SPs and the IdP', async () => {
    const { agent: newAgent } = await createWorld()
    const agent = newAgent()
    await signInAtBoth(agent)
    const page = await agent.navigate(`${idpUrl}/logout`)
    expect(page.document.querySelector('#user-id')?.text).toBe('alice')
    expect(
      page.document.querySelectorAll('#participants li code').map((code) => code.text),
    ).toEqual([sp1EntityId, sp2EntityId])
    const start = agent.history.length
    const done = await agent.submit(page, '#logout-form')
    expect(hops(agent, start)).toEqual([
      `POST ${idpUrl}/logout`,
      `GET ${spUrl}/saml/slo`,
      `GET ${idpUrl}/saml/slo`,
      `GET ${sp2Url}/saml/slo`,
      `GET ${idpUrl}/saml/slo`,
    ])
    expect(done.status).toBe(200)
    expect(done.document.querySelector('#status')?.text).toBe('You are signed out')
    expect(done.document.querySelectorAll('#confirmed li code').map((code) => code.text)).toEqual([
      sp1EntityId,
      sp2EntityId,
    ])
    expect(done.document.querySelector('#failed')).toBeNull()

    expect(await signedIn(agent, spUrl)).toBe(false)
    expect(await signedIn(agent, sp2Url)).toBe(false)
    expect(await idpAsksForCredentials(agent)).toBe(true)
    expect((await agent.navigate(`${idpUrl}/logout`)).document.querySelector('#status')?.text).toBe(
      'You are not signed in at this identity provider.',
    )
  })

  it('speaks HTTP-POST to an SP that registered only an HTTP-POST SingleLogoutService', async () => {
    const { agent: newAgent } = await createWorld({
      singleLogoutServices: [{ location: `${sp2Url}/saml/slo`, binding: bindings.post }],
    })
    const agent = newAgent()
    await signInAtBoth(agent)
    // SP2 starts: its request goes by redirect; the IdP's LogoutResponse comes back by POST.
    const start = agent.history.length
    const done = await agent.submit(await agent.navigate(`${sp2Url}/`), 'form[action="/logout"]')
    expect(hops(agent, start + 1)).toEqual([
      `POST ${sp2Url}/logout`,
      `GET ${idpUrl}/saml/slo`,
      `GET ${spUrl}/saml/slo`,
      `GET ${idpUrl}/saml/slo`,
      `POST ${sp2Url}/saml/slo`,
    ])
    expect(done.document.querySelector('#signed-out')).not.toBeNull()
    expect(await signedIn(agent, spUrl)).toBe(false)
    expect(await signedIn(agent, sp2Url)).toBe(false)

    // IdP-initiated: the IdP's LogoutRequest reaches SP2 as a signed, self-submitting form.
    await signInAtBoth(agent)
    const from = agent.history.length
    const page = await agent.navigate(`${idpUrl}/logout`)
    const out = await agent.submit(page, '#logout-form')
    expect(hops(agent, from + 1).at(-2)).toBe(`POST ${sp2Url}/saml/slo`)
    expect(out.document.querySelectorAll('#confirmed li')).toHaveLength(2)
    expect(await signedIn(agent, sp2Url)).toBe(false)
  })

  it('POST /admin/logout ends the IdP session and hands out one LogoutRequest per SP', async () => {
    const { agent: newAgent, idp } = await createWorld()
    const browser = newAgent()
    await signInAtBoth(browser)

    const answer = await idp.app.request('/admin/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice' }),
    })
    expect(answer.status).toBe(200)
    const body = (await answer.json()) as {
      endedSessions: number
      logoutRequests: { serviceProvider: string; binding: string; url: string }[]
      unreachable: string[]
    }
    expect(body.endedSessions).toBe(1)
    expect(body.unreachable).toEqual([])
    expect(body.logoutRequests.map((r) => [r.serviceProvider, r.binding])).toEqual([
      [sp1EntityId, 'redirect'],
      [sp2EntityId, 'redirect'],
    ])
    const admin = decodeRedirect(body.logoutRequests[0]?.url.split('?')[1] ?? '', 'SAMLRequest')
    expect(admin.xml).toContain('Reason="urn:oasis:names:tc:SAML:2.0:logout:admin"')
    expect(await idpAsksForCredentials(newAgent())).toBe(true)

    // The SPs match by NameID and SessionIndex, not by cookie: a script without the browser's
    // cookies delivers them, and the IdP checks each SP's signed LogoutResponse.
    for (const request of body.logoutRequests) {
      const script = newAgent()
      const confirmed = await script.navigate(request.url)
      expect(script.history.map((hop) => hop.url.split('?')[0])).toEqual([
        request.url.split('?')[0],
        `${idpUrl}/saml/slo`,
      ])
      expect(confirmed.status).toBe(200)
      expect(confirmed.document.querySelector('#confirmed')?.text).toContain(
        request.serviceProvider,
      )
    }
    expect(await signedIn(browser, spUrl)).toBe(false)
    expect(await signedIn(browser, sp2Url)).toBe(false)
    expect(await idpAsksForCredentials(browser)).toBe(true)
  })

  it('an SP without the IdP Log Out URL refuses the IdP LogoutRequest it cannot answer (SAML_LOGOUT_ENDPOINT_MISSING)', async () => {
    const { agent: newAgent, idp, sp2 } = await createWorld()
    await signInAtBoth(newAgent())
    const answer = await idp.app.request('/admin/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice' }),
    })
    const { logoutRequests } = (await answer.json()) as {
      logoutRequests: { serviceProvider: string; url: string }[]
    }
    const toSp2 = logoutRequests.find((request) => request.serviceProvider === sp2EntityId)
    expect(toSp2).toBeDefined()
    // The same SP, restarted without the IdP's SingleLogoutService URL.
    const idpSettings = sp2.options.idp
    if (!idpSettings) throw new Error('SP2 is configured with its IdP')
    const { sloUrl: _, ...idpWithoutSlo } = idpSettings
    const deaf = createSp({ ...sp2.options, idp: idpWithoutSlo })
    const page = await readPage(await deaf.app.request(toSp2?.url ?? ''))
    expect([page.status, page.code]).toEqual([403, 'SAML_LOGOUT_ENDPOINT_MISSING'])
  })

  it('POST /admin/logout refuses a body without userId (CONFIG_INVALID)', async () => {
    const { idp } = await createWorld()
    const answer = await idp.app.request('/admin/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice' }),
    })
    expect(answer.status).toBe(400)
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('CONFIG_INVALID')
  })
})

describe('single logout rejections', () => {
  async function signedInWorld() {
    const world = await createWorld()
    const agent = world.agent()
    await signInAtBoth(agent)
    const session = world.idp.sessions.forUser('alice')[0]
    if (!session) throw new Error('no IdP session')
    return { ...world, agent, sessionIndex: session.sessionIndex }
  }

  function logoutRequestXml(overrides: Partial<Parameters<typeof buildLogoutRequest>[0]>) {
    return buildLogoutRequest({
      id: '_crafted-logout-request',
      issueInstant: Date.parse('2030-01-01T12:00:00Z'),
      destination: `${idpUrl}/saml/slo`,
      issuer: sp1EntityId,
      nameId: 'alice',
      sessionIndexes: [],
      ...overrides,
    })
  }

  it('the IdP refuses an unsigned LogoutRequest from an SP with certificates, and nothing ends', async () => {
    const { agent, sessionIndex } = await signedInWorld()
    const url = encodeRedirect({
      endpoint: `${idpUrl}/saml/slo`,
      param: 'SAMLRequest',
      xml: logoutRequestXml({ sessionIndexes: [sessionIndex] }),
    })
    const page = await readPage(await agentFetch(agent, url))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_LOGOUT_SIGNATURE_MISSING')
    expect(await signedIn(agent, sp2Url)).toBe(true)
    expect(await idpAsksForCredentials(agent)).toBe(false)
  })

  it('the IdP refuses a LogoutRequest signed with a key the SP did not register', async () => {
    const { agent, keys, sessionIndex } = await signedInWorld()
    const url = encodeRedirect({
      endpoint: `${idpUrl}/saml/slo`,
      param: 'SAMLRequest',
      xml: logoutRequestXml({ sessionIndexes: [sessionIndex] }),
      signingKeyPem: keys.other.privateKeyPem,
    })
    const page = await readPage(await agentFetch(agent, url))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_LOGOUT_SIGNATURE_INVALID')
    // A signed query whose message was swapped afterwards fails the same way.
    const genuine = encodeRedirect({
      endpoint: `${idpUrl}/saml/slo`,
      param: 'SAMLRequest',
      xml: logoutRequestXml({ sessionIndexes: [sessionIndex] }),
      signingKeyPem: keys.sp.privateKeyPem,
    })
    const swapped = encodeRedirect({
      endpoint: `${idpUrl}/saml/slo`,
      param: 'SAMLRequest',
      xml: logoutRequestXml({ nameId: 'bob' }),
    })
    const tampered = `${swapped}${genuine.slice(genuine.indexOf('&SigAlg='))}`
    expect((await readPage(await agentFetch(agent, tampered))).code).toBe(
      'SAML_LOGOUT_SIGNATURE_INVALID',
    )
    expect(await idpAsksForCredentials(agent)).toBe(false)
  })

  it('the IdP answers an unknown SessionIndex or NameID with Requester/UnknownPrincipal and ends nothing', async () => {
    const { agent, keys, sessionIndex } = await signedInWorld()
    for (const overrides of [
      { sessionIndexes: ['_not-a-session'] },
      { nameId: 'bob', sessionIndexes: [sessionIndex] },
      { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' },
    ]) {
      const url = encodeRedirect({
        endpoint: `${idpUrl}/saml/slo`,
        param: 'SAMLRequest',
        xml: logoutRequestXml(overrides),
        signingKeyPem: keys.sp.privateKeyPem,
        relayState: 'rs-1',
      })
      const answer = await agent.request(url)
      expect(answer.status).toBe(302)
      const sent = redirectedMessage(answer, 'SAMLResponse')
      expect(sent.location.startsWith(`${spUrl}/saml/slo?SAMLResponse=`)).toBe(true)
      expect(sent.relayState).toBe('rs-1')
      expect(sent.signature).toBeDefined()
      const response = readLogoutResponse(parseXml(sent.xml))
      expect(response.inResponseTo).toBe('_crafted-logout-request')
      expect(response.status.code).toBe(statusCodes.requester)
      expect(response.status.subCode).toBe(statusCodes.unknownPrincipal)
    }
    expect(await signedIn(agent, spUrl)).toBe(true)
    expect(await signedIn(agent, sp2Url)).toBe(true)
    expect(await idpAsksForCredentials(agent)).toBe(false)
  })

  it('the IdP refuses an expired LogoutRequest, a foreign Destination and an unknown Issuer', async () => {
    const { agent, keys, clock, sessionIndex } = await signedInWorld()
    const cases: [Partial<Parameters<typeof buildLogoutRequest>[0]>, string][] = [
      [
        { notOnOrAfter: clock.now() - 61_000, sessionIndexes: [sessionIndex] },
        'SAML_LOGOUT_EXPIRED',
      ],
      [{ destination: `${idpUrl}/elsewhere` }, 'SAML_LOGOUT_DESTINATION_MISMATCH'],
      [{ issuer: 'https://stranger.example.com' }, 'SAML_LOGOUT_ISSUER_UNKNOWN'],
    ]
    for (const [overrides, code] of cases) {
      const url = encodeRedirect({
        endpoint: `${idpUrl}/saml/slo`,
        param: 'SAMLRequest',
        xml: logoutRequestXml(overrides),
        signingKeyPem: keys.sp.privateKeyPem,
      })
      const page = await readPage(await agentFetch(agent, url))
      expect(page.code).toBe(code)
      expect(page.status).toBe(403)
    }
    expect(await idpAsksForCredentials(agent)).toBe(false)
  })

  it('the IdP refuses a LogoutResponse that answers no request it sent (SAML_LOGOUT_UNKNOWN_REQUEST)', async () => {
    const { agent, keys } = await signedInWorld()
    const url = encodeRedirect({
      endpoint: `${idpUrl}/saml/slo`,
      param: 'SAMLResponse',
      xml: buildLogoutResponse({
        id: '_crafted-response',
        issueInstant: Date.parse('2030-01-01T12:00:00Z'),
        destination: `${idpUrl}/saml/slo`,
        inResponseTo: '_never-sent',
        issuer: sp1EntityId,
        status: { code: statusCodes.success },
      }),
      signingKeyPem: keys.sp.privateKeyPem,
    })
    const page = await readPage(await agentFetch(agent, url))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_LOGOUT_UNKNOWN_REQUEST')
  })

  it('the SP refuses a LogoutResponse with an unknown InResponseTo, and a replayed one', async () => {
    const { agent, keys } = await signedInWorld()
    const crafted = encodeRedirect({
      endpoint: `${spUrl}/saml/slo`,
      param: 'SAMLResponse',
      xml: buildLogoutResponse({
        id: '_crafted-response',
        issueInstant: Date.parse('2030-01-01T12:00:00Z'),
        destination: `${spUrl}/saml/slo`,
        inResponseTo: '_never-sent',
        issuer: `${idpUrl}/saml/metadata`,
        status: { code: statusCodes.success },
      }),
      signingKeyPem: keys.idp.privateKeyPem,
    })
    const unknown = await readPage(await agentFetch(agent, crafted))
    expect(unknown.status).toBe(403)
    expect(unknown.code).toBe('SAML_LOGOUT_UNKNOWN_REQUEST')
    // A logout that fails is titled as one, not as a sign-in.
    expect(unknown.document.querySelector('h1')?.text).toBe('Logout failed')
    expect(unknown.document.querySelector('title')?.text).toContain('Logout failed')

    await agent.submit(await agent.navigate(`${spUrl}/`), 'form[action="/logout"]')
    const last = agent.history.at(-1)
    expect(last?.url.startsWith(`${spUrl}/saml/slo?SAMLResponse=`)).toBe(true)
    const replayed = await readPage(await agentFetch(agent, last?.url ?? ''))
    expect(replayed.code).toBe('SAML_LOGOUT_UNKNOWN_REQUEST')
  })

  it('the SP refuses an unsigned or badly signed LogoutResponse, and the genuine one still works', async () => {
    const { agent, keys } = await signedInWorld()
    const home = await agent.navigate(`${spUrl}/`)
    const logout = await agent.request(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: home.url,
    })
    const requestId = /ID="([^"]+)"/.exec(redirectedMessage(logout, 'SAMLRequest').xml)?.[1] ?? ''
    const response = (signingKeyPem?: string) =>
      encodeRedirect({
        endpoint: `${spUrl}/saml/slo`,
        param: 'SAMLResponse',
        xml: buildLogoutResponse({
          id: '_idp-response',
          issueInstant: Date.parse('2030-01-01T12:00:00Z'),
          destination: `${spUrl}/saml/slo`,
          inResponseTo: requestId,
          issuer: `${idpUrl}/saml/metadata`,
          status: { code: statusCodes.success },
        }),
        ...(signingKeyPem ? { signingKeyPem } : {}),
      })
    expect((await readPage(await agentFetch(agent, response()))).code).toBe(
      'SAML_LOGOUT_SIGNATURE_MISSING',
    )
    expect((await readPage(await agentFetch(agent, response(keys.other.privateKeyPem)))).code).toBe(
      'SAML_LOGOUT_SIGNATURE_INVALID',
    )
    const genuine = await agent.navigate(response(keys.idp.privateKeyPem))
    expect(genuine.document.querySelector('#signed-out')).not.toBeNull()
  })

  // Found by the interop lab: one SP's bad answer used to end the logout on a 403 page, leaving
  // every SP after it signed in.
  it('an unsigned, badly signed or foreign LogoutResponse counts that SP as failed; the logout goes on', async () => {
    const variants = [
      { code: 'SAML_LOGOUT_SIGNATURE_MISSING', issuer: sp1EntityId, key: undefined },
      { code: 'SAML_LOGOUT_SIGNATURE_INVALID', issuer: sp1EntityId, key: 'other' },
      { code: 'SAML_LOGOUT_ISSUER_UNKNOWN', issuer: sp2EntityId, key: 'sp' },
    ] as const
    for (const variant of variants) {
      const { agent, keys, log } = await signedInWorld()
      const page = await agent.navigate(`${idpUrl}/logout`)
      const toSp1 = await agent.request(`${idpUrl}/logout`, {
        method: 'POST',
        form: { form_token: await formToken(agent) },
        from: page.url,
      })
      const sent = redirectedMessage(toSp1, 'SAMLRequest')
      expect(sent.location.startsWith(`${spUrl}/saml/slo?SAMLRequest=`)).toBe(true)
      const response = encodeRedirect({
        endpoint: `${idpUrl}/saml/slo`,
        param: 'SAMLResponse',
        xml: buildLogoutResponse({
          id: '_sp-response',
          issueInstant: Date.parse('2030-01-01T12:00:00Z'),
          destination: `${idpUrl}/saml/slo`,
          inResponseTo: /ID="([^"]+)"/.exec(sent.xml)?.[1] ?? '',
          issuer: variant.issuer,
          status: { code: statusCodes.success },
        }),
        ...(variant.key ? { signingKeyPem: keys[variant.key].privateKeyPem } : {}),
      })
      const done = await agent.navigate(response, { from: `${spUrl}/saml/slo` })
      expect(log.some((line) => line.includes(`refused: ${variant.code}`))).toBe(true)
      const listed = (id: string) =>
        done.document.querySelectorAll(`#${id} li code`).map((code) => code.text)
      expect(listed('confirmed')).toEqual([sp2EntityId])
      expect(listed('failed')).toEqual([sp1EntityId])
      expect(await signedIn(agent, sp2Url)).toBe(false)
      // The flow is used up: the genuine answer, late, answers nothing the IdP waits on.
      expect((await readPage(await agentFetch(agent, response))).code).toBe(
        'SAML_LOGOUT_UNKNOWN_REQUEST',
      )
    }
  })

  it('the SP refuses an unsigned or badly signed IdP LogoutRequest and keeps the session', async () => {
    const { agent, keys, sessionIndex } = await signedInWorld()
    const xml = buildLogoutRequest({
      id: '_idp-request',
      issueInstant: Date.parse('2030-01-01T12:00:00Z'),
      destination: `${spUrl}/saml/slo`,
      issuer: `${idpUrl}/saml/metadata`,
      nameId: 'alice',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      sessionIndexes: [sessionIndex],
    })
    const unsigned = encodeRedirect({ endpoint: `${spUrl}/saml/slo`, param: 'SAMLRequest', xml })
    expect((await readPage(await agentFetch(agent, unsigned))).code).toBe(
      'SAML_LOGOUT_SIGNATURE_MISSING',
    )
    const forged = encodeRedirect({
      endpoint: `${spUrl}/saml/slo`,
      param: 'SAMLRequest',
      xml,
      signingKeyPem: keys.other.privateKeyPem,
    })
    const page = await readPage(await agentFetch(agent, forged))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_LOGOUT_SIGNATURE_INVALID')
    expect(await signedIn(agent, spUrl)).toBe(true)

    // The same request signed by the IdP ends the session.
    const genuine = encodeRedirect({
      endpoint: `${spUrl}/saml/slo`,
      param: 'SAMLRequest',
      xml,
      signingKeyPem: keys.idp.privateKeyPem,
    })
    const answer = await agent.request(genuine)
    const response = readLogoutResponse(parseXml(redirectedMessage(answer, 'SAMLResponse').xml))
    expect(response.status.code).toBe(statusCodes.success)
    expect(await signedIn(agent, spUrl)).toBe(false)
  })

  it('the SP answers an IdP LogoutRequest for an unknown SessionIndex with UnknownPrincipal and keeps the session', async () => {
    const { agent, keys } = await signedInWorld()
    const url = encodeRedirect({
      endpoint: `${spUrl}/saml/slo`,
      param: 'SAMLRequest',
      xml: buildLogoutRequest({
        id: '_idp-request',
        issueInstant: Date.parse('2030-01-01T12:00:00Z'),
        destination: `${spUrl}/saml/slo`,
        issuer: `${idpUrl}/saml/metadata`,
        nameId: 'alice',
        sessionIndexes: ['_not-a-session'],
      }),
      signingKeyPem: keys.idp.privateKeyPem,
    })
    const answer = await agent.request(url)
    expect(answer.status).toBe(302)
    const sent = redirectedMessage(answer, 'SAMLResponse')
    expect(sent.location.startsWith(`${idpUrl}/saml/slo?SAMLResponse=`)).toBe(true)
    const response = readLogoutResponse(parseXml(sent.xml))
    expect(response.inResponseTo).toBe('_idp-request')
    expect(response.issuer).toBe(sp1EntityId)
    expect(response.status).toMatchObject({
      code: statusCodes.requester,
      subCode: statusCodes.unknownPrincipal,
    })
    expect(await signedIn(agent, spUrl)).toBe(true)
  })
})

describe('SingleLogoutService input that is not a logout message', () => {
  it('answers with a 4xx page and a stable code at both sides, never a 5xx', async () => {
    const { idp, sp, sp2 } = await createWorld()
    const authnRequest = Buffer.from(
      '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0" IssueInstant="2030-01-01T12:00:00Z"/>',
    ).toString('base64')
    const post = (form: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
    const cases: [RequestInit | undefined, string, number][] = [
      [undefined, 'SAML_MESSAGE_MISSING', 400],
      [post({ SAMLRequest: authnRequest }), 'SAML_LOGOUT_REQUEST_INVALID', 400],
      [post({ SAMLResponse: authnRequest }), 'SAML_LOGOUT_RESPONSE_INVALID', 400],
      [post({ SAMLRequest: 'not base64!' }), 'SAML_BINDING_INVALID', 400],
      [
        post({ SAMLRequest: authnRequest, SAMLResponse: authnRequest }),
        'SAML_BINDING_INVALID',
        400,
      ],
      [
        post({ SAMLRequest: Buffer.from('<!DOCTYPE x><x/>').toString('base64') }),
        'XML_DOCTYPE_FORBIDDEN',
        400,
      ],
    ]
    for (const app of [idp.app, sp.app, sp2.app]) {
      for (const [init, code, status] of cases) {
        const page = await readPage(await app.request('/saml/slo', init))
        expect([page.code, page.status]).toEqual([code, status])
      }
    }
  })
})

/** One GET through the agent (cookies included), as the raw Response for readPage. */
async function agentFetch(agent: UserAgent, url: string): Promise<Response> {
  const page = await agent.request(url)
  return new Response(page.html, { status: page.status, headers: page.headers })
}
