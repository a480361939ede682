import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { contentEncryptionAlgorithms } from '../../core/saml/encryption-settings.ts'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { ns, parseXml } from '../../core/xml/index.ts'
import type { Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import type { PairOptions } from '../../harness/pair.ts'
import { buildEncryptedResponse } from '../../idp/response/build-encrypted-response.ts'
import type { SpRegistrationInput } from '../../idp/service-providers/registration.ts'
import { readAuthnRequest } from '../../idp/sso/authn-request.ts'
import { checkResponse } from '../../sp/acs/check-response.ts'
import { validationSettings } from '../../sp/acs/handle-acs.ts'
import { createInProcessPair, idpUrl, spUrl, testCredentials } from '../fixtures/in-process.ts'

const spEntityId = `${spUrl}/saml/metadata`
const acsUrl = `${spUrl}/saml/acs`

/** The pair, with the SP registered at the IdP (from its metadata) to receive encrypted assertions. */
async function encryptingPair(
  registration: Partial<SpRegistrationInput> = {},
  overrides: Partial<PairOptions> = {},
) {
  const pair = await createInProcessPair(overrides)
  const registered = pair.idp.serviceProviders.get(spEntityId)
  pair.idp.serviceProviders.register({
    ...registered,
    encryptAssertion: true,
    ...registration,
  })
  return pair
}

/** Signs in at the IdP as alice, keeping the IdP's POST form instead of submitting it. */
async function captureIdpResponse(agent: UserAgent) {
  const loginPage = await agent.navigate(`${spUrl}/login`)
  const form = await agent.submitOnce(loginPage, '#login-form', {
    username: 'alice',
    action: 'login',
  })
  const value = (name: string) =>
    form.document.querySelector(`input[name=${name}]`)?.getAttribute('value') ?? ''
  expect(form.document.querySelector('form')?.getAttribute('action')).toBe(acsUrl)
  return Buffer.from(value('SAMLResponse'), 'base64').toString('utf8')
}

async function postToAcs(agent: UserAgent, xml: string) {
  const page = await agent.request(acsUrl, {
    method: 'POST',
    form: { SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: '/' },
    from: `${idpUrl}/login`,
  })
  return { status: page.status, code: errorCode(page), page }
}

function errorCode(page: Page): string | null {
  return page.document.querySelector('#error-code')?.text ?? null
}

async function signedInAs(agent: UserAgent): Promise<string | null> {
  const session = JSON.parse((await agent.request(`${spUrl}/api/session`)).html)
  return session.signedIn ? session.subject.nameId : null
}

describe('encrypted assertions: IdP encrypts to the SP certificate, the SP decrypts and validates', () => {
  for (const algorithm of contentEncryptionAlgorithms) {
    it(`signs alice in with the Assertion encrypted (${algorithm}), signed inside and out`, async () => {
      const { agent: newAgent } = await encryptingPair({ encryptionAlgorithm: algorithm })
      const agent = newAgent()
      const xml = await captureIdpResponse(agent)

      // On the wire: one EncryptedAssertion, no readable Assertion or attribute, a signed Response.
      const response = parseXml(xml).documentElement
      expect(response.getElementsByTagNameNS(ns.saml, 'Assertion').length).toBe(0)
      expect(response.getElementsByTagNameNS(ns.saml, 'EncryptedAssertion').length).toBe(1)
      expect(xml).not.toContain('alice@example.com')
      expect(xml).toContain(
        algorithm === 'aes256-gcm'
          ? 'http://www.w3.org/2009/xmlenc11#aes256-gcm'
          : 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
      )
      expect(xml).toContain('http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p')
      const signatures = Array.from(response.childNodes).filter(
        (node) => (node as Element).localName === 'Signature',
      )
      expect(signatures.length).toBe(1)

      const result = await postToAcs(agent, xml)
      expect(result.status).toBe(303)
      expect(await signedInAs(agent)).toBe('alice')
      const home = await agent.navigate(`${spUrl}/`)
      expect(home.document.querySelector('#user-email')?.text).toBe('alice@example.com')
    })
  }

  it('signs in through the browser flow as a person would, with the Response left unsigned', async () => {
    const { agent: newAgent } = await encryptingPair({ signResponse: false })
    const agent = newAgent()
    const login = await agent.navigate(`${spUrl}/login?return_url=/`)
    const decoded = decodeRedirect(login.url.split('?')[1] ?? '', 'SAMLRequest')
    expect(readAuthnRequest(parseXml(decoded.xml)).issuer).toBe(spEntityId)
    const landed = await agent.submit(
      login,
      '#login-form',
      { username: 'bob' },
      { name: 'action', value: 'login' },
    )
    expect(landed.url).toBe(`${spUrl}/`)
    expect(await signedInAs(agent)).toBe('bob')
  })

  it('refuses a response encrypted to another key (SAML_ASSERTION_DECRYPTION_FAILED), and stores nothing', async () => {
    // The IdP holds a wrong certificate for the SP: the attacker's, not the SP's own.
    const { agent: newAgent, keys } = await encryptingPair({
      encryptionCertificates: [(await testCredentials()).other.certificateBase64],
    })
    const agent = newAgent()
    const login = await agent.navigate(`${spUrl}/login`)
    const page = await agent.submit(
      login,
      '#login-form',
      { username: 'alice' },
      { name: 'action', value: 'login' },
    )
    expect(page.url).toBe(acsUrl)
    expect(page.status).toBe(403)
    expect(errorCode(page)).toBe('SAML_ASSERTION_DECRYPTION_FAILED')
    expect(page.html).toContain('encrypted to another certificate')
    expect(page.html).toContain(keys.other.fingerprintSha256)
    expect(page.html).not.toContain('alice@example.com')
    expect(await signedInAs(agent)).toBeNull()
  })

  it('ssoproof check without the SP key cannot read an EncryptedAssertion (SAML_ENCRYPTED_UNSUPPORTED)', async () => {
    const pair = await encryptingPair()
    const xml = await captureIdpResponse(pair.agent())
    const { decryptionKeyPem: _, ...withoutKey } = validationSettings(pair.sp.config)
    const checked = checkResponse(xml, { settings: withoutKey, at: pair.clock.now() })
    expect(checked.failure).toMatchObject({
      code: 'SAML_ENCRYPTED_UNSUPPORTED',
      check: 'EncryptedAssertion',
    })
    const withKey = checkResponse(xml, {
      settings: validationSettings(pair.sp.config),
      at: pair.clock.now(),
    })
    expect(withKey.accepted).toBe(true)
  })

  it('still wants the IdP signature: an assertion anyone can encrypt to the SP is checked as usual', async () => {
    const { agent: newAgent, clock, keys } = await encryptingPair()
    const agent = newAgent()
    const login = await agent.request(`${spUrl}/login`)
    const location = login.headers.get('location') ?? ''
    const requestId = readAuthnRequest(
      parseXml(decodeRedirect(location.split('?')[1] ?? '', 'SAMLRequest').xml),
    ).id
    const now = clock.now()
    const content = {
      id: '_response-forged-1',
      issuer: `${idpUrl}/saml/metadata`,
      destination: acsUrl,
      inResponseTo: requestId,
      issueInstant: now,
      status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Success' },
      assertion: {
        id: '_assertion-forged-1',
        nameId: 'mallory',
        nameIdFormat: 'unspecified' as const,
        audience: spEntityId,
        recipient: acsUrl,
        notBefore: now,
        notOnOrAfter: now + 300_000,
        authnInstant: now,
        sessionIndex: '_session-1',
        attributes: [],
      },
    }
    const encryption = {
      certificatePem: keys.sp.certificatePem,
      contentAlgorithm: 'aes256-gcm' as const,
    }
    const byAttacker = {
      privateKeyPem: keys.other.privateKeyPem,
      certificatePem: keys.other.certificatePem,
    }

    const unsigned = await buildEncryptedResponse(
      content,
      { ...byAttacker, signResponse: false, signAssertion: false },
      encryption,
    )
    expect((await postToAcs(agent, unsigned)).code).toBe('SAML_ASSERTION_UNSIGNED')

    const otherKey = await buildEncryptedResponse(
      content,
      { ...byAttacker, signResponse: false, signAssertion: true },
      encryption,
    )
    expect((await postToAcs(agent, otherKey)).code).toBe('SAML_SIGNATURE_INVALID')
    expect(await signedInAs(agent)).toBeNull()
  })

  it('refuses a plaintext Assertion beside the EncryptedAssertion (SAML_ASSERTION_COUNT)', async () => {
    const { agent: newAgent } = await encryptingPair({ signResponse: false })
    const agent = newAgent()
    const encrypted = await captureIdpResponse(agent)
    const plain = `<saml:Assertion ID="_decoy" Version="2.0" IssueInstant="2030-01-01T12:00:00Z"><saml:Issuer>${idpUrl}/saml/metadata</saml:Issuer></saml:Assertion>`
    const both = encrypted.replace('</samlp:Response>', `${plain}</samlp:Response>`)
    const result = await postToAcs(agent, both)
    expect(result.code).toBe('SAML_ASSERTION_COUNT')
    expect(await signedInAs(agent)).toBeNull()
    expect((await postToAcs(agent, encrypted)).status).toBe(303)
  })
})

describe('wantAssertionsEncrypted at the SP', () => {
  it('refuses a plaintext Assertion (SAML_ASSERTION_UNENCRYPTED) and accepts an encrypted one', async () => {
    const plainPair = await createInProcessPair({ sp: { wantAssertionsEncrypted: true } })
    const plainAgent = plainPair.agent()
    const refused = await postToAcs(plainAgent, await captureIdpResponse(plainAgent))
    expect(refused.status).toBe(403)
    expect(refused.code).toBe('SAML_ASSERTION_UNENCRYPTED')
    expect(await signedInAs(plainAgent)).toBeNull()

    const { agent: newAgent } = await encryptingPair({}, { sp: { wantAssertionsEncrypted: true } })
    const agent = newAgent()
    expect((await postToAcs(agent, await captureIdpResponse(agent))).status).toBe(303)
    expect(await signedInAs(agent)).toBe('alice')
  })
})

describe('IdP registration of an SP for encryption', () => {
  it('refuses encryptAssertion for an SP without an encryption certificate (CONFIG_INVALID)', async () => {
    const { idp } = await createInProcessPair()
    const response = await idp.app.request('/admin/service-providers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        entityId: 'https://sp.example.com',
        assertionConsumerServices: [{ location: 'https://sp.example.com/acs' }],
        encryptAssertion: true,
      }),
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { code: string; reason: string } }
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.reason).toContain('encryptionCertificates')
    expect(idp.serviceProviders.get('https://sp.example.com')).toBeUndefined()
  })
})
