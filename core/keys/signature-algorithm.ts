import { createRequire } from 'node:module'
import type nodeForge from 'node-forge'

/** How a certificate's issuer signed it: the scheme and its hash (`unknown` when it has none). */
export interface CertificateSignatureAlgorithm {
  name: string
  hash: string
}

const hashes: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
}

/** signatureAlgorithm OIDs (RFC 3279, RFC 4055, RFC 5758, RFC 8410) with their hash. */
const algorithms: Record<string, CertificateSignatureAlgorithm> = {
  '1.2.840.113549.1.1.4': { name: 'RSASSA-PKCS1-v1_5', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { name: 'ECDSA', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ECDSA', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { name: 'DSA', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA', hash: 'SHA-256' },
  '1.3.101.112': { name: 'Ed25519', hash: 'unknown' },
  '1.3.101.113': { name: 'Ed448', hash: 'unknown' },
}

const rsaPss = '1.2.840.113549.1.1.10'

/** node-forge's ASN.1 reader, loaded the first time a certificate's algorithm is asked for. */
let forge: typeof nodeForge | undefined
const loadForge = () => {
  forge ??= createRequire(import.meta.url)('node-forge') as typeof nodeForge
  return forge
}

/**
 * The signatureAlgorithm of a DER certificate (RFC 5280 §4.1.1.2): Certificate ::= SEQUENCE {
 * tbsCertificate, signatureAlgorithm, signatureValue }. RSASSA-PSS names its hash in the
 * parameters (RFC 4055 §3.1: [0] hashAlgorithm, SHA-1 when absent).
 */
export function certificateSignatureAlgorithm(der: Buffer): CertificateSignatureAlgorithm {
  const { asn1 } = loadForge()
  const certificate = asn1.fromDer(der.toString('binary'))
  const [oid, parameters] = childrenOf(childrenOf(certificate)[1])
  const dotted = oid ? asn1.derToOid(oid.value as string) : 'unknown'
  if (dotted !== rsaPss) return algorithms[dotted] ?? { name: dotted, hash: 'unknown' }
  const hashAlgorithm = childrenOf(parameters).find(
    (item) => item.tagClass === asn1.Class.CONTEXT_SPECIFIC && item.type === 0,
  )
  const hashOid = childrenOf(childrenOf(hashAlgorithm)[0])[0]
  return {
    name: 'RSA-PSS',
    hash: hashOid ? (hashes[asn1.derToOid(hashOid.value as string)] ?? 'unknown') : 'SHA-1',
  }
}

function childrenOf(node: nodeForge.asn1.Asn1 | undefined): nodeForge.asn1.Asn1[] {
  return Array.isArray(node?.value) ? node.value : []
}
