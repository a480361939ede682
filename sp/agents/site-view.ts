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
  certificate: {
    subject: string
    notBefore: string
    notAfter: string
    fingerprintSha256: string
    signatureHash: string
  } | null
  warnings: Finding[]
}

export function siteView(site: AgentSite, now: number): SiteView {
  const { certificate } = site
  const warning = certificate ? expiryWarning(site.id, certificate, now) : undefined
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
    certificate: certificate
      ? {
          subject: certificate.subject,
          notBefore: isoInstant(certificate.notBefore.getTime()),
          notAfter: isoInstant(certificate.notAfter.getTime()),
          fingerprintSha256: certificate.fingerprintSha256,
          signatureHash: certificate.signatureHash,
        }
      : null,
    warnings: warning ? [warning] : [],
  }
}
