import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startServe } from '../../cli/serve.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { artifactSourceId, encodeArtifact, parseArtifact } from '../../core/saml/artifact.ts'
import { soapContentType, soapFault } from '../../core/saml/soap.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { registrationFromMetadata } from '../../idp/service-providers/from-metadata.ts'
import { createSp } from '../../sp/create-sp.tsx'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'

type Pair = Awaited<ReturnType<typeof createInProcessPair>>
type Agent = ReturnType<Pair['agent']>

const artifactPair = (overrides: Parameters<typeof createInProcessPair>[0] = {}) =>
  createInProcessPair({ spRegistration: { responseBinding: 'artifact' }, ...overrides })

const errorCodeOf = (page: { document: { querySelector(s: string): { text: string } | null } }) =>
  page.document.querySelector('#error-code')?.text

async function signedInName(agent: Agent, base = spUrl) {
  return (await agent.navigate(`${base}/`)).document.querySelector('#user-name')?.text ?? null
}

/**
 * Drives an SP-initiated sign-in up to the IdP's redirect to the ACS and stops there: the
 * SAMLart URL the browser would follow next. A headless sign-in (admin API) skips the form.
 */
async function artifactRedirect(pair: Pair, agent: Agent, returnUrl = '/') {
  const queued = await pair.idp.app.request('/admin/next-login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'alice' }),
  })
  expect(queued.status).toBe(202)
  const toIdp = await agent.request(`${spUrl}/login?return_url=${encodeURIComponent(returnUrl)}`)
  const atIdp = await agent.request(toIdp.headers.get('location') ?? '', { from: `${spUrl}/` })
  expect(atIdp.status).toBe(302)
  const acs = new URL(atIdp.headers.get('location') ?? '')
  expect(`${acs.origin}${acs.pathname}`).toBe(`${spUrl}/saml/acs`)
  return acs
}

describe('SAML sign-in by HTTP-Artifact, in-process', () => {
  it('signs in with redirect delivery: SAMLart by GET, the Response fetched over SOAP', async () => {
    const pair = await artifactPair()
    const agent = pair.agent()
    const login = await agent.navigate(`${spUrl}/login?return_url=/account`)
    await agent.submit(
      login,
      '#login-form',
      { username: 'alice' },
      { name: 'action', value: 'login' },
    )

    const acsVisit = agent.history.find((entry) => entry.url.startsWith(`${spUrl}/saml/acs`))
    expect(acsVisit?.method).toBe('GET')
    expect(acsVisit?.status).toBe(303)
    const acsUrl = new URL(acsVisit?.url ?? '')
    const samlart = acsUrl.searchParams.get('SAMLart') ?? ''
    expect(parseArtifact(samlart).sourceId).toEqual(artifactSourceId(`${idpUrl}/saml/metadata`))
    expect(acsUrl.searchParams.get('RelayState')).toBe('/account')
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/account`)
    expect(await signedInName(agent)).toBe('Alice Andersen')

    expect(pair.log).toContain(`IdP artifact resolved by ${spUrl}/saml/metadata`)
    expect(pair.log.join('\n')).not.toContain(samlart)
    expect(pair.log.join('\n')).not.toContain('<samlp:')
  })

  it('signs in with POST delivery: SAMLart in a self-submitting form', async () => {
    const pair = await artifactPair({
      spRegistration: { responseBinding: 'artifact', artifactDelivery: 'post' },
    })
    const idpAnswers: string[] = []
    const agent = new UserAgent({
      origins: {
        [idpUrl]: async (request) => {
          const response = await pair.idp.app.fetch(request)
          idpAnswers.push(await response.clone().text())
          return response
        },
        [spUrl]: pair.sp.app.fetch,
      },
    })
    const login = await agent.navigate(`${spUrl}/login?return_url=/orders`)
    await agent.submit(
      login,
      '#login-form',
      { username: 'bob' },
      { name: 'action', value: 'login' },
    )

    const acsVisit = agent.history.find((entry) => entry.url === `${spUrl}/saml/acs`)
    expect(acsVisit).toEqual({ method: 'POST', url: `${spUrl}/saml/acs`, status: 303 })
    const form = idpAnswers.at(-1) ?? ''
    expect(form).toMatch(/name="SAMLart" value="[A-Za-z0-9+/=]{60}"/)
    expect(form).toContain('name="RelayState" value="/orders"')
    expect(form).not.toContain('SAMLResponse')
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/orders`)
    expect(await signedInName(agent)).toBe('Bob Brown')
  })

  it('publishes the bindings in metadata on both sides', async () => {
    const pair = await artifactPair()
    expect(pair.idp.metadata()).toMatch(
      /<md:ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:SOAP" Location="http:\/\/127\.0\.0\.1:7000\/saml\/artifact" index="0" isDefault="true"\/>/,
    )
    expect(pair.sp.metadata()).toContain(
      `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="${spUrl}/saml/acs" index="1"/>`,
    )
    expect(pair.sp.config.idp.artifactResolutionUrl).toBe(`${idpUrl}/saml/artifact`)
  })

  it('resolves an artifact once: a replay signs nobody in and shows SAML_ARTIFACT_NOT_RESOLVED', async () => {
    const pair = await artifactPair()
    const agent = pair.agent()
    const acs = await artifactRedirect(pair, agent)
    await agent.navigate(acs.toString(), { from: `${idpUrl}/` })
    expect(await signedInName(agent)).toBe('Alice Andersen')

    const thief = pair.agent()
    const replayed = await thief.navigate(acs.toString(), { from: `${idpUrl}/` })
    expect(replayed.status).toBe(403)
    expect(errorCodeOf(replayed)).toBe('SAML_ARTIFACT_NOT_RESOLVED')
    expect(await signedInName(thief)).toBeNull()
    expect(pair.log).toContain(
      `IdP artifact resolve by ${spUrl}/saml/metadata: no message, IDP_ARTIFACT_UNKNOWN (unknown, already used or expired)`,
    )
  })

  it('lets an artifact expire after 60 s on the injected clock', async () => {
    const pair = await artifactPair()
    const agent = pair.agent()
    const acs = await artifactRedirect(pair, agent)
    pair.clock.advance('60s')
    const late = await agent.navigate(acs.toString(), { from: `${idpUrl}/` })
    expect(late.status).toBe(403)
    expect(errorCodeOf(late)).toBe('SAML_ARTIFACT_NOT_RESOLVED')
    expect(await signedInName(agent)).toBeNull()

    const inTime = await artifactPair()
    const punctual = inTime.agent()
    const fresh = await artifactRedirect(inTime, punctual)
    inTime.clock.advance('59s')
    await punctual.navigate(fresh.toString(), { from: `${idpUrl}/` })
    expect(await signedInName(punctual)).toBe('Alice Andersen')
  })

  it('gives nothing to another registered SP that resolves the artifact, and burns it', async () => {
    const pair = await artifactPair()
    const otherUrl = 'http://127.0.0.1:7200'
    const soapAnswers: string[] = []
    const other = createSp({
      baseUrl: otherUrl,
      credential: pair.keys.other,
      idp: pair.sp.config.idp,
      clock: pair.clock,
      random: createSeededRandom('other-sp'),
      log: (line) => pair.log.push(line),
      fetch: async (input, init) => {
        const response = await pair.idp.app.fetch(new Request(input, init))
        soapAnswers.push(await response.clone().text())
        return response
      },
    })
    pair.idp.serviceProviders.register(registrationFromMetadata(other.metadata()))

    const agent = pair.agent()
    const acs = await artifactRedirect(pair, agent)
    const stolen = new URL(`${otherUrl}/saml/acs${acs.search}`)
    const thief = new UserAgent({ origins: { [otherUrl]: other.app.fetch } })
    const refused = await thief.navigate(stolen.toString())
    expect(refused.status).toBe(403)
    expect(errorCodeOf(refused)).toBe('SAML_ARTIFACT_NOT_RESOLVED')

    const answer = soapAnswers.at(-1) ?? ''
    expect(answer).toContain('<samlp:ArtifactResponse')
    expect(answer).toContain('Value="urn:oasis:names:tc:SAML:2.0:status:Success"')
    expect(answer).not.toContain('samlp:Response ')
    expect(answer).not.toContain('saml:Assertion')
    expect(pair.log).toContain(
      `IdP artifact resolve by ${otherUrl}/saml/metadata: no message, IDP_ARTIFACT_OTHER_REQUESTER (the artifact was issued to another SP)`,
    )

    const owner = await agent.navigate(acs.toString(), { from: `${idpUrl}/` })
    expect(errorCodeOf(owner)).toBe('SAML_ARTIFACT_NOT_RESOLVED')
  })

  it('refuses an artifact from an unknown source before asking anybody', async () => {
    const pair = await artifactPair()
    const samlart = encodeArtifact({
      endpointIndex: 0,
      sourceId: artifactSourceId('https://another-idp.example/metadata'),
      messageHandle: createSeededRandom('foreign').bytes(20),
    })
    const agent = pair.agent()
    const page = await agent.navigate(`${spUrl}/saml/acs?SAMLart=${encodeURIComponent(samlart)}`)
    expect(page.status).toBe(403)
    expect(errorCodeOf(page)).toBe('SAML_ARTIFACT_UNKNOWN_SOURCE')
    expect(pair.log.some((line) => line.startsWith('IdP artifact resolve'))).toBe(false)

    const typeTwo = Buffer.from(samlart, 'base64')
    typeTwo.writeUInt16BE(0x0002, 0)
    const wrongType = await agent.request(
      `${spUrl}/saml/acs?SAMLart=${encodeURIComponent(typeTwo.toString('base64'))}`,
    )
    expect(wrongType.status).toBe(400)
    expect(errorCodeOf(wrongType)).toBe('SAML_ARTIFACT_INVALID')
  })

  it('refuses a GET without SAMLart, and SAMLart together with SAMLResponse', async () => {
    const pair = await artifactPair()
    const agent = pair.agent()
    const empty = await agent.request(`${spUrl}/saml/acs`)
    expect(empty.status).toBe(400)
    expect(errorCodeOf(empty)).toBe('SAML_MESSAGE_MISSING')
    const both = await agent.request(`${spUrl}/saml/acs`, {
      method: 'POST',
      form: { SAMLart: 'AAQ=', SAMLResponse: 'PHIvPg==' },
    })
    expect(both.status).toBe(400)
    expect(errorCodeOf(both)).toBe('SAML_BINDING_INVALID')
    const twice = await agent.request(`${spUrl}/saml/acs?SAMLart=AAQ%3D&SAMLart=AAQ%3D`)
    expect(errorCodeOf(twice)).toBe('SAML_BINDING_INVALID')
    const blank = await agent.request(`${spUrl}/saml/acs?SAMLart=`)
    expect(errorCodeOf(blank)).toBe('SAML_MESSAGE_MISSING')
  })
})

describe('SAML artifact resolution failures at the SP', () => {
  /** Signs in against an IdP whose resolution service the SP reaches through `spFetch`. */
  async function signInWith(spFetch: typeof fetch, sp: { artifactResolveTimeoutMs?: number } = {}) {
    const pair = await artifactPair({ spFetch, sp })
    const agent = pair.agent()
    const acs = await artifactRedirect(pair, agent)
    const page = await agent.navigate(acs.toString(), { from: `${idpUrl}/` })
    expect(page.status).toBeGreaterThanOrEqual(400)
    expect(page.status).toBeLessThan(500)
    expect(await signedInName(agent)).toBeNull()
    return { page, code: errorCodeOf(page), log: pair.log }
  }

  it('times out when the resolution service is slow', async () => {
    const slow: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })
    const { code, page } = await signInWith(slow, { artifactResolveTimeoutMs: 50 })
    expect(code).toBe('SAML_ARTIFACT_RESOLVE_TIMEOUT')
    expect(page.html).toContain('50 ms')
  })

  it('says so when the resolution service is down (connection refused)', async () => {
    const server = createServer()
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    await new Promise<void>((done) => server.close(() => done()))
    const closedPort: typeof fetch = (_input, init) =>
      fetch(`http://127.0.0.1:${port}/saml/artifact`, init)
    const { code, page } = await signInWith(closedPort)
    expect(code).toBe('SAML_ARTIFACT_RESOLVE_UNREACHABLE')
    expect(page.html).toContain('ECONNREFUSED')
  })

  it('refuses garbage: not XML, not SOAP, another HTTP status, a SOAP Fault', async () => {
    const answers: Array<[Response, string]> = [
      [new Response('surely not xml', { status: 200 }), 'SAML_ARTIFACT_RESPONSE_INVALID'],
      [
        new Response('<html><body>Welcome</body></html>', { status: 200 }),
        'SAML_ARTIFACT_RESPONSE_INVALID',
      ],
      [new Response('Bad Gateway', { status: 502 }), 'SAML_ARTIFACT_RESOLVE_HTTP_STATUS'],
      [
        new Response(soapFault('Server', 'database on fire'), {
          status: 500,
          headers: { 'Content-Type': soapContentType },
        }),
        'SAML_ARTIFACT_RESOLVE_SOAP_FAULT',
      ],
    ]
    for (const [answer, expected] of answers) {
      const { code } = await signInWith(async () => answer)
      expect(code).toBe(expected)
    }
  })

  it('refuses an ArtifactResponse changed on the way (its signature no longer verifies)', async () => {
    let idpFetch: typeof fetch | undefined
    const tampering: typeof fetch = async (input, init) => {
      const answer = await (idpFetch as typeof fetch)(input, init)
      const text = (await answer.text()).replace('Alice Andersen', 'Mallory Andersen')
      return new Response(text, { status: answer.status, headers: answer.headers })
    }
    const pair = await artifactPair({ spFetch: tampering })
    idpFetch = async (input, init) => pair.idp.app.fetch(new Request(input, init))
    const agent = pair.agent()
    const acs = await artifactRedirect(pair, agent)
    const page = await agent.navigate(acs.toString(), { from: `${idpUrl}/` })
    expect(page.status).toBe(403)
    expect(errorCodeOf(page)).toBe('SAML_SIGNATURE_INVALID')
    expect(await signedInName(agent)).toBeNull()
  })

  it('needs an artifact resolution URL to resolve anything', async () => {
    const pair = await artifactPair()
    const { artifactResolutionUrl: _unset, ...idp } = pair.sp.config.idp
    const unconfigured = createSp({
      baseUrl: spUrl,
      credential: pair.keys.sp,
      idp,
      clock: pair.clock,
      log: () => {},
    })
    const agent = pair.agent()
    const acs = await artifactRedirect(pair, agent)
    const page = await unconfigured.app.request(`${acs.pathname}${acs.search}`)
    expect(page.status).toBe(403)
    expect(await page.text()).toContain('SAML_ARTIFACT_RESOLUTION_UNCONFIGURED')
  })
})

describe('SAML sign-in by HTTP-Artifact over real HTTP (ssoproof serve)', () => {
  it('resolves the artifact over loopback with the real fetch', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-artifact-'))
    const running = await startServe({
      idpPort: 0,
      spPort: 0,
      host: '127.0.0.1',
      dataDir,
      log: () => {},
    })
    try {
      // The README's way: read the SP's registration back and post it again with the binding.
      const listed = (await (await fetch(`${running.idpUrl}/admin/service-providers`)).json()) as {
        serviceProviders: Record<string, unknown>[]
      }
      const registered = await fetch(`${running.idpUrl}/admin/service-providers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...listed.serviceProviders[0], responseBinding: 'artifact' }),
      })
      expect(registered.status).toBe(201)

      const agent = new UserAgent()
      const login = await agent.navigate(`${running.spUrl}/login`)
      const home = await agent.submit(
        login,
        '#login-form',
        { username: 'carol', password: 'carol-secret' },
        { name: 'action', value: 'login' },
      )
      expect(
        agent.history.some(
          (entry) =>
            entry.method === 'GET' && entry.url.startsWith(`${running.spUrl}/saml/acs?SAMLart=`),
        ),
      ).toBe(true)
      expect(home.document.querySelector('#user-name')?.text).toBe('Carol Chen')
    } finally {
      await running.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
