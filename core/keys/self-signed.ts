import { type KeyObject, randomBytes, sign } from 'node:crypto'
import { isIP } from 'node:net'
import type nodeForge from 'node-forge'

export interface SelfSignedFields {
  commonName: string
  /** Hex, positive; drawn from the system's randomness (16 octets) when absent. */
  serialNumber?: string
  notBefore: Date
  notAfter: Date
  privateKey: KeyObject
  publicKey: KeyObject
  /** DNS names and IP addresses for SubjectAltName (none: no such extension). */
  subjectAltNames: string[]
  /**
   * The hash of the certificate's own signature (default sha256). `sha1` only makes the
   * certificates a harness shows being refused (an agent site's SHA-1 certificate).
   */
  signatureHash?: 'sha256' | 'sha1'
}

/** X.680 §41.4: a name PrintableString can carry is written as one, any other as UTF8String. */
const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/

/**
 * A self-signed X.509 v3 certificate (RFC 5280 §4.1) for an RSA key, signed with
 * sha256WithRSAEncryption (sha1WithRSAEncryption when asked): the subject and issuer are the common name alone. RFC 5280 §4.1.2.9:
 * the extensions field, when present, holds at least one extension; every certificate here is
 * an end entity that signs and encrypts: not a CA (§4.2.1.9), digitalSignature and
 * keyEncipherment (§4.2.1.3), its key identifier (§4.2.1.2), and the names given (§4.2.1.6).
 * node-forge writes the ASN.1 (loaded here only, when a certificate is made); node:crypto signs
 * the TBSCertificate, as forge's own RSA in JavaScript would take half a second. Returns the DER.
 */
export async function selfSignedCertificate(fields: SelfSignedFields): Promise<Buffer> {
  const forge = await loadForge()
  const { pki, asn1 } = forge
  const certificate = pki.createCertificate()
  certificate.publicKey = pki.publicKeyFromPem(
    fields.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  )
  const serial = fields.serialNumber ?? positive(randomBytes(16)).toString('hex')
  certificate.serialNumber = serial
  certificate.validity.notBefore = fields.notBefore
  certificate.validity.notAfter = fields.notAfter
  const name: nodeForge.pki.CertificateField[] = [
    printable.test(fields.commonName)
      ? { name: 'commonName', value: fields.commonName }
      : // forge reads valueTagClass as the ASN.1 type (its declarations say class).
        { name: 'commonName', value: fields.commonName, valueTagClass: utf8String(asn1) },
  ]
  certificate.setSubject(name)
  certificate.setIssuer(name)
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    ...(fields.subjectAltNames.length > 0
      ? [{ name: 'subjectAltName', altNames: fields.subjectAltNames.map(generalName) }]
      : []),
  ])
  const hash = fields.signatureHash ?? 'sha256'
  const withRsa = pki.oids[`${hash}WithRSAEncryption`] as string
  certificate.signatureOid = withRsa
  certificate.siginfo.algorithmOid = withRsa
  const tbsCertificate = (pki as typeof pki & WithTbs).getTBSCertificate(certificate)
  const tbs = Buffer.from(asn1.toDer(tbsCertificate).getBytes(), 'binary')
  certificate.signature = sign(hash, tbs, fields.privateKey).toString('binary')
  return Buffer.from(asn1.toDer(pki.certificateToAsn1(certificate)).getBytes(), 'binary')
}

let forgeLoading: Promise<typeof nodeForge> | undefined

/**
 * node-forge, imported on first use; `generate.ts` starts the import beside the key's generation
 * (libuv's threads), so that it is loaded by the time the key is there.
 */
export function loadForge(): Promise<typeof nodeForge> {
  forgeLoading ??= import('node-forge').then((module) => module.default)
  return forgeLoading
}

function utf8String(asn1: typeof nodeForge.asn1): nodeForge.asn1.Class {
  return asn1.Type.UTF8 as unknown as nodeForge.asn1.Class
}

/** forge's own, left out of its type declarations: the TBSCertificate as ASN.1. */
interface WithTbs {
  getTBSCertificate(certificate: nodeForge.pki.Certificate): nodeForge.asn1.Asn1
}

/** RFC 5280 §4.1.2.2: the serial number is a positive INTEGER. */
function positive(octets: Buffer): Buffer {
  octets[0] = (octets[0] ?? 0) & 0x7f
  return octets
}

/** dNSName [2], or iPAddress [7] for an IPv4 or IPv6 address (brackets allowed). */
function generalName(name: string): { type: 2; value: string } | { type: 7; ip: string } {
  const host = name.replace(/^\[(.*)\]$/, '$1')
  return isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host }
}
