import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { parseArtifact } from '../../core/saml/artifact.ts'
import { bindings, statusCodes } from '../../core/saml/constants.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { attr, firstChildElement, ns, parseXml } from '../../core/xml/index.ts'
import { type AuthnRequestContent, buildAuthnRequest } from '../../sp/login/build-authn-request.ts'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { readPage } from '../../tests/fixtures/read-page.ts'
import { createIdp } from '../create-idp.tsx'

// saml-core §3.4.1 / saml-profiles §4.1.4.1: the IdP answers by the ProtocolBinding the request
// names when it supports it and the SP registered an ACS of that binding there.
const paos = 'urn:oasis:names:tc:SAML:2.0:bindings:PAOS'
const spEntityId = `${spUrl}/saml/metadata`
const acsUrl = `${spUrl}/saml/acs`
const postOnlyAcsUrl = `${spUrl}/saml/acs/post-only`
const artifactOnlySp = 'https://artifact-only.example.com/saml/metadata'
const artifactOnlyAcsUrl = 'https://artifact-only.example.com/saml/acs'

async function setup() {
  const keys = await testCredentials()
  const log: string[] = []
  const idp = createIdp({
    baseUrl: idpUrl,
    credential: keys.idp,
    clock: createManualClock('2030-01-01T12:00:00Z'),
    random: createSeededRandom('resolve-acs'),
    log: (line) => log.push(line),
    serviceProviders: [
      {
        entityId: spEntityId,
        assertionConsumerServices: [
          { location: acsUrl, binding: bindings.post, index: 0, isDefault: true },
          { location: acsUrl, binding: bindings.artifact, index: 1 },
          { location: postOnlyAcsUrl, binding: bindings.post, index: 2 },
          { location: `${spUrl}/saml/paos`, binding: paos, index: 3 },
        ],
      },
      {
        entityId: artifactOnlySp,
        assertionConsumerServices: [{ location: artifactOnlyAcsUrl, binding: bindings.artifact }],
      },
    ],
  })
  // Every sign-in below completes as alice without the login form.
  const signInNext = () =>
    idp.app.request('/admin/next-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice' }),
    })
  return { idp, log, signInNext }
}

function request(changes: Partial<AuthnRequestContent> = {}, drop: string[] = []): string {
  let xml = buildAuthnRequest({
    id: '_binding-request',
    issueInstant: Date.parse('2030-01-01T12:00:00Z'),
    destination: `${idpUrl}/saml/sso`,
    issuer: spEntityId,
    acsUrl,
    ...changes,
  })
  for (const attribute of drop) xml = xml.replace(new RegExp(` ${attribute}="[^"]*"`), '')
  return xml
}

const sso = (xml: string, relayState = '/after') =>
  encodeRedirect({ endpoint: '/saml/sso', param: 'SAMLRequest', xml, relayState })

/** The SAMLart redirect the IdP answers with, read back. */
function artifactRedirect(response: Response) {
  expect(response.status).toBe(302)
  const location = new URL(response.headers.get('location') ?? '')
  const samlart = location.searchParams.get('SAMLart') ?? ''
  return {
    acs: `${location.origin}${location.pathname}`,
    samlart,
    relayState: location.searchParams.get('RelayState'),
    samlResponse: location.searchParams.get('SAMLResponse'),
  }
}

/** The Response the self-submitting form carries: where it goes and its two status codes. */
async function postedStatus(response: Response) {
  const page = await readPage(response)
  const form = page.document.querySelector('form')
  const value = form?.querySelector('input[name=SAMLResponse]')?.getAttribute('value') ?? ''
  const root = parseXml(Buffer.from(value, 'base64').toString('utf8')).documentElement
  const top = firstChildElement(
    firstChildElement(root, ns.samlp, 'Status') ?? root,
    ns.samlp,
    'StatusCode',
  )
  const second = top ? firstChildElement(top, ns.samlp, 'StatusCode') : undefined
  return {
    page,
    action: form?.getAttribute('action'),
    inResponseTo: attr(root, 'InResponseTo'),
    status: top ? attr(top, 'Value') : undefined,
    subStatus: second ? attr(second, 'Value') : undefined,
    hasAssertion: firstChildElement(root, ns.saml, 'Assertion') !== undefined,
  }
}

describe('ProtocolBinding and the response binding', () => {
  it('answers HTTP-Artifact by SAMLart at the ACS registered for HTTP-Artifact', async () => {
    const { idp, log, signInNext } = await setup()
    await signInNext()
    const answer = artifactRedirect(
      await idp.app.request(sso(request({ protocolBinding: bindings.artifact }))),
    )
    expect(answer.acs).toBe(acsUrl)
    expect(answer.samlResponse).toBeNull()
    expect(answer.relayState).toBe('/after')
    expect(parseArtifact(answer.samlart, 'SAMLart').endpointIndex).toBe(0)
    expect(log).toContain(`IdP artifact issued to ${spEntityId} (redirect)`)
  })

  it('answers the indexed ACS by its own binding: HTTP-Artifact at index 1', async () => {
    const { idp, signInNext } = await setup()
    await signInNext()
    const xml = request({}, ['AssertionConsumerServiceURL', 'ProtocolBinding']).replace(
      '<samlp:AuthnRequest ',
      '<samlp:AuthnRequest AssertionConsumerServiceIndex="1" ',
    )
    const answer = artifactRedirect(await idp.app.request(sso(xml)))
    expect(answer.acs).toBe(acsUrl)
    expect(answer.samlart).not.toBe('')
  })

  it('still answers HTTP-POST by the form when the request asks for it', async () => {
    const { idp, signInNext } = await setup()
    await signInNext()
    const posted = await postedStatus(await idp.app.request(sso(request())))
    expect(posted.action).toBe(acsUrl)
    expect(posted.status).toBe(statusCodes.success)
    expect(posted.hasAssertion).toBe(true)
  })

  it('refuses HTTP-Artifact at a URL registered only for HTTP-POST (SAML_REQUEST_ACS_NOT_ALLOWED)', async () => {
    const { idp } = await setup()
    const xml = request({ acsUrl: postOnlyAcsUrl, protocolBinding: bindings.artifact })
    const page = await readPage(await idp.app.request(sso(xml)))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_ACS_NOT_ALLOWED')
    expect(page.html).toContain(`${postOnlyAcsUrl} (${bindings.post})`)
  })

  it.each([
    ['PAOS by ProtocolBinding', request({ protocolBinding: paos })],
    ['HTTP-Redirect by ProtocolBinding', request({ protocolBinding: bindings.redirect })],
    [
      'a PAOS endpoint by index',
      request({}, ['AssertionConsumerServiceURL', 'ProtocolBinding']).replace(
        '<samlp:AuthnRequest ',
        '<samlp:AuthnRequest AssertionConsumerServiceIndex="3" ',
      ),
    ],
  ])(
    'answers %s with Requester/UnsupportedBinding at the default HTTP-POST ACS, without signing in',
    async (_name, xml) => {
      const { idp, log } = await setup()
      const posted = await postedStatus(await idp.app.request(sso(xml)))
      expect(posted.page.loginForm).toBeNull()
      expect(posted.action).toBe(acsUrl)
      expect(posted.inResponseTo).toBe('_binding-request')
      expect(posted.status).toBe(statusCodes.requester)
      expect(posted.subStatus).toBe(statusCodes.unsupportedBinding)
      expect(posted.hasAssertion).toBe(false)
      expect(log.some((line) => line.includes('SAML_REQUEST_BINDING_UNSUPPORTED'))).toBe(true)
    },
  )

  it('refuses an unsupported binding with an error page when the SP has no HTTP-POST ACS (SAML_REQUEST_BINDING_UNSUPPORTED)', async () => {
    const { idp } = await setup()
    const xml = request({
      issuer: artifactOnlySp,
      acsUrl: artifactOnlyAcsUrl,
      protocolBinding: paos,
    })
    const page = await readPage(await idp.app.request(sso(xml)))
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_REQUEST_BINDING_UNSUPPORTED')
    expect(page.document.querySelector('input[name=SAMLResponse]')).toBeNull()
  })

  it('answers an SP with only an HTTP-Artifact ACS by artifact when the request names no ACS', async () => {
    const { idp, signInNext } = await setup()
    await signInNext()
    const xml = request({ issuer: artifactOnlySp }, [
      'AssertionConsumerServiceURL',
      'ProtocolBinding',
    ])
    const answer = artifactRedirect(await idp.app.request(sso(xml)))
    expect(answer.acs).toBe(artifactOnlyAcsUrl)
  })
})

// Found by the interop lab: Shibboleth's HTTP-POST ACS (/SAML2/POST) takes no SAMLart; its
// HTTP-Artifact ACS is another URL (/SAML2/Artifact).
describe('responseBinding "artifact" in the registration', () => {
  const shibLike = 'https://shib.example.com/shibboleth'
  const postAcs = 'https://shib.example.com/Shibboleth.sso/SAML2/POST'
  const artifactAcs = 'https://shib.example.com/Shibboleth.sso/SAML2/Artifact'

  async function artifactSetup() {
    const { idp, signInNext } = await setup()
    idp.serviceProviders.register({
      entityId: shibLike,
      assertionConsumerServices: [
        { location: postAcs, binding: bindings.post, index: 1 },
        { location: artifactAcs, binding: bindings.artifact, index: 3 },
      ],
      responseBinding: 'artifact',
    })
    return { idp, signInNext }
  }

  it('answers a request for the HTTP-POST ACS by artifact at the HTTP-Artifact ACS', async () => {
    const { idp, signInNext } = await artifactSetup()
    const byUrl = request({ issuer: shibLike, acsUrl: postAcs, protocolBinding: bindings.post })
    const byIndex = request({ issuer: shibLike }, [
      'AssertionConsumerServiceURL',
      'ProtocolBinding',
    ]).replace('<samlp:AuthnRequest ', '<samlp:AuthnRequest AssertionConsumerServiceIndex="1" ')
    expect(byIndex).toContain('AssertionConsumerServiceIndex="1"')
    for (const xml of [byUrl, byIndex]) {
      await signInNext()
      const answer = artifactRedirect(await idp.app.request(sso(xml)))
      expect(answer.acs).toBe(artifactAcs)
      expect(answer.samlResponse).toBeNull()
    }
  })

  it('sends an IdP-initiated artifact to the HTTP-Artifact ACS too', async () => {
    const { idp, signInNext } = await artifactSetup()
    await signInNext()
    const answer = artifactRedirect(
      await idp.app.request(`/saml/idp-initiated?sp=${encodeURIComponent(shibLike)}`),
    )
    expect(answer.acs).toBe(artifactAcs)
  })

  it('refuses the setting for an SP that registered no HTTP-Artifact ACS', async () => {
    const { idp } = await setup()
    expect(() =>
      idp.serviceProviders.register({
        entityId: shibLike,
        assertionConsumerServices: [{ location: postAcs }],
        responseBinding: 'artifact',
      }),
    ).toThrow(/responseBinding: responseBinding "artifact" needs an AssertionConsumerService/)
  })

  it('answers an SP with only an HTTP-Artifact ACS by artifact when IdP-initiated', async () => {
    const { idp, signInNext } = await setup()
    await signInNext()
    const answer = artifactRedirect(
      await idp.app.request(`/saml/idp-initiated?sp=${encodeURIComponent(artifactOnlySp)}`),
    )
    expect(answer.acs).toBe(artifactOnlyAcsUrl)
  })
})
