import type { CampaignSettings } from '../campaigns/settings.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import type { AccountKey } from './contacts.ts'

/**
 * The key an account is found by: the external ID under the issuer that vouched for it — the
 * campaign's `accounts.issuer` when it names one (one IdP known under two names), else the
 * sign-in's own issuer. Never the external ID alone: a second IdP's "alice" is another person.
 */
export function accountKeyOf(
  campaign: Pick<CampaignSettings, 'accounts'>,
  subject: Pick<SignedInSubject, 'issuer'>,
  externalId: string,
): AccountKey {
  return { issuer: campaign.accounts.issuer ?? subject.issuer, externalId }
}

/**
 * Whether this sign-in may take over an account made before SSO by its email: only where the
 * campaign opts in, and only with an email the IdP vouches for. OIDC says so in `email_verified`;
 * SAML and JWT IdPs are trusted to have verified it (inSided), unless they send
 * `email_verified` as false.
 */
export function linkOf(
  campaign: Pick<CampaignSettings, 'accounts'>,
  subject: Pick<SignedInSubject, 'attributes'>,
): { byEmail: boolean; emailVerified: boolean } {
  const verified = subject.attributes.email_verified?.[0]
  return { byEmail: campaign.accounts.linkByEmail, emailVerified: verified !== 'false' }
}
