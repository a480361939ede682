import { createHash, type KeyObject, randomBytes, sign } from 'node:crypto'
import { isIP } from 'node:net'
import {
  bitString,
  booleanValue,
  element,
  explicit,
  integer,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
} from './der.ts'

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

const oids = {
  commonName: '2.5.4.3',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  subjectAltName: '2.5.29.17',
}

/**
 * A self-signed X.509 v3 certificate (RFC 5280 §4.1) for an RSA key, signed with
 * sha256WithRSAEncryption (sha1WithRSAEncryption when asked): the subject and issuer are the
 * common name alone. RFC 5280 §4.1.2.9: the extensions field, when present, holds at least one
 * extension; every certificate here is an end entity that signs and encrypts: not a CA
 * (§4.2.1.9), digitalSignature and keyEncipherment (§4.2.1.3), its key identifier (§4.2.1.2),
 * and the names given (§4.2.1.6). Written in DER here (der.ts), byte for byte what node-forge
 * wrote before (a test compares), without loading forge on a start; node:crypto signs the
 * TBSCertificate. Returns the DER.
 */
export async function selfSignedCertificate(fields: SelfSignedFields): Promise<Buffer> {
  const hash = fields.signatureHash ?? 'sha256'
  const algorithm = sequence(objectIdentifier(oids[`${hash}WithRSAEncryption`]), nullValue())
  const name = distinguishedName(fields.commonName)
  const rsaPublicKey = fields.publicKey.export({ format: 'der', type: 'pkcs1' })
  const extensions = [
    extension(oids.basicConstraints, true, sequence()),
    // digitalSignature (bit 0) and keyEncipherment (bit 2): 0b101 then five unused bits.
    extension(oids.keyUsage, true, bitString(Buffer.of(0xa0), 5)),
    // §4.2.1.2 (1): the SHA-1 of the subjectPublicKey BIT STRING's value.
    extension(oids.subjectKeyIdentifier, false, octetString(sha1(rsaPublicKey))),
    ...(fields.subjectAltNames.length > 0
      ? [
          extension(
            oids.subjectAltName,
            false,
            sequence(...fields.subjectAltNames.map(generalName)),
          ),
        ]
      : []),
  ]
  const tbs = sequence(
    explicit(0, integer(Buffer.of(2))), // v3
    integer(hexOctets(fields.serialNumber ?? positive(randomBytes(16)).toString('hex'))),
    algorithm,
    name,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    name,
    fields.publicKey.export({ format: 'der', type: 'spki' }),
    explicit(3, sequence(...extensions)),
  )
  return sequence(tbs, algorithm, bitString(sign(hash, tbs, fields.privateKey)))
}

/** A Name of one RDN, the common name (PrintableString or UTF8String, as above). */
function distinguishedName(commonName: string): Buffer {
  const value = printable.test(commonName)
    ? element(0x13, Buffer.from(commonName, 'latin1'))
    : element(0x0c, Buffer.from(commonName, 'utf8'))
  return sequence(set(sequence(objectIdentifier(oids.commonName), value)))
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(
    objectIdentifier(oid),
    ...(critical ? [booleanValue(true)] : []),
    octetString(value),
  )
}

function sha1(octets: Buffer): Buffer {
  return createHash('sha1').update(octets).digest()
}

/** The octets of a hex number (its magnitude); an odd count of digits reads the first one alone. */
function hexOctets(hex: string): Buffer {
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex')
}

/**
 * RFC 5280 §4.1.2.2: the serial number is a positive INTEGER. Its first octet is kept within
 * 0x01–0x7f so that a drawn serial is always written in exactly these 16 octets.
 */
function positive(octets: Buffer): Buffer {
  octets[0] = (octets[0] ?? 0) & 0x7f || 0x01
  return octets
}

/** dNSName [2] (IA5String), or iPAddress [7] for an IPv4 or IPv6 address (brackets allowed). */
function generalName(name: string): Buffer {
  const host = name.replace(/^\[(.*)\]$/, '$1')
  const version = isIP(host)
  if (version === 0) return element(0x82, Buffer.from(host, 'latin1'))
  return element(0x87, version === 4 ? ipv4Octets(host) : ipv6Octets(host))
}

function ipv4Octets(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number))
}

/** RFC 4291 §2.2: eight groups of 16 bits, `::` for a run of zeros, a dotted IPv4 tail. */
function ipv6Octets(address: string): Buffer {
  const groups = (part: string): number[] => {
    if (part === '') return []
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [Number.parseInt(group, 16)]
      const [a = 0, b = 0, c = 0, d = 0] = [...ipv4Octets(group)]
      return [(a << 8) | b, (c << 8) | d]
    })
  }
  const [head = '', tail] = address.split('::')
  const before = groups(head)
  const after = tail === undefined ? [] : groups(tail)
  const zeros = new Array<number>(8 - before.length - after.length).fill(0)
  const octets = Buffer.alloc(16)
  for (const [index, group] of [...before, ...zeros, ...after].entries()) {
    octets.writeUInt16BE(group, index * 2)
  }
  return octets
}
