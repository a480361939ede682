import { createPrivateKey, sign } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import type { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { bindings, statusCodes } from '../../core/saml/constants.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { attr, firstChildElement, ns, parseXml, textContent } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'
import { type AuthnRequestContent, buildAuthnRequest } from '../../sp/login/build-authn-request.ts'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { postedForm, readPage } from '../../tests/fixtures/read-page.ts'
import { createIdp } from '../create-idp.tsx'

const ssoUrl = `${idpUrl}/saml/sso`
const spEntityId = `${spUrl}/saml/metadata`
const acsUrl = `${spUrl}/saml/acs`
const secondAcsUrl = `${spUrl}/saml/acs/second`
const signingSpEntityId = 'https://signing-sp.example.com/saml/metadata'
const signingSpAcsUrl = 'https://signing-sp.example.com/saml/acs'
const requestId = '_request-1'

async function setup() {
  const keys = await testCredentials()
  const clock = createManualClock('2030-01-01T12:00:00Z')
  const log: string[] = []
  const idp = createIdp({
    baseUrl: idpUrl,
    credential: keys.idp,
    clock,
    random: createSeededRandom('receive-authn-request'),
    log: (line) => log.push(line),
    serviceProviders: [
      {
        entityId: spEntityId,
        assertionConsumerServices: [
          { location: acsUrl, index: 0, isDefault: true },
          { location: secondAcsUrl, index: 1 },
        ],
      },
      {
        entityId: signingSpEntityId,
        assertionConsumerServices: [{ location: signingSpAcsUrl }],
        certificates: [keys.sp.certificatePem],
        requireSignedAuthnRequests: true,
      },
    ],
  })
  return { idp, keys, clock, log }
}

function authnRequest(changes: Partial<AuthnRequestContent> = {}): string {
  return buildAuthnRequest({
    id: requestId,
    issueInstant: Date.parse('2030-01-01T12:00:00Z'),
    destination: ssoUrl,
    issuer: spEntityId,
    acsUrl,
    ...changes,
  })
}

function redirectPath(
  xml: string,
  options: { relayState?: string; signingKeyPem?: string } = {},
): string {
  return encodeRedirect({ endpoint: '/saml/sso', param: 'SAMLRequest', xml, ...options })
}

/** Names the ACS by index instead (saml-core §3.4.1: no URL and no ProtocolBinding with it). */
function withIndex(xml: string, index: number): string {
  return xml
    .replace(`AssertionConsumerServiceURL="${acsUrl}"`, `AssertionConsumerServiceIndex="${index}"`)
    .replace(` ProtocolBinding="${bindings.post}"`, '')
}

function postInit(form: Record<string, string>, cookie?: string): RequestInit {
  return {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: cookie ? { cookie } : {},
  }
}

function base64(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64')
}

/** The Response the IdP's self-submitting form carries, and where the form posts it. */
function postedResponse(document: ReturnType<typeof parse>) {
  const form = document.querySelector('body[onload] form')
  const value = form?.querySelector('input[name=SAMLResponse]')?.getAttribute('value')
  if (!form || value === undefined) throw new Error('the page carries no SAMLResponse form')
  const response = parseXml(Buffer.from(value, 'base64').toString('utf8')).documentElement
  if (!response) throw new Error('the SAMLResponse has no root')
  const topStatus = firstChildElement(
    firstChildElement(response, ns.samlp, 'Status') ?? response,
    ns.samlp,
    'StatusCode',
  )
  const subStatus = topStatus ? firstChildElement(topStatus, ns.samlp, 'StatusCode') : undefined
  const assertion = firstChildElement(response, ns.saml, 'Assertion')
  const subject = assertion ? firstChildElement(assertion, ns.saml, 'Subject') : undefined
  const nameId = subject ? firstChildElement(subject, ns.saml, 'NameID') : undefined
  return {
    action: form.getAttribute('action'),
    relayState: form.querySelector('input[name=RelayState]')?.getAttribute('value') ?? null,
    destination: attr(response, 'Destination'),
    inResponseTo: attr(response, 'InResponseTo'),
    status: topStatus ? attr(topStatus, 'Value') : undefined,
    subStatus: subStatus ? attr(subStatus, 'Value') : undefined,
    nameId: nameId ? textContent(nameId) : undefined,
  }
}

/** Signs in as alice through the login form and returns the IdP session cookie. */
async function signIn(idp: Awaited<ReturnType<typeof setup>>['idp']): Promise<string> {
  const login = await readPage(await idp.app.request(redirectPath(authnRequest())))
  const flow = login.document.querySelector('input[name=flow]')?.getAttribute('value') ?? ''
  const answer = await idp.app.request(
    '/login',
    postedForm({ flow, username: 'alice', action: 'login' }, login.formToken),
  )
  expect(answer.status).toBe(200)
  const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('ssoproof_idp_session='))
  if (!cookie) throw new Error('no IdP session cookie was set')
  return cookie.split(';')[0] ?? ''
}

describe('GET /saml/sso: AuthnRequest over HTTP-Redirect', () => {
  it('shows the login form for a request from a registered SP', async () => {
    const { idp } = await setup()
    const page = await readPage(await idp.app.request(redirectPath(authnRequest())))
    expect(page.status).toBe(200)
    expect(page.code).toBeNull()
    expect(page.loginForm).not.toBeNull()
    expect(page.html).toContain(spEntityId)
  })

  it('refuses an Issuer that is not registered (SAML_REQUEST_UNKNOWN_SP)', async () => {
    const { idp } = await setup()
    const xml = authnRequest({ issuer: 'https://unknown-sp.example.com' })
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_UNKNOWN_SP')
    expect(page.loginForm).toBeNull()
  })

  it('refuses an AssertionConsumerServiceURL the SP did not register, and posts nothing there', async () => {
    const { idp, log } = await setup()
    const xml = authnRequest({ acsUrl: 'https://evil.example/steal' })
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_ACS_NOT_ALLOWED')
    expect(page.loginForm).toBeNull()
    expect(page.document.querySelector('form[action="https://evil.example/steal"]')).toBeNull()
    expect(page.document.querySelector('input[name=SAMLResponse]')).toBeNull()
    expect(log.some((line) => line.startsWith('IdP response to'))).toBe(false)
  })

  it('refuses an AssertionConsumerServiceIndex the SP did not register', async () => {
    const { idp } = await setup()
    const xml = withIndex(authnRequest(), 7)
    expect(xml).toContain('AssertionConsumerServiceIndex="7"')
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_ACS_NOT_ALLOWED')
  })

  it('refuses HTTP-Artifact at an ACS URL registered only for HTTP-POST (SAML_REQUEST_ACS_NOT_ALLOWED)', async () => {
    const { idp } = await setup()
    const xml = authnRequest({ protocolBinding: bindings.artifact })
    expect(xml).toContain(`ProtocolBinding="${bindings.artifact}"`)
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_ACS_NOT_ALLOWED')
    expect(page.loginForm).toBeNull()
  })

  it('refuses an unsigned request from an SP registered as signing (SAML_REQUEST_SIGNATURE_MISSING)', async () => {
    const { idp } = await setup()
    const xml = authnRequest({ issuer: signingSpEntityId, acsUrl: signingSpAcsUrl })
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_SIGNATURE_MISSING')
  })

  it('accepts a query-signed request that verifies with the registered certificate', async () => {
    const { idp, keys } = await setup()
    const xml = authnRequest({ issuer: signingSpEntityId, acsUrl: signingSpAcsUrl })
    const path = redirectPath(xml, { relayState: '/after', signingKeyPem: keys.sp.privateKeyPem })
    const page = await readPage(await idp.app.request(path))
    expect(page.status).toBe(200)
    expect(page.code).toBeNull()
    expect(page.loginForm).not.toBeNull()
  })

  it('refuses a query signed with another key (SAML_REQUEST_SIGNATURE_INVALID)', async () => {
    const { idp, keys } = await setup()
    const xml = authnRequest({ issuer: signingSpEntityId, acsUrl: signingSpAcsUrl })
    const path = redirectPath(xml, { signingKeyPem: keys.other.privateKeyPem })
    const page = await readPage(await idp.app.request(path))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_SIGNATURE_INVALID')
    expect(page.loginForm).toBeNull()
  })

  it('refuses a signed query whose RelayState was changed after signing', async () => {
    const { idp, keys } = await setup()
    const xml = authnRequest({ issuer: signingSpEntityId, acsUrl: signingSpAcsUrl })
    const path = redirectPath(xml, { relayState: '/a', signingKeyPem: keys.sp.privateKeyPem })
    expect(path).toContain('RelayState=%2Fa&')
    const page = await readPage(
      await idp.app.request(path.replace('RelayState=%2Fa&', 'RelayState=%2Fb&')),
    )
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_SIGNATURE_INVALID')
  })

  it('refuses a query signed with RSA-SHA1 (SAML_SIGNATURE_ALGORITHM_FORBIDDEN)', async () => {
    const { idp, keys } = await setup()
    const xml = authnRequest({ issuer: signingSpEntityId, acsUrl: signingSpAcsUrl })
    const value = deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64')
    const signed = `SAMLRequest=${encodeURIComponent(value)}&SigAlg=${encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1')}`
    const signature = sign('sha1', Buffer.from(signed), createPrivateKey(keys.sp.privateKeyPem))
    const path = `/saml/sso?${signed}&Signature=${encodeURIComponent(signature.toString('base64'))}`
    const page = await readPage(await idp.app.request(path))
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_SIGNATURE_ALGORITHM_FORBIDDEN')
  })

  it('refuses a Destination that is not this IdP’s SSO endpoint (SAML_REQUEST_INVALID)', async () => {
    const { idp } = await setup()
    const xml = authnRequest({ destination: 'https://other-idp.example.com/sso' })
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_REQUEST_INVALID')
    expect(page.html).toContain('https://other-idp.example.com/sso')
  })

  it('refuses a signed request without Destination, accepts it unsigned (saml-bindings §3.4.5.2)', async () => {
    const { idp, keys } = await setup()
    const xml = authnRequest({ issuer: signingSpEntityId, acsUrl: signingSpAcsUrl }).replace(
      ` Destination="${ssoUrl}"`,
      '',
    )
    expect(xml).not.toContain('Destination=')
    const signed = redirectPath(xml, { signingKeyPem: keys.sp.privateKeyPem })
    const page = await readPage(await idp.app.request(signed))
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_REQUEST_INVALID')
    expect(page.html).toContain('Destination')

    const unsigned = authnRequest().replace(` Destination="${ssoUrl}"`, '')
    expect((await readPage(await idp.app.request(redirectPath(unsigned)))).status).toBe(200)
  })

  it('refuses an index together with an ACS URL or a ProtocolBinding (saml-core §3.4.1)', async () => {
    const { idp } = await setup()
    const both = authnRequest().replace(
      'ProtocolBinding=',
      'AssertionConsumerServiceIndex="0" ProtocolBinding=',
    )
    const withUrl = await readPage(await idp.app.request(redirectPath(both)))
    expect(withUrl.status).toBe(400)
    expect(withUrl.code).toBe('SAML_REQUEST_INVALID')
    const withBinding = authnRequest().replace(
      `AssertionConsumerServiceURL="${acsUrl}"`,
      'AssertionConsumerServiceIndex="0"',
    )
    expect((await readPage(await idp.app.request(redirectPath(withBinding)))).code).toBe(
      'SAML_REQUEST_INVALID',
    )
  })

  it('refuses a message whose root is not samlp:AuthnRequest (SAML_REQUEST_INVALID)', async () => {
    const { idp } = await setup()
    const xml = authnRequest().replaceAll('samlp:AuthnRequest', 'samlp:LogoutRequest')
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_REQUEST_INVALID')
  })

  it('refuses an AuthnRequest that is not Version 2.0 (SAML_REQUEST_INVALID)', async () => {
    const { idp } = await setup()
    const xml = authnRequest().replace('Version="2.0"', 'Version="1.1"')
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_REQUEST_INVALID')
  })

  it('refuses a DOCTYPE before parsing (XML_DOCTYPE_FORBIDDEN)', async () => {
    const { idp } = await setup()
    const xml = `<!DOCTYPE r [<!ENTITY e "x">]>${authnRequest()}`
    const page = await readPage(await idp.app.request(redirectPath(xml)))
    expect(page.status).toBe(400)
    expect(page.code).toBe('XML_DOCTYPE_FORBIDDEN')
  })

  it('refuses SAMLRequest that is not base64 (SAML_BINDING_INVALID)', async () => {
    const { idp } = await setup()
    const page = await readPage(await idp.app.request('/saml/sso?SAMLRequest=not*base64!'))
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_BINDING_INVALID')
  })

  it('refuses base64 that is not DEFLATE data (SAML_BINDING_INVALID)', async () => {
    const { idp } = await setup()
    // The POST-binding encoding (no DEFLATE) sent over HTTP-Redirect: a common SP mistake.
    const path = `/saml/sso?SAMLRequest=${encodeURIComponent(base64(authnRequest()))}`
    const page = await readPage(await idp.app.request(path))
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_BINDING_INVALID')
  })

  it('refuses a query without SAMLRequest (SAML_MESSAGE_MISSING)', async () => {
    const { idp } = await setup()
    const page = await readPage(await idp.app.request('/saml/sso?RelayState=%2F'))
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_MESSAGE_MISSING')
  })

  it('refuses a RelayState longer than 80 bytes (SAML_RELAY_STATE_TOO_LONG), accepts 80', async () => {
    const { idp } = await setup()
    const tooLong = await idp.app.request(
      redirectPath(authnRequest(), { relayState: `/${'a'.repeat(80)}` }),
    )
    const refused = await readPage(tooLong)
    expect(refused.status).toBe(400)
    expect(refused.code).toBe('SAML_RELAY_STATE_TOO_LONG')

    const atLimit = await idp.app.request(
      redirectPath(authnRequest(), { relayState: `/${'a'.repeat(79)}` }),
    )
    expect((await readPage(atLimit)).status).toBe(200)
  })
})

describe('POST /saml/sso: AuthnRequest over HTTP-POST', () => {
  it('shows the login form for the same request sent as a form', async () => {
    const { idp } = await setup()
    const page = await readPage(
      await idp.app.request('/saml/sso', postInit({ SAMLRequest: base64(authnRequest()) })),
    )
    expect(page.status).toBe(200)
    expect(page.loginForm).not.toBeNull()
  })

  it('refuses an unregistered ACS URL over POST as well (SAML_REQUEST_ACS_NOT_ALLOWED)', async () => {
    const { idp } = await setup()
    const xml = authnRequest({ acsUrl: 'https://evil.example/steal' })
    const page = await readPage(
      await idp.app.request('/saml/sso', postInit({ SAMLRequest: base64(xml) })),
    )
    expect(page.status).toBe(403)
    expect(page.code).toBe('SAML_REQUEST_ACS_NOT_ALLOWED')
  })

  it('accepts an enveloped signature by the SP key, refuses one by another key', async () => {
    const { idp, keys } = await setup()
    const xml = authnRequest({ issuer: signingSpEntityId, acsUrl: signingSpAcsUrl })
    const signedBy = (key: typeof keys.sp) =>
      signElement(xml, {
        id: requestId,
        privateKeyPem: key.privateKeyPem,
        certificatePem: key.certificatePem,
      })

    const unsigned = await readPage(
      await idp.app.request('/saml/sso', postInit({ SAMLRequest: base64(xml) })),
    )
    expect(unsigned.status).toBe(403)
    expect(unsigned.code).toBe('SAML_REQUEST_SIGNATURE_MISSING')

    const good = await readPage(
      await idp.app.request('/saml/sso', postInit({ SAMLRequest: base64(signedBy(keys.sp)) })),
    )
    expect(good.status).toBe(200)
    expect(good.loginForm).not.toBeNull()

    const forged = await readPage(
      await idp.app.request('/saml/sso', postInit({ SAMLRequest: base64(signedBy(keys.other)) })),
    )
    expect(forged.status).toBe(403)
    expect(forged.code).toBe('SAML_REQUEST_SIGNATURE_INVALID')
  })

  it('refuses a SAMLRequest that is not base64 (SAML_BINDING_INVALID)', async () => {
    const { idp } = await setup()
    const page = await readPage(
      await idp.app.request('/saml/sso', postInit({ SAMLRequest: '<samlp:AuthnRequest/>' })),
    )
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_BINDING_INVALID')
  })

  it('refuses a DOCTYPE over POST (XML_DOCTYPE_FORBIDDEN)', async () => {
    const { idp } = await setup()
    const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]>${authnRequest()}`
    const page = await readPage(
      await idp.app.request('/saml/sso', postInit({ SAMLRequest: base64(xml) })),
    )
    expect(page.status).toBe(400)
    expect(page.code).toBe('XML_DOCTYPE_FORBIDDEN')
  })

  it('refuses a RelayState longer than 80 bytes over POST (SAML_RELAY_STATE_TOO_LONG)', async () => {
    const { idp } = await setup()
    const page = await readPage(
      await idp.app.request(
        '/saml/sso',
        postInit({ SAMLRequest: base64(authnRequest()), RelayState: 'x'.repeat(81) }),
      ),
    )
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_RELAY_STATE_TOO_LONG')
  })
})

describe('what the IdP answers once the request is accepted', () => {
  it('posts the Response to the registered ACS URL and echoes RelayState', async () => {
    const { idp } = await setup()
    const relayState = '/cart?x=1&y="2"'
    const login = await readPage(
      await idp.app.request(redirectPath(authnRequest(), { relayState })),
    )
    const flow = login.document.querySelector('input[name=flow]')?.getAttribute('value') ?? ''
    const answer = await readPage(
      await idp.app.request(
        '/login',
        postedForm({ flow, username: 'bob', action: 'login' }, login.formToken),
      ),
    )
    expect(answer.status).toBe(200)
    const posted = postedResponse(answer.document)
    expect(posted.action).toBe(acsUrl)
    expect(posted.destination).toBe(acsUrl)
    expect(posted.relayState).toBe(relayState)
    expect(posted.inResponseTo).toBe(requestId)
    expect(posted.status).toBe(statusCodes.success)
    expect(posted.nameId).toBe('bob')
  })

  it('answers at the ACS named by index, over the POST binding, with RelayState', async () => {
    const { idp } = await setup()
    const xml = withIndex(authnRequest(), 1)
    const login = await readPage(
      await idp.app.request(
        '/saml/sso',
        postInit({ SAMLRequest: base64(xml), RelayState: 'opaque-state' }),
      ),
    )
    expect(login.status).toBe(200)
    const flow = login.document.querySelector('input[name=flow]')?.getAttribute('value') ?? ''
    const answer = await readPage(
      await idp.app.request(
        '/login',
        postedForm({ flow, username: 'alice', action: 'login' }, login.formToken),
      ),
    )
    const posted = postedResponse(answer.document)
    expect(posted.action).toBe(secondAcsUrl)
    expect(posted.destination).toBe(secondAcsUrl)
    expect(posted.relayState).toBe('opaque-state')
  })

  it('answers the default ACS when the request names none', async () => {
    const { idp } = await setup()
    const xml = authnRequest().replace(`AssertionConsumerServiceURL="${acsUrl}"`, '')
    const queued = await idp.app.request('/admin/next-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice' }),
    })
    expect(queued.status).toBe(202)
    const posted = postedResponse(
      (await readPage(await idp.app.request(redirectPath(xml)))).document,
    )
    expect(posted.action).toBe(acsUrl)
  })

  it('answers IsPassive without an IdP session with a NoPassive Response, without a form', async () => {
    const { idp } = await setup()
    const page = await readPage(
      await idp.app.request(redirectPath(authnRequest({ isPassive: true }), { relayState: '/p' })),
    )
    expect(page.status).toBe(200)
    expect(page.loginForm).toBeNull()
    const posted = postedResponse(page.document)
    expect(posted.action).toBe(acsUrl)
    expect(posted.status).toBe(statusCodes.responder)
    expect(posted.subStatus).toBe(statusCodes.noPassive)
    expect(posted.inResponseTo).toBe(requestId)
    expect(posted.relayState).toBe('/p')
    expect(posted.nameId).toBeUndefined()
  })

  it('answers IsPassive with an IdP session with a success Response', async () => {
    const { idp } = await setup()
    const cookie = await signIn(idp)
    const page = await readPage(
      await idp.app.request(redirectPath(authnRequest({ isPassive: true })), {
        headers: { cookie },
      }),
    )
    const posted = postedResponse(page.document)
    expect(posted.status).toBe(statusCodes.success)
    expect(posted.nameId).toBe('alice')
  })

  it('uses the IdP session without a form, but shows the form again for ForceAuthn', async () => {
    const { idp } = await setup()
    const cookie = await signIn(idp)

    const again = await readPage(
      await idp.app.request(redirectPath(authnRequest()), { headers: { cookie } }),
    )
    expect(again.loginForm).toBeNull()
    expect(postedResponse(again.document).nameId).toBe('alice')

    const forced = await readPage(
      await idp.app.request(redirectPath(authnRequest({ forceAuthn: true })), {
        headers: { cookie },
      }),
    )
    expect(forced.status).toBe(200)
    expect(forced.loginForm).not.toBeNull()
    expect(forced.document.querySelector('input[name=SAMLResponse]')).toBeNull()
  })

  it('forgets the IdP session after its lifetime (8 h): the form comes back', async () => {
    const { idp, clock } = await setup()
    const cookie = await signIn(idp)
    clock.advance('8h')
    const page = await readPage(
      await idp.app.request(redirectPath(authnRequest()), { headers: { cookie } }),
    )
    expect(page.loginForm).not.toBeNull()
  })
})
