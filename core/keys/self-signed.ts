import { createHash, type KeyObject, randomBytes, sign } from 'node:crypto'
import { isIP } from 'node:net'
import {
  bitString,
  children,
  directoryString,
  element,
  explicit,
  nullValue,
  objectIdentifier,
  sequence,
  set,
  time,
  unsignedInteger,
} from './der.ts'

/** sha256WithRSAEncryption (RFC 4055 §5), with the NULL parameters RFC 3279 asks for. */
const sha256WithRsa = () => sequence(objectIdentifier('1.2.840.113549.1.1.11'), nullValue())
const commonName = '2.5.4.3'

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
}

/**
 * A self-signed X.509 v3 certificate (RFC 5280 §4.1) for an RSA key, signed with SHA-256: the
 * subject and issuer are the common name alone. RFC 5280 §4.1.2.9: the extensions field, when
 * present, holds at least one extension (an empty SEQUENCE is malformed, and strict parsers
 * refuse it); every certificate here is an end entity that signs and encrypts: not a CA
 * (§4.2.1.9), digitalSignature and keyEncipherment (§4.2.1.3), its key identifier (§4.2.1.2),
 * and the names given (§4.2.1.6). Returns the DER encoding.
 */
export function selfSignedCertificate(fields: SelfSignedFields): Buffer {
  const name = sequence(
    set(sequence(objectIdentifier(commonName), directoryString(fields.commonName))),
  )
  const serial =
    fields.serialNumber !== undefined ? Buffer.from(fields.serialNumber, 'hex') : randomBytes(16)
  const tbsCertificate = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    sha256WithRsa(),
    name,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    name,
    fields.publicKey.export({ format: 'der', type: 'spki' }),
    explicit(3, sequence(...endEntityExtensions(fields))),
  )
  const signature = sign('sha256', tbsCertificate, fields.privateKey)
  return sequence(tbsCertificate, sha256WithRsa(), bitString(signature))
}

const octetString = (contents: Buffer) => element(0x04, contents)
const booleanTrue = () => element(0x01, Buffer.from([0xff]))

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [booleanTrue()] : []), octetString(value))
}

function endEntityExtensions(fields: SelfSignedFields): Buffer[] {
  const spki = fields.publicKey.export({ format: 'der', type: 'spki' })
  // §4.2.1.2 method (1): the SHA-1 of the subjectPublicKey BIT STRING's value.
  const subjectPublicKey = children(spki)[1] ?? Buffer.alloc(0)
  const keyId = createHash('sha1').update(bitStringValue(subjectPublicKey)).digest()
  const extensions = [
    extension('2.5.29.19', true, sequence()),
    // digitalSignature (bit 0) and keyEncipherment (bit 2): one octet, five unused bits.
    extension('2.5.29.15', true, element(0x03, Buffer.from([0x05, 0xa0]))),
    extension('2.5.29.14', false, octetString(keyId)),
  ]
  if (fields.subjectAltNames.length > 0) {
    extensions.push(
      extension('2.5.29.17', false, sequence(...fields.subjectAltNames.map(generalName))),
    )
  }
  return extensions
}

/** dNSName [2] IA5String, or iPAddress [7] OCTET STRING (4 or 16 octets). */
function generalName(name: string): Buffer {
  const host = name.replace(/^\[(.*)\]$/, '$1')
  const version = isIP(host)
  if (version === 4) return element(0x87, Buffer.from(host.split('.').map(Number)))
  if (version === 6) return element(0x87, ipv6Octets(host))
  return element(0x82, Buffer.from(host, 'ascii'))
}

function ipv6Octets(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::')
  const groups = (part: string) => (part === '' ? [] : part.split(':'))
  const left = groups(head)
  const right = address.includes('::') ? groups(tail) : []
  const middle = Array(8 - left.length - right.length).fill('0')
  const all = [...left, ...(address.includes('::') ? middle : []), ...right]
  return Buffer.from(
    all.flatMap((group) => {
      const value = Number.parseInt(group, 16)
      return [value >> 8, value & 0xff]
    }),
  )
}

/** The octets of a BIT STRING element after its unused-bits octet. */
function bitStringValue(der: Buffer): Buffer {
  return der.subarray(headerLengthOf(der) + 1)
}

function headerLengthOf(der: Buffer): number {
  const first = der[1] ?? 0
  return first < 0x80 ? 2 : 2 + (first & 0x7f)
}
