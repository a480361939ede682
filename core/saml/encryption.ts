import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto'
import { createRequire } from 'node:module'
import type { Element } from '@xmldom/xmldom'
import { type Evidence, SsoError } from '../errors/index.ts'
import { toCertificatePem } from '../keys/parse.ts'
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
import { refuseUnlessAllowed, type WarningSink } from '../xmldsig/legacy.ts'
import {
  acceptedContentEncryption,
  acceptedKeyTransport,
  type ContentEncryptionAlgorithm,
  encryptionAlgorithms,
  readEncryptionCertificate,
} from './encryption-settings.ts'

type XmlEncryption = typeof import('xml-encryption')
let library: XmlEncryption | undefined
/** xml-encryption (and node-forge under it) loads with the first encrypted message, not at start. */
function xmlEncryption(): XmlEncryption {
  library ??= createRequire(import.meta.url)('xml-encryption') as XmlEncryption
  return library
}

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
    xmlEncryption().encrypt(
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

export interface DecryptAssertionOptions {
  /** The SP's private key, PEM (PKCS#8 or PKCS#1). Never logged, never put into an error. */
  privateKeyPem: string
  /** Legacy mode: also accept RSA 1.5 key transport and an SP key under 2048 bits, as warnings. */
  allowLegacyCrypto?: boolean
  /** Receives what legacy mode let through, and AES-CBC content (accepted, always a warning). */
  onWarning?: WarningSink
}

/** The encrypted elements of saml-core §2.3.4 and §2.2.4, what each holds, how each fails. */
const encryptedKinds = {
  EncryptedAssertion: {
    plaintext: 'Assertion',
    noun: 'assertion',
    failed: 'SAML_ASSERTION_DECRYPTION_FAILED',
    wrongContent: 'SAML_ASSERTION_COUNT',
  },
  EncryptedID: {
    plaintext: 'NameID',
    noun: 'NameID',
    failed: 'SAML_NAMEID_DECRYPTION_FAILED',
    wrongContent: 'SAML_SUBJECT_INVALID',
  },
} as const
type EncryptedKind = keyof typeof encryptedKinds

const rsa1_5 = `${ns.xenc}rsa-1_5`
const minimumRsaBits = 2048

/**
 * Decrypts a saml:EncryptedAssertion with the SP's key and returns the saml:Assertion, parsed by
 * parseXml into a document of its own: the plaintext meets the same caps as any message (size,
 * no DOCTYPE, and the nesting depth left below the EncryptedAssertion). Checks, in order:
 *   1. one xenc:EncryptedData (Type Element) and one xenc:EncryptedKey   SAML_ASSERTION_DECRYPTION_FAILED
 *   2. accepted content and key transport algorithms                    SAML_ENCRYPTION_ALGORITHM_FORBIDDEN
 *      AES-CBC content: accepted with a warning                         SAML_CONTENT_ENCRYPTION_CBC
 *      RSA 1.5 key transport (legacy mode: a warning)                   SAML_KEY_TRANSPORT_RSA1_5
 *   3. an SP key of 2048 bits or more (legacy mode: a warning)          SAML_DECRYPTION_KEY_TOO_SHORT
 *   4. the key unwraps and the content decrypts (xml-encryption)        SAML_ASSERTION_DECRYPTION_FAILED
 *   5. the plaintext parses within the limits                           XML_*
 *   6. it is one saml:Assertion                                         SAML_ASSERTION_COUNT
 * The Assertion's signature is the caller's to verify, on the element returned.
 */
export function decryptAssertion(
  encryptedAssertion: Element,
  options: DecryptAssertionOptions,
): Element {
  return decryptElement(encryptedAssertion, 'EncryptedAssertion', options)
}

/**
 * Decrypts a saml:EncryptedID (saml-core §2.2.4) into its saml:NameID, with the same checks as
 * decryptAssertion; a failure carries SAML_NAMEID_DECRYPTION_FAILED, and plaintext that is not a
 * NameID (a BaseID, a foreign identifier) SAML_SUBJECT_INVALID.
 */
export function decryptNameId(encryptedId: Element, options: DecryptAssertionOptions): Element {
  return decryptElement(encryptedId, 'EncryptedID', options)
}

function decryptElement(
  container: Element,
  kind: EncryptedKind,
  options: DecryptAssertionOptions,
): Element {
  const { encryptedData, encryptedKey } = readStructure(container, kind)
  const algorithms = checkAlgorithms(encryptedData, encryptedKey, options)
  checkKeyLength(options)
  const plaintext = runDecrypt(container, kind, options, () => ({
    ...algorithms,
    ...recipientEvidence(encryptedKey, options.privateKeyPem),
  }))
  const element = parseXml(plaintext, {
    maxDepth: xmlLimits.maxDepth - ancestorCount(container),
  }).documentElement
  const expected = encryptedKinds[kind].plaintext
  if (!element || !isSaml(element, expected)) {
    throw new SsoError(
      encryptedKinds[kind].wrongContent,
      kind,
      `the ${kind} does not hold a saml:${expected}`,
      { decrypted: element?.localName ?? null },
    )
  }
  return element
}

function readStructure(container: Element, kind: EncryptedKind) {
  // xml-encryption finds its elements by local name alone, so count them that way too.
  const count = (name: string) => container.getElementsByTagNameNS('*', name).length
  const encryptedData = firstChildElement(container, ns.xenc, 'EncryptedData')
  if (!encryptedData || count('EncryptedData') !== 1) {
    throw failed(kind, `the ${kind} must hold exactly one xenc:EncryptedData`, {
      encryptedData: count('EncryptedData'),
    })
  }
  const type = attr(encryptedData, 'Type')
  if (type !== undefined && type !== `${ns.xenc}Element`) {
    throw failed(kind, 'the EncryptedData must be of Type Element (saml-core 2.2.4, 2.3.4)', {
      type: type.slice(0, 200),
    })
  }
  const keyInfo = firstChildElement(encryptedData, ns.ds, 'KeyInfo')
  const encryptedKeys = [
    ...(keyInfo ? childElements(keyInfo, ns.xenc, 'EncryptedKey') : []),
    ...childElements(container, ns.xenc, 'EncryptedKey'),
  ]
  const [encryptedKey] = encryptedKeys
  if (!encryptedKey || encryptedKeys.length !== 1 || count('EncryptedKey') !== 1) {
    throw failed(kind, `the ${kind} must carry exactly one xenc:EncryptedKey`, {
      encryptedKey: count('EncryptedKey'),
    })
  }
  return { encryptedData, encryptedKey }
}

function checkAlgorithms(
  encryptedData: Element,
  encryptedKey: Element,
  options: DecryptAssertionOptions,
) {
  const algorithmOf = (element: Element) => {
    const method = firstChildElement(element, ns.xenc, 'EncryptionMethod')
    return method ? (attr(method, 'Algorithm') ?? null) : null
  }
  const content = algorithmOf(encryptedData)
  const keyTransport = algorithmOf(encryptedKey)
  if (content === null || !acceptedContentEncryption.includes(content)) {
    throw forbidden('content', content, acceptedContentEncryption)
  }
  if (content.endsWith('-cbc')) {
    options.onWarning?.({
      code: 'SAML_CONTENT_ENCRYPTION_CBC',
      check: 'EncryptionMethod',
      reason: 'the content is encrypted with AES-CBC, which has no integrity of its own; accepted',
      evidence: { algorithm: content },
    })
  }
  if (keyTransport === rsa1_5) {
    refuseUnlessAllowed(
      new SsoError(
        'SAML_KEY_TRANSPORT_RSA1_5',
        'EncryptionMethod',
        'the content key is wrapped with RSA 1.5 (PKCS#1 v1.5)',
        { algorithm: keyTransport },
      ),
      legacyAllowance(options),
    )
  } else if (keyTransport === null || !acceptedKeyTransport.includes(keyTransport)) {
    throw forbidden('key transport', keyTransport, acceptedKeyTransport)
  }
  return { contentAlgorithm: content, keyTransportAlgorithm: keyTransport }
}

function forbidden(name: string, value: string | null, accepted: readonly string[]): SsoError {
  return new SsoError(
    'SAML_ENCRYPTION_ALGORITHM_FORBIDDEN',
    'EncryptionMethod',
    `the ${name} encryption algorithm is ${value === null ? 'missing' : 'not accepted'}`,
    { algorithm: value?.slice(0, 200) ?? null, accepted },
  )
}

/** Catalogue item 13 applies to the SP's own RSA key too; a key that cannot be read fails later. */
function checkKeyLength(options: DecryptAssertionOptions): void {
  let bits: number | undefined
  try {
    const key = createPrivateKey(options.privateKeyPem)
    bits = key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined
  } catch {
    return
  }
  if (bits !== undefined && bits < minimumRsaBits) {
    refuseUnlessAllowed(
      new SsoError(
        'SAML_DECRYPTION_KEY_TOO_SHORT',
        'EncryptedKey',
        `the SP decryption key is shorter than ${minimumRsaBits} bits`,
        { keyBits: bits },
      ),
      legacyAllowance(options),
    )
  }
}

function legacyAllowance(options: DecryptAssertionOptions) {
  return {
    allowed: options.allowLegacyCrypto ?? false,
    because: 'legacy crypto is allowed',
    warn: options.onWarning,
  }
}

/** xml-encryption's decrypt, on the encrypted element alone: its XPath searches the whole document. */
function runDecrypt(
  container: Element,
  kind: EncryptedKind,
  options: DecryptAssertionOptions,
  evidence: () => { keyTransportAlgorithm: string } & Evidence,
): string {
  let plaintext: string | undefined
  let refusedRsa1_5 = false
  xmlEncryption().decrypt(
    serializeXml(container),
    {
      key: options.privateKeyPem,
      disallowDecryptionWithInsecureAlgorithm: !(options.allowLegacyCrypto ?? false),
      warnInsecureAlgorithm: false,
    },
    (error, result) => {
      if (!error && typeof result === 'string') plaintext = result
      // Node.js (CVE-2023-46809) refuses PKCS#1 v1.5 private decryption; its message names it.
      refusedRsa1_5 = error instanceof Error && error.message.includes('RSA_PKCS1_PADDING')
    },
  )
  if (plaintext === undefined) {
    const details = evidence()
    throw failed(
      kind,
      details.keyTransportAlgorithm === rsa1_5 && refusedRsa1_5
        ? 'the content key is wrapped with RSA 1.5, which this Node.js runtime no longer decrypts (CVE-2023-46809)'
        : details.encryptedToThisKey === false
          ? `the ${encryptedKinds[kind].noun} is encrypted to another certificate than the SP's`
          : `the ${encryptedKinds[kind].noun} cannot be decrypted with the SP's key`,
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

function failed(kind: EncryptedKind, reason: string, evidence: Evidence): SsoError {
  return new SsoError(encryptedKinds[kind].failed, kind, reason, evidence)
}
