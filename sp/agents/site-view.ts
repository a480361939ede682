import { isoInstant } from '../../core/clock/index.ts'
import type { Finding } from '../../core/errors/index.ts'
import type { AgentSite } from './context.ts'
import { expiryWarning } from './site-certificate.ts'

/** A site as the admin view and GET /admin/agent-sites show it, with its warnings at `now`. */
export interface SiteView {
  id: string
  name: string
  protocol: 'saml' | 'jwt'
  ssoOn: boolean
  loginUrl: string | null
  logoutUrl: string | null
  loginErrorUrl: string | null
  issuer: string | null
  audience: string | null
  /** The trusted IdP certificates: one, or two during a rollover. */
  certificates: Array<{
    subject: string
    notBefore: string
    notAfter: string
    fingerprintSha256: string
    signatureHash: string
  }>
  warnings: Finding[]
}

/**
 * The expiry warning is about the certificate that lasts longest: during a rollover the old one
 * may run out while the next one is already trusted, and that is the point of a rollover.
 */
export function siteView(site: AgentSite, now: number): SiteView {
  const latest = site.certificates.reduce<AgentSite['certificates'][number] | undefined>(
    (best, each) => (best && best.notAfter >= each.notAfter ? best : each),
    undefined,
  )
  const warning = latest ? expiryWarning(site.id, latest, now) : undefined
  return {
    id: site.id,
    name: site.name ?? site.id,
    protocol: site.protocol,
    ssoOn: site.ssoOn,
    loginUrl: site.loginUrl ?? null,
    logoutUrl: site.logoutUrl ?? null,
    loginErrorUrl: site.loginErrorUrl ?? null,
    issuer: site.issuer ?? null,
    audience: site.audience ?? null,
    certificates: site.certificates.map((certificate) => ({
      subject: certificate.subject,
      notBefore: isoInstant(certificate.notBefore.getTime()),
      notAfter: isoInstant(certificate.notAfter.getTime()),
      fingerprintSha256: certificate.fingerprintSha256,
      signatureHash: certificate.signatureHash,
    })),
    warnings: warning ? [warning] : [],
  }
}
