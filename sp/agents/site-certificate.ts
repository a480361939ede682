import { isoInstant } from '../../core/clock/index.ts'
import { type Finding, SsoError } from '../../core/errors/index.ts'
import { type ParsedCertificate, parseCertificate } from '../../core/keys/index.ts'
import { certificateSignatureAlgorithm } from '../../core/keys/signature-algorithm.ts'

/** What a site's IdP certificate may be signed with: SHA-256, as LivePerson asks, or stronger. */
const acceptedHashes = new Set(['SHA-256', 'SHA-384', 'SHA-512'])

const dayMs = 86_400_000

/** The admin view warns this long before the certificate expires (LivePerson: "a month before"). */
const expiryWarningMs = 30 * dayMs

export interface SiteCertificate extends ParsedCertificate {
  /** The hash of the certificate's own signature, e.g. `SHA-256`. */
  signatureHash: string
}

/**
 * Reads an agent site's IdP certificate at start. One signed with SHA-1 (or MD5, or anything
 * but SHA-256/384/512) is refused with AGENT_CERTIFICATE_NOT_SHA256; `setting` is the dotted
 * path named in the error.
 */
export function readSiteCertificate(text: string, setting: string): SiteCertificate {
  let parsed: ParsedCertificate
  try {
    parsed = parseCertificate(text)
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    throw new SsoError('CONFIG_INVALID', setting, `${setting}: ${error.reason}`, { setting })
  }
  const algorithm = certificateSignatureAlgorithm(Buffer.from(parsed.certificateBase64, 'base64'))
  const hash = algorithm.hash
  if (!acceptedHashes.has(hash)) {
    throw new SsoError(
      'AGENT_CERTIFICATE_NOT_SHA256',
      setting,
      `${setting}: the certificate is signed with ${hash}, not SHA-256`,
      { setting, signatureAlgorithm: algorithm.name, hash, subject: parsed.subject },
    )
  }
  return { ...parsed, signatureHash: hash }
}

/**
 * The admin view's warning for a certificate that expires within 30 days of `now` (or has
 * expired); none when it has longer.
 */
export function expiryWarning(
  siteId: string,
  certificate: ParsedCertificate,
  now: number,
): Finding | undefined {
  const left = certificate.notAfter.getTime() - now
  if (left > expiryWarningMs) return undefined
  const days = Math.floor(Math.abs(left) / dayMs)
  return {
    code: 'AGENT_CERTIFICATE_EXPIRING',
    check: 'X509Certificate notAfter',
    reason:
      left > 0
        ? `the IdP certificate of site ${siteId} expires in ${days} day${days === 1 ? '' : 's'}`
        : `the IdP certificate of site ${siteId} expired ${days} day${days === 1 ? '' : 's'} ago`,
    evidence: {
      site: siteId,
      notAfter: isoInstant(certificate.notAfter.getTime()),
      daysLeft: left > 0 ? days : -days,
      subject: certificate.subject,
    },
  }
}
