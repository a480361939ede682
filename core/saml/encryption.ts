import { createPublicKey, X509Certificate } from 'node:crypto'
import { decrypt, encrypt } from 'xml-encryption'
import { type Evidence, SsoError } from '../errors/index.ts'
import { type ParsedCertificate, parseCertificate, toCertificatePem } from '../keys/parse.ts'
import {
  attr,
  childElements,
  firstChildElement,
  ns,
  parseXml,
  serializeXml,
  textContent,
  xmlLimits,
} from '../xml/index.ts'

const xenc11 = 'http://www.w3.org/2009/xmlenc11#'

/** Algorithm URIs of XML Encryption (xmlenc-core §5; AES-GCM: xmlenc-core1 §5.2.4). */
export const encryptionAlgorithms = {
  'aes128-cbc': `${ns.xenc}aes128-cbc`,
  'aes256-cbc': `${ns.xenc}aes256-cbc`,
  'aes128-gcm': `${xenc11}aes128-gcm`,
  'aes256-gcm': `${xenc11}aes256-gcm`,
  'rsa-oaep-mgf1p': `${ns.xenc}rsa-oaep-mgf1p`,
} as const

/** What the IdP encrypts content with: AES-256-GCM, or AES-128-CBC for SPs that lack GCM. */
export const contentEncryptionAlgorithms = ['aes256-gcm', 'aes128-cbc'] as const
export type ContentEncryptionAlgorithm = (typeof contentEncryptionAlgorithms)[number]

/**
 * What the SP decrypts and lists as md:EncryptionMethod in its metadata. Everything else is
 * refused: RSA 1.5 key transport invites Bleichenbacher's attack (xmlenc-core1 §5.5.1), and
 * Triple DES is withdrawn.
 */
export const acceptedContentEncryption: readonly string[] = [
  encryptionAlgorithms['aes256-gcm'],
  encryptionAlgorithms['aes128-gcm'],
  encryptionAlgorithms['aes256-cbc'],
  encryptionAlgorithms['aes128-cbc'],
]
export const acceptedKeyTransport: readonly string[] = [encryptionAlgorithms['rsa-oaep-mgf1p']]

export interface EncryptAssertionOptions {
  /** The SP's encryption certificate, PEM or base64 DER (KeyDescriptor use="encryption"). */
  certificatePem: string
  contentAlgorithm: ContentEncryptionAlgorithm
}

/**
 * Encrypts a saml:Assertion (signed first, if it is to be signed) to the SP's certificate and
 * returns the saml:EncryptedAssertion (saml-core §2.3.4, §6.1): an xenc:EncryptedData of Type
 * Element whose KeyInfo carries the content key in an RSA-OAEP xenc:EncryptedKey. The content
 * key and IV come from the library's CSPRNG, never from the injected Random: a seeded generator
 * would repeat AES-GCM nonces.
 */
export async function encryptAssertion(
  assertionXml: string,
  options: EncryptAssertionOptions,
): Promise<string> {
  const assertion = parseXml(assertionXml).documentElement
  if (!assertion || !isSaml(assertion, 'Assertion')) {
    throw new TypeError('encryptAssertion: the XML is not a saml:Assertion')
  }
  const certificate = readEncryptionCertificate(options.certificatePem)
  const encryptedData = await new Promise<string>((resolve, reject) => {
    encrypt(
      serializeXml(assertion),
      {
        rsa_pub: certificate.publicKey.export({ type: 'spki', format: 'pem' }),
        pem: toCertificatePem(certificate.certificateBase64),
        encryptionAlgorithm: encryptionAlgorithms[options.contentAlgorithm],
        keyEncryptionAlgorithm: encryptionAlgorithms['rsa-oaep-mgf1p'],
        disallowEncryptionWithInsecureAlgorithm: true,
        warnInsecureAlgorithm: false,
      },
      (error, result) => {
        if (error || result === undefined) reject(error ?? new Error('no EncryptedData'))
        else resolve(result)
      },
    )
  })
  const wrapper = `<saml:EncryptedAssertion xmlns:saml="${ns.saml}">${encryptedData.trim()}</saml:EncryptedAssertion>`
  return serializeXml(parseXml(wrapper))
}

/** Reads an SP encryption certificate (PEM or base64 DER); RSA-OAEP needs an RSA key in it. */
export function readEncryptionCertificate(text: string): ParsedCertificate {
  const certificate = parseCertificate(text)
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    throw new SsoError(
      'CONFIG_INVALID',
      'encryptionCertificates',
      'the encryption certificate does not hold an RSA key',
      { certificateSha256: certificate.fingerprintSha256 },
    )
  }
  return certificate
}

export interface DecryptAssertionOptions {
  /** The SP's private key, PEM (PKCS#8 or PKCS#1). Never logged, never put into an error. */
  privateKeyPem: string
}

/**
 * Decrypts a saml:EncryptedAssertion with the SP's key and returns the saml:Assertion, parsed by
 * parseXml into a document of its own: the plaintext meets the same caps as any message (size,
 * no DOCTYPE, and the nesting depth left below the EncryptedAssertion). Checks, in order:
 *   1. one xenc:EncryptedData (Type Element) and one xenc:EncryptedKey   SAML_ASSERTION_DECRYPTION_FAILED
 *   2. accepted content and key transport algorithms                    SAML_ENCRYPTION_ALGORITHM_FORBIDDEN
 *   3. the key unwraps and the content decrypts (xml-encryption)        SAML_ASSERTION_DECRYPTION_FAILED
 *   4. the plaintext parses within the limits                           XML_*
 *   5. it is one saml:Assertion                                         SAML_ASSERTION_COUNT
 * The Assertion's signature is the caller's to verify, on the element returned.
 */
export function decryptAssertion(
  encryptedAssertion: Element,
  options: DecryptAssertionOptions,
): Element {
  const { encryptedData, encryptedKey } = readStructure(encryptedAssertion)
  const algorithms = checkAlgorithms(encryptedData, encryptedKey)
  const plaintext = runDecrypt(encryptedAssertion, options.privateKeyPem, () => ({
    ...algorithms,
    ...recipientEvidence(encryptedKey, options.privateKeyPem),
  }))
  const assertion = parseXml(plaintext, {
    maxDepth: xmlLimits.maxDepth - ancestorCount(encryptedAssertion),
  }).documentElement
  if (!assertion || !isSaml(assertion, 'Assertion')) {
    throw new SsoError(
      'SAML_ASSERTION_COUNT',
      'EncryptedAssertion',
      'the EncryptedAssertion does not hold a saml:Assertion',
      { decrypted: assertion?.localName ?? null },
    )
  }
  return assertion
}

function readStructure(encryptedAssertion: Element) {
  // xml-encryption finds its elements by local name alone, so count them that way too.
  const count = (name: string) => encryptedAssertion.getElementsByTagNameNS('*', name).length
  const encryptedData = firstChildElement(encryptedAssertion, ns.xenc, 'EncryptedData')
  if (!encryptedData || count('EncryptedData') !== 1) {
    throw failed('the EncryptedAssertion must hold exactly one xenc:EncryptedData', {
      encryptedData: count('EncryptedData'),
    })
  }
  const type = attr(encryptedData, 'Type')
  if (type !== undefined && type !== `${ns.xenc}Element`) {
    throw failed('the EncryptedData must be of Type Element (saml-core 2.3.4)', {
      type: type.slice(0, 200),
    })
  }
  const keyInfo = firstChildElement(encryptedData, ns.ds, 'KeyInfo')
  const encryptedKeys = [
    ...(keyInfo ? childElements(keyInfo, ns.xenc, 'EncryptedKey') : []),
    ...childElements(encryptedAssertion, ns.xenc, 'EncryptedKey'),
  ]
  const [encryptedKey] = encryptedKeys
  if (!encryptedKey || encryptedKeys.length !== 1 || count('EncryptedKey') !== 1) {
    throw failed('the EncryptedAssertion must carry exactly one xenc:EncryptedKey', {
      encryptedKey: count('EncryptedKey'),
    })
  }
  return { encryptedData, encryptedKey }
}

function checkAlgorithms(encryptedData: Element, encryptedKey: Element) {
  const algorithmOf = (element: Element) => {
    const method = firstChildElement(element, ns.xenc, 'EncryptionMethod')
    return method ? (attr(method, 'Algorithm') ?? null) : null
  }
  const content = algorithmOf(encryptedData)
  const keyTransport = algorithmOf(encryptedKey)
  for (const [name, value, accepted] of [
    ['content', content, acceptedContentEncryption],
    ['key transport', keyTransport, acceptedKeyTransport],
  ] as const) {
    if (value === null || !accepted.includes(value)) {
      throw new SsoError(
        'SAML_ENCRYPTION_ALGORITHM_FORBIDDEN',
        'EncryptionMethod',
        `the ${name} encryption algorithm is ${value === null ? 'missing' : 'not accepted'}`,
        { algorithm: value?.slice(0, 200) ?? null, accepted },
      )
    }
  }
  return { contentAlgorithm: content, keyTransportAlgorithm: keyTransport }
}

/** xml-encryption's decrypt, on the EncryptedAssertion alone: its XPath searches the whole document. */
function runDecrypt(encryptedAssertion: Element, key: string, evidence: () => Evidence): string {
  let plaintext: string | undefined
  decrypt(
    serializeXml(encryptedAssertion),
    { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false },
    (error, result) => {
      if (!error && typeof result === 'string') plaintext = result
    },
  )
  if (plaintext === undefined) {
    const details = evidence()
    throw failed(
      details.encryptedToThisKey === false
        ? "the assertion is encrypted to another certificate than the SP's"
        : "the assertion cannot be decrypted with the SP's key",
      details,
    )
  }
  return plaintext
}

/** Whom the EncryptedKey names as recipient (its KeyInfo certificate), against the SP's key. */
function recipientEvidence(encryptedKey: Element, privateKeyPem: string): Evidence {
  const keyInfo = firstChildElement(encryptedKey, ns.ds, 'KeyInfo')
  const data = keyInfo ? firstChildElement(keyInfo, ns.ds, 'X509Data') : undefined
  const text = data ? firstChildElement(data, ns.ds, 'X509Certificate') : undefined
  if (!text) return { encryptedToCertificateSha256: null, encryptedToThisKey: null }
  try {
    const certificate = new X509Certificate(Buffer.from(textContent(text), 'base64'))
    const ours = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' })
    const theirs = certificate.publicKey.export({ type: 'spki', format: 'der' })
    return {
      encryptedToCertificateSha256: certificate.fingerprint256,
      encryptedToThisKey: ours.equals(theirs),
    }
  } catch {
    return { encryptedToCertificateSha256: null, encryptedToThisKey: null }
  }
}

function ancestorCount(element: Element): number {
  let count = 0
  let node = element.parentNode
  while (node && node.nodeType === node.ELEMENT_NODE) {
    count++
    node = node.parentNode
  }
  return count
}

function isSaml(element: Element, localName: string): boolean {
  return element.namespaceURI === ns.saml && element.localName === localName
}

function failed(reason: string, evidence: Evidence): SsoError {
  return new SsoError('SAML_ASSERTION_DECRYPTION_FAILED', 'EncryptedAssertion', reason, evidence)
}
