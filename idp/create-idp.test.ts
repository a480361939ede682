import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../core/clock/index.ts'
import { createSeededRandom } from '../core/random/index.ts'
import { bindings } from '../core/saml/constants.ts'
import { parseIdpMetadata } from '../core/saml/metadata.ts'
import { childElements, ns, parseXml } from '../core/xml/index.ts'
import { idpUrl, spUrl, testCredentials } from '../tests/fixtures/in-process.ts'
import { readPage } from '../tests/fixtures/read-page.ts'
import { createIdp } from './create-idp.tsx'

const spEntityId = `${spUrl}/saml/metadata`

async function setup() {
  const keys = await testCredentials()
  const idp = createIdp({
    baseUrl: `${idpUrl}/`,
    credential: keys.idp,
    clock: createManualClock('2030-01-01T12:00:00Z'),
    random: createSeededRandom('create-idp'),
    log: () => {},
    serviceProviders: [
      { entityId: spEntityId, assertionConsumerServices: [{ location: `${spUrl}/saml/acs` }] },
      {
        entityId: 'https://closed.example.com',
        assertionConsumerServices: [{ location: 'https://closed.example.com/acs' }],
        allowIdpInitiated: false,
      },
    ],
  })
  return { idp, keys }
}

describe('GET /saml/metadata', () => {
  it('publishes entityID, both SSO bindings and the IdP signing certificate', async () => {
    const { idp, keys } = await setup()
    const response = await idp.app.request('/saml/metadata')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/samlmetadata+xml')
    const xml = await response.text()
    expect(xml).toBe(idp.metadata())
    const meta = parseIdpMetadata(xml)
    expect(meta.entityId).toBe(`${idpUrl}/saml/metadata`)
    expect(meta.singleSignOnServices).toEqual([
      { binding: bindings.redirect, location: `${idpUrl}/saml/sso` },
      { binding: bindings.post, location: `${idpUrl}/saml/sso` },
    ])
    expect(meta.singleLogoutServices).toEqual([
      { binding: bindings.redirect, location: `${idpUrl}/saml/slo` },
      { binding: bindings.post, location: `${idpUrl}/saml/slo` },
    ])
    expect(meta.signingCertificates).toEqual([keys.idp.certificateBase64])
    expect(meta.wantAuthnRequestsSigned).toBe(false)
    expect(xml).not.toContain('PRIVATE KEY')
  })
})

describe('GET /saml/metadata: extensions an SP reads', () => {
  it('publishes the scope (shibmd:Scope) and the algorithms the IdP supports (alg:)', async () => {
    const { idp } = await setup()
    const doc = parseXml(idp.metadata())
    const role = doc.getElementsByTagNameNS(ns.md, 'IDPSSODescriptor')[0] as Element
    const extensions = childElements(role)[0] as Element
    // saml-metadata §2.4.1: Extensions before KeyDescriptor.
    expect(extensions.localName).toBe('Extensions')
    const children = childElements(extensions).map((child) => [
      child.namespaceURI,
      child.localName,
      child.getAttribute('Algorithm') ?? child.textContent,
    ])
    expect(children).toEqual([
      [ns.shibmd, 'Scope', new URL(idpUrl).hostname],
      [ns.alg, 'DigestMethod', 'http://www.w3.org/2001/04/xmlenc#sha256'],
      [ns.alg, 'DigestMethod', 'http://www.w3.org/2001/04/xmldsig-more#sha384'],
      [ns.alg, 'DigestMethod', 'http://www.w3.org/2001/04/xmlenc#sha512'],
      [ns.alg, 'SigningMethod', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'],
      [ns.alg, 'SigningMethod', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384'],
      [ns.alg, 'SigningMethod', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512'],
    ])
    expect(extensions.getElementsByTagNameNS(ns.shibmd, 'Scope')[0]?.getAttribute('regexp')).toBe(
      'false',
    )
  })
})

describe('GET /', () => {
  it('lists the registered SPs with IdP-initiated links only where allowed, and the users', async () => {
    const { idp } = await setup()
    const page = await readPage(await idp.app.request('/'))
    expect(page.status).toBe(200)
    const links = page.document
      .querySelectorAll('#service-providers a')
      .map((a) => a.getAttribute('href'))
    expect(links).toEqual([`/saml/idp-initiated?sp=${encodeURIComponent(spEntityId)}`])
    expect(page.document.querySelector('#service-providers')?.text).toContain(
      'https://closed.example.com',
    )
    expect(page.document.querySelectorAll('#users tbody tr')).toHaveLength(4)
    expect(page.document.querySelector('#users')?.text).not.toContain('carol-secret')
  })
})

describe('GET /saml/idp-initiated', () => {
  it('shows the login form for a registered SP that allows it', async () => {
    const { idp } = await setup()
    const page = await readPage(
      await idp.app.request(`/saml/idp-initiated?sp=${encodeURIComponent(spEntityId)}`),
    )
    expect(page.status).toBe(200)
    expect(page.document.querySelector('#login-form')).not.toBeNull()
  })

  it('refuses an unknown SP and an SP that does not allow it (SAML_REQUEST_UNKNOWN_SP)', async () => {
    const { idp } = await setup()
    for (const sp of ['https://unknown.example.com', 'https://closed.example.com']) {
      const page = await readPage(
        await idp.app.request(`/saml/idp-initiated?sp=${encodeURIComponent(sp)}`),
      )
      expect(page.status).toBe(403)
      expect(page.code).toBe('SAML_REQUEST_UNKNOWN_SP')
    }
  })

  it('refuses a RelayState longer than 80 bytes (SAML_RELAY_STATE_TOO_LONG)', async () => {
    const { idp } = await setup()
    const page = await readPage(
      await idp.app.request(
        `/saml/idp-initiated?sp=${encodeURIComponent(spEntityId)}&RelayState=${'r'.repeat(81)}`,
      ),
    )
    expect(page.status).toBe(400)
    expect(page.code).toBe('SAML_RELAY_STATE_TOO_LONG')
  })
})

describe('other routes', () => {
  it('answers an unknown route with the NOT_FOUND page', async () => {
    const { idp } = await setup()
    const page = await readPage(await idp.app.request('/nope'))
    expect(page.status).toBe(404)
    expect(page.code).toBe('NOT_FOUND')
  })

  it('refuses a request body over the 2 MiB cap (XML_TOO_LARGE)', async () => {
    const { idp } = await setup()
    const page = await readPage(
      await idp.app.request('/saml/sso', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `SAMLRequest=${'A'.repeat(2 * 1024 * 1024 + 1)}`,
      }),
    )
    expect(page.status).toBe(413)
    expect(page.code).toBe('XML_TOO_LARGE')
  })
})
