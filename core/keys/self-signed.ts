import { type KeyObject, randomBytes, sign } from 'node:crypto'
import {
  bitString,
  directoryString,
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
}

/**
 * A self-signed X.509 v3 certificate (RFC 5280 §4.1) for an RSA key, signed with SHA-256: the
 * subject and issuer are the common name alone, and the extensions field is present and empty,
 * byte for byte what ssoproof made before it wrote DER itself, so seeded test credentials keep
 * their fingerprints. Returns the DER encoding.
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
    explicit(3, sequence()),
  )
  const signature = sign('sha256', tbsCertificate, fields.privateKey)
  return sequence(tbsCertificate, sha256WithRsa(), bitString(signature))
}
