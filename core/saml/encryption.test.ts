import { webcrypto } from 'node:crypto'
import type { Element } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { encrypt } from 'xml-encryption'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { type Finding, SsoError } from '../errors/index.ts'
import type { Credential } from '../keys/index.ts'
import { X509CertificateGenerator } from '../keys/test-support.ts'
import { firstChildElement, ns, ownerDocumentOf, parseXml, serializeXml } from '../xml/index.ts'
import { signElement, verifyElementSignature } from '../xmldsig/index.ts'
import { createTestKey } from '../xmldsig/test-support.ts'
import { decryptAssertion, decryptNameId, encryptAssertion } from './encryption.ts'
import { contentEncryptionAlgorithms, encryptionAlgorithms } from './encryption-settings.ts'

let keys: { idp: Credential; sp: Credential; other: Credential }
beforeAll(async () => {
  keys = await testCredentials()
})

const secret = 'TOP-SECRET-NAMEID'
const assertionXml = `<saml:Assertion xmlns:saml="${ns.saml}" ID="_a1" Version="2.0" IssueInstant="2030-01-01T12:00:00Z"><saml:Issuer>https://idp.example.com</saml:Issuer><saml:Subject><saml:NameID>${secret}</saml:NameID></saml:Subject></saml:Assertion>`

function errorOf(fn: () => unknown): SsoError {
  try {
    fn()
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
  throw new Error('expected an SsoError, but nothing was thrown')
}

/** The EncryptedAssertion element, as the SP finds it: the child of a Response. */
function inResponse(encryptedAssertionXml: string): Element {
  const inner = encryptedAssertionXml.replace(
    /^<saml:EncryptedAssertion[^>]*>/,
    '<saml:EncryptedAssertion>',
  )
  const doc = parseXml(
    `<samlp:Response xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="_r1" Version="2.0">${inner}</samlp:Response>`,
  )
  return firstChildElement(doc.documentElement, ns.saml, 'EncryptedAssertion') as Element
}

/** Encrypts any text, as a hostile IdP could, bypassing encryptAssertion's own checks. */
function encryptRaw(plaintext: string, to: Credential): Promise<string> {
  return new Promise((resolve, reject) =>
    encrypt(
      plaintext,
      {
        rsa_pub: to.publicKey.export({ type: 'spki', format: 'pem' }),
        pem: to.certificatePem,
        encryptionAlgorithm: encryptionAlgorithms['aes256-gcm'],
        keyEncryptionAlgorithm: encryptionAlgorithms['rsa-oaep-mgf1p'],
      },
      (error, result) => (error || !result ? reject(error) : resolve(result)),
    ),
  ).then(
    (data) => `<saml:EncryptedAssertion xmlns:saml="${ns.saml}">${data}</saml:EncryptedAssertion>`,
  )
}

describe('encryptAssertion / decryptAssertion', () => {
  for (const algorithm of contentEncryptionAlgorithms) {
    it(`round-trips with ${algorithm} content and RSA-OAEP key transport`, async () => {
      const encrypted = await encryptAssertion(assertionXml, {
        certificatePem: keys.sp.certificatePem,
        contentAlgorithm: algorithm,
      })
      expect(encrypted).not.toContain(secret)
      const root = parseXml(encrypted).documentElement
      expect(root.localName).toBe('EncryptedAssertion')
      const methods = Array.from(root.getElementsByTagNameNS(ns.xenc, 'EncryptionMethod')).map(
        (method) => method.getAttribute('Algorithm'),
      )
      expect(methods).toEqual([
        encryptionAlgorithms[algorithm],
        encryptionAlgorithms['rsa-oaep-mgf1p'],
      ])

      const assertion = decryptAssertion(inResponse(encrypted), {
        privateKeyPem: keys.sp.privateKeyPem,
      })
      expect(serializeXml(assertion)).toBe(serializeXml(parseXml(assertionXml).documentElement))
      expect(ownerDocumentOf(assertion).documentElement).toBe(assertion)
    })
  }

  it('accepts the certificate as bare base64 DER, as metadata carries it', async () => {
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: keys.sp.certificateBase64,
      contentAlgorithm: 'aes256-gcm',
    })
    const assertion = decryptAssertion(inResponse(encrypted), {
      privateKeyPem: keys.sp.privateKeyPem,
    })
    expect(assertion.getAttribute('ID')).toBe('_a1')
  })

  it('keeps a signature made before encryption verifiable on the decrypted element', async () => {
    const signed = signElement(assertionXml, {
      id: '_a1',
      privateKeyPem: keys.idp.privateKeyPem,
      certificatePem: keys.idp.certificatePem,
    })
    const encrypted = await encryptAssertion(signed, {
      certificatePem: keys.sp.certificatePem,
      contentAlgorithm: 'aes128-cbc',
    })
    const assertion = decryptAssertion(inResponse(encrypted), {
      privateKeyPem: keys.sp.privateKeyPem,
    })
    const verified = verifyElementSignature(assertion, {
      trustedCertificates: [keys.idp.certificatePem],
    })
    expect(verified.element).toBe(assertion)
  })

  it('decrypts only its own element, even after a signed Response KeyInfo in the document', async () => {
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: keys.sp.certificatePem,
      contentAlgorithm: 'aes256-gcm',
    })
    const response = signElement(
      `<samlp:Response xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="_r1" Version="2.0"><saml:Issuer>https://idp.example.com</saml:Issuer>${encrypted}</samlp:Response>`,
      { id: '_r1', privateKeyPem: keys.idp.privateKeyPem, certificatePem: keys.idp.certificatePem },
    )
    const element = firstChildElement(
      parseXml(response).documentElement,
      ns.saml,
      'EncryptedAssertion',
    ) as Element
    expect(
      decryptAssertion(element, { privateKeyPem: keys.sp.privateKeyPem }).getAttribute('ID'),
    ).toBe('_a1')
  })

  it('refuses to encrypt anything but a saml:Assertion', async () => {
    await expect(
      encryptAssertion('<x/>', {
        certificatePem: keys.sp.certificatePem,
        contentAlgorithm: 'aes256-gcm',
      }),
    ).rejects.toThrow(TypeError)
  })

  it('refuses a certificate without an RSA key (CONFIG_INVALID)', async () => {
    const ec = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
    const certificate = await X509CertificateGenerator.createSelfSigned({
      name: 'CN=ec',
      keys: await webcrypto.subtle.generateKey(ec, true, ['sign', 'verify']),
      signingAlgorithm: ec,
    })
    await expect(
      encryptAssertion(assertionXml, {
        certificatePem: certificate.toString('pem'),
        contentAlgorithm: 'aes256-gcm',
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', check: 'encryptionCertificates' })
  })
})

describe('decryptAssertion refuses', () => {
  it('an assertion encrypted to another key, naming that certificate (SAML_ASSERTION_DECRYPTION_FAILED)', async () => {
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: keys.other.certificatePem,
      contentAlgorithm: 'aes256-gcm',
    })
    const error = errorOf(() =>
      decryptAssertion(inResponse(encrypted), { privateKeyPem: keys.sp.privateKeyPem }),
    )
    expect(error.code).toBe('SAML_ASSERTION_DECRYPTION_FAILED')
    expect(error.reason).toBe("the assertion is encrypted to another certificate than the SP's")
    expect(error.evidence).toEqual({
      contentAlgorithm: encryptionAlgorithms['aes256-gcm'],
      keyTransportAlgorithm: encryptionAlgorithms['rsa-oaep-mgf1p'],
      encryptedToCertificateSha256: keys.other.fingerprintSha256,
      encryptedToThisKey: false,
    })
    const text = JSON.stringify({ message: error.message, evidence: error.evidence })
    expect(text).not.toContain(secret)
    expect(text).not.toContain('PRIVATE KEY')
  })

  it('a tampered AES-GCM ciphertext (SAML_ASSERTION_DECRYPTION_FAILED)', async () => {
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: keys.sp.certificatePem,
      contentAlgorithm: 'aes256-gcm',
    })
    const element = inResponse(encrypted)
    const cipherValue = Array.from(element.getElementsByTagNameNS(ns.xenc, 'CipherValue')).at(-1)
    const bytes = Buffer.from(cipherValue?.textContent ?? '', 'base64')
    bytes[20] = (bytes[20] ?? 0) ^ 1
    ;(cipherValue as Element).textContent = bytes.toString('base64')
    const error = errorOf(() => decryptAssertion(element, { privateKeyPem: keys.sp.privateKeyPem }))
    expect(error.code).toBe('SAML_ASSERTION_DECRYPTION_FAILED')
    expect(error.evidence.encryptedToThisKey).toBe(true)
  })

  it('Triple DES content, even in legacy mode (SAML_ENCRYPTION_ALGORITHM_FORBIDDEN)', async () => {
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: keys.sp.certificatePem,
      contentAlgorithm: 'aes256-gcm',
    })
    const tripleDes = encrypted.replace('xmlenc11#aes256-gcm', 'xmlenc#tripledes-cbc')
    for (const allowLegacyCrypto of [false, true]) {
      const error = errorOf(() =>
        decryptAssertion(inResponse(tripleDes), {
          privateKeyPem: keys.sp.privateKeyPem,
          allowLegacyCrypto,
        }),
      )
      expect(error.code).toBe('SAML_ENCRYPTION_ALGORITHM_FORBIDDEN')
      expect(String(error.evidence.algorithm)).toContain('tripledes-cbc')
    }
  })

  it('RSA 1.5 key transport with its own code (SAML_KEY_TRANSPORT_RSA1_5); legacy mode warns and tries', async () => {
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: keys.sp.certificatePem,
      contentAlgorithm: 'aes256-gcm',
    })
    const rsa15 = inResponse(encrypted.replace('rsa-oaep-mgf1p', 'rsa-1_5'))
    const error = errorOf(() => decryptAssertion(rsa15, { privateKeyPem: keys.sp.privateKeyPem }))
    expect([error.code, error.check]).toEqual(['SAML_KEY_TRANSPORT_RSA1_5', 'EncryptionMethod'])
    const warnings: Finding[] = []
    // The key is really wrapped with OAEP, so the RSA 1.5 unwrap fails either way.
    const legacy = errorOf(() =>
      decryptAssertion(rsa15, {
        privateKeyPem: keys.sp.privateKeyPem,
        allowLegacyCrypto: true,
        onWarning: (warning) => warnings.push(warning),
      }),
    )
    expect(legacy.code).toBe('SAML_ASSERTION_DECRYPTION_FAILED')
    expect(warnings.map((warning) => warning.code)).toEqual(['SAML_KEY_TRANSPORT_RSA1_5'])
  })

  it('an EncryptedData of Type Content, and a second EncryptedKey', async () => {
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: keys.sp.certificatePem,
      contentAlgorithm: 'aes256-gcm',
    })
    const content = encrypted.replace('xmlenc#Element', 'xmlenc#Content')
    expect(
      errorOf(() =>
        decryptAssertion(inResponse(content), { privateKeyPem: keys.sp.privateKeyPem }),
      ),
    ).toMatchObject({
      code: 'SAML_ASSERTION_DECRYPTION_FAILED',
      evidence: { type: `${ns.xenc}Content` },
    })

    const key = /<e:EncryptedKey[\s\S]*<\/e:EncryptedKey>/.exec(encrypted)?.[0] ?? ''
    const twoKeys = encrypted.replace(
      '</saml:EncryptedAssertion>',
      `${key}</saml:EncryptedAssertion>`,
    )
    expect(
      errorOf(() =>
        decryptAssertion(inResponse(twoKeys), { privateKeyPem: keys.sp.privateKeyPem }),
      ),
    ).toMatchObject({ code: 'SAML_ASSERTION_DECRYPTION_FAILED', evidence: { encryptedKey: 2 } })
  })

  it('a DOCTYPE inside the encrypted content: the plaintext goes through the hardened parser', async () => {
    const hostile = await encryptRaw(
      `<!DOCTYPE a [<!ENTITY x "${secret}">]><saml:Assertion xmlns:saml="${ns.saml}" ID="_a1" Version="2.0">&x;</saml:Assertion>`,
      keys.sp,
    )
    const error = errorOf(() =>
      decryptAssertion(inResponse(hostile), { privateKeyPem: keys.sp.privateKeyPem }),
    )
    expect(error.code).toBe('XML_DOCTYPE_FORBIDDEN')
    expect(JSON.stringify(error)).not.toContain(secret)
  })

  it('plaintext nested deeper than the cap once it takes the EncryptedAssertion’s place', async () => {
    // Depth 63 alone is within the cap of 64; under the Response it would be depth 64 + 1.
    const deep = `<saml:Assertion xmlns:saml="${ns.saml}" ID="_a1" Version="2.0">${'<a>'.repeat(63)}${'</a>'.repeat(63)}</saml:Assertion>`
    const hostile = await encryptRaw(deep, keys.sp)
    expect(parseXml(deep).documentElement?.localName).toBe('Assertion')
    expect(
      errorOf(() => decryptAssertion(inResponse(hostile), { privateKeyPem: keys.sp.privateKeyPem }))
        .code,
    ).toBe('XML_TOO_DEEP')
  })

  it('plaintext that is not a saml:Assertion (SAML_ASSERTION_COUNT)', async () => {
    const hostile = await encryptRaw(`<samlp:Response xmlns:samlp="${ns.samlp}"/>`, keys.sp)
    expect(
      errorOf(() =>
        decryptAssertion(inResponse(hostile), { privateKeyPem: keys.sp.privateKeyPem }),
      ),
    ).toMatchObject({ code: 'SAML_ASSERTION_COUNT', evidence: { decrypted: 'Response' } })
  })
})

describe('decryptAssertion: warnings and legacy crypto', () => {
  it('accepts AES-CBC content with a SAML_CONTENT_ENCRYPTION_CBC warning', async () => {
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: keys.sp.certificatePem,
      contentAlgorithm: 'aes128-cbc',
    })
    const warnings: Finding[] = []
    decryptAssertion(inResponse(encrypted), {
      privateKeyPem: keys.sp.privateKeyPem,
      onWarning: (warning) => warnings.push(warning),
    })
    expect(warnings.map((warning) => [warning.code, warning.check])).toEqual([
      ['SAML_CONTENT_ENCRYPTION_CBC', 'EncryptionMethod'],
    ])
  })

  it('refuses an SP key under 2048 bits (SAML_DECRYPTION_KEY_TOO_SHORT), unless in legacy mode', async () => {
    const weak = await createTestKey('sp.legacy.example', 1024)
    const encrypted = await encryptAssertion(assertionXml, {
      certificatePem: weak.certificatePem,
      contentAlgorithm: 'aes256-gcm',
    })
    const error = errorOf(() =>
      decryptAssertion(inResponse(encrypted), { privateKeyPem: weak.privateKeyPem }),
    )
    expect([error.code, error.evidence.keyBits]).toEqual(['SAML_DECRYPTION_KEY_TOO_SHORT', 1024])
    const warnings: Finding[] = []
    const assertion = decryptAssertion(inResponse(encrypted), {
      privateKeyPem: weak.privateKeyPem,
      allowLegacyCrypto: true,
      onWarning: (warning) => warnings.push(warning),
    })
    expect(assertion.getAttribute('ID')).toBe('_a1')
    expect(warnings.map((warning) => warning.code)).toEqual(['SAML_DECRYPTION_KEY_TOO_SHORT'])
  })
})

describe('decryptNameId', () => {
  /** An EncryptedID in a Subject, holding what `plaintext` encrypts to the SP. */
  async function encryptedId(plaintext: string, to: Credential = keys.sp): Promise<Element> {
    const wrapped = await encryptRaw(plaintext, to)
    const inner = wrapped
      .replace(/^<saml:EncryptedAssertion[^>]*>/, '')
      .replace(/<\/saml:EncryptedAssertion>$/, '')
    const doc = parseXml(
      `<saml:Subject xmlns:saml="${ns.saml}"><saml:EncryptedID>${inner}</saml:EncryptedID></saml:Subject>`,
    )
    return firstChildElement(doc.documentElement, ns.saml, 'EncryptedID') as Element
  }

  it('returns the saml:NameID, in a document of its own', async () => {
    const element = await encryptedId(
      `<saml:NameID xmlns:saml="${ns.saml}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${secret}</saml:NameID>`,
    )
    const nameId = decryptNameId(element, { privateKeyPem: keys.sp.privateKeyPem })
    expect([nameId.localName, nameId.textContent]).toEqual(['NameID', secret])
    expect(ownerDocumentOf(nameId).documentElement).toBe(nameId)
  })

  it('refuses plaintext that is not a NameID (SAML_SUBJECT_INVALID)', async () => {
    const element = await encryptedId(`<saml:BaseID xmlns:saml="${ns.saml}"/>`)
    expect(
      errorOf(() => decryptNameId(element, { privateKeyPem: keys.sp.privateKeyPem })),
    ).toMatchObject({ code: 'SAML_SUBJECT_INVALID', check: 'EncryptedID' })
  })

  it('refuses a NameID encrypted to another key (SAML_NAMEID_DECRYPTION_FAILED)', async () => {
    const element = await encryptedId(
      `<saml:NameID xmlns:saml="${ns.saml}">${secret}</saml:NameID>`,
      keys.other,
    )
    const error = errorOf(() => decryptNameId(element, { privateKeyPem: keys.sp.privateKeyPem }))
    expect([error.code, error.check]).toEqual(['SAML_NAMEID_DECRYPTION_FAILED', 'EncryptedID'])
    expect(error.reason).toBe("the NameID is encrypted to another certificate than the SP's")
    expect(JSON.stringify(error)).not.toContain(secret)
  })
})
