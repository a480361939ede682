import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../core/clock/index.ts'
import { createSeededRandom } from '../core/random/index.ts'
import { bindings, nameIdFormats } from '../core/saml/constants.ts'
import { encryptionAlgorithms } from '../core/saml/encryption-settings.ts'
import { parseSpMetadata } from '../core/saml/metadata.ts'
import { idpUrl, spUrl, testCredentials } from '../tests/fixtures/in-process.ts'
import { createSp } from './create-sp.tsx'
import type { SpOptions } from './options.ts'

async function referenceSp(options: Partial<SpOptions> = {}) {
  const keys = await testCredentials()
  const sp = createSp({
    baseUrl: spUrl,
    credential: keys.sp,
    idp: {
      entityId: `${idpUrl}/saml/metadata`,
      ssoUrl: `${idpUrl}/saml/sso`,
      certificates: [keys.idp.certificateBase64],
    },
    clock: createManualClock('2030-01-01T12:00:00Z'),
    random: createSeededRandom('create-sp'),
    log: () => {},
    ...options,
  })
  return { sp, keys }
}

describe('GET /saml/metadata', () => {
  it('names the ACS, WantAssertionsSigned=true and the SP signing certificate', async () => {
    const { sp, keys } = await referenceSp()
    const response = await sp.app.request('/saml/metadata')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/samlmetadata+xml')
    const xml = await response.text()
    expect(xml).toBe(sp.metadata())
    const meta = parseSpMetadata(xml)
    expect(meta.entityId).toBe(`${spUrl}/saml/metadata`)
    expect(meta.assertionConsumerServices).toEqual([
      {
        binding: bindings.post,
        location: 'http://127.0.0.1:7100/saml/acs',
        index: 0,
        isDefault: true,
      },
      { binding: bindings.artifact, location: 'http://127.0.0.1:7100/saml/acs', index: 1 },
    ])
    expect(meta.wantAssertionsSigned).toBe(true)
    expect(meta.authnRequestsSigned).toBe(false)
    expect(meta.singleLogoutServices).toEqual([
      { binding: bindings.redirect, location: `${spUrl}/saml/slo` },
      { binding: bindings.post, location: `${spUrl}/saml/slo` },
    ])
    expect(meta.signingCertificates).toEqual([keys.sp.certificateBase64])
    expect(meta.encryptionCertificates).toEqual([keys.sp.certificateBase64])
    expect(meta.encryptionMethods).toEqual([
      encryptionAlgorithms['aes256-gcm'],
      encryptionAlgorithms['aes128-gcm'],
      encryptionAlgorithms['aes256-cbc'],
      encryptionAlgorithms['aes128-cbc'],
      encryptionAlgorithms['rsa-oaep-mgf1p'],
    ])
    expect(meta.nameIdFormats).toContain(nameIdFormats.emailAddress)
    expect(xml).not.toContain('PRIVATE KEY')
  })

  it('follows the options: AuthnRequestsSigned, WantAssertionsSigned and the entity ID', async () => {
    const { sp } = await referenceSp({
      signAuthnRequests: true,
      wantAssertionsSigned: false,
      entityId: 'urn:example:sp',
    })
    const meta = parseSpMetadata(await (await sp.app.request('/saml/metadata')).text())
    expect(meta.entityId).toBe('urn:example:sp')
    expect(meta.authnRequestsSigned).toBe(true)
    expect(meta.wantAssertionsSigned).toBe(false)
  })

  it('publishes a separate encryptionCredential as the encryption certificate', async () => {
    const keys = await testCredentials()
    const { sp } = await referenceSp({ encryptionCredential: keys.other })
    const meta = parseSpMetadata(sp.metadata())
    expect(meta.signingCertificates).toEqual([keys.sp.certificateBase64])
    expect(meta.encryptionCertificates).toEqual([keys.other.certificateBase64])
  })
})

describe('other SP routes', () => {
  it('says signed out without a session cookie', async () => {
    const { sp } = await referenceSp()
    expect(await (await sp.app.request('/api/session')).json()).toEqual({ signedIn: false })
    const home = parse(await (await sp.app.request('/')).text())
    expect(home.querySelector('#sign-in')?.getAttribute('href')).toBe('/login?return_url=/')
  })

  it('answers an unknown page with NOT_FOUND (404)', async () => {
    const { sp } = await referenceSp()
    const response = await sp.app.request('/nope')
    expect(response.status).toBe(404)
    expect(parse(await response.text()).querySelector('#error-code')?.text).toBe('NOT_FOUND')
  })

  it('refuses a GET on the ACS without SAMLart (GET carries only HTTP-Artifact)', async () => {
    const { sp } = await referenceSp()
    const response = await sp.app.request('/saml/acs?SAMLResponse=PHIvPg%3D%3D')
    expect(response.status).toBe(400)
    expect(parse(await response.text()).querySelector('#error-code')?.text).toBe(
      'SAML_MESSAGE_MISSING',
    )
  })
})
