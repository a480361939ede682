import { parseConfig } from '../../core/config/parse-config.ts'
import { bindings, nameIdFormats } from '../../core/saml/constants.ts'
import {
  acceptedContentEncryption,
  acceptedKeyTransport,
} from '../../core/saml/encryption-settings.ts'
import { buildSpMetadata } from '../../core/saml/metadata-build.ts'
import type { ResponseValidationSettings } from '../acs/settings.ts'
import type { ResolvedSpOptions } from '../options.ts'
import { createReplayCache } from '../session/replay-cache.ts'
import type { SpDatabase } from '../store/database.ts'
import { createStoredExpiringMap } from '../store/stored-expiring-map.ts'
import { createAgentSessionStore } from './agent-sessions.ts'
import { createAgentStore } from './agent-store.ts'
import type { AgentSite, AgentSsoContext } from './context.ts'
import { hashPassword } from './password-hash.ts'
import { type AgentSiteSettings, type AgentSsoSettings, agentSsoSchema } from './settings.ts'
import { readSiteCertificate } from './site-certificate.ts'

/**
 * Agent SSO's state from `SpOptions.agentSso`, validated once: each site's certificate is read
 * and must be SHA-256 signed (AGENT_CERTIFICATE_NOT_SHA256 otherwise); the configured agents
 * are created when missing — an agent the admin API changed keeps its changes across restarts.
 */
export function createAgentSso(
  input: AgentSsoSettings,
  shared: { db: SpDatabase; options: ResolvedSpOptions },
): AgentSsoContext {
  const { db, options } = shared
  const settings = parseConfig(agentSsoSchema, input, 'agentSso')
  const sites = new Map<string, AgentSite>(
    settings.sites.map((site, index) => [
      site.id,
      {
        ...withoutCertificate(site),
        certificates: siteCertificates(site.certificate, `agentSso.sites.${index}.certificate`),
      },
    ]),
  )
  const agents = createAgentStore(db, options.clock)
  for (const { password, ...agent } of settings.agents) {
    if (agents.find(agent.siteId, agent.loginName)) continue
    agents.create({
      ...agent,
      ...(password !== undefined ? { passwordHash: hashPassword(password, options.random) } : {}),
    })
  }
  const map = <V>(name: string) => createStoredExpiringMap<V>(db, `agent:${name}`, options.clock)
  return {
    options,
    sites,
    agents,
    sessions: createAgentSessionStore(
      map('sessions'),
      options.clock,
      options.random,
      options.sessionInactivityMs,
    ),
    pending: map('pending'),
    replay: createReplayCache(map('replay')),
    entityId: `${options.baseUrl}/agent/saml/metadata`,
    urls: {
      metadata: `${options.baseUrl}/agent/saml/metadata`,
      acs: `${options.baseUrl}/agent/saml/acs`,
      jwtCallback: `${options.baseUrl}/agent/jwt/callback`,
      signedOut: `${options.baseUrl}/agent/signed-out`,
      loginError: `${options.baseUrl}/agent/login-error`,
    },
  }
}

/** The agent side's SAML metadata: its own entity ID and ACS (HTTP-POST), the SP's keys. */
export function agentMetadata(ctx: AgentSsoContext): string {
  const { options } = ctx
  return buildSpMetadata({
    entityId: ctx.entityId,
    signingCertificates: [options.credential.certificateBase64],
    encryptionCertificates: [options.encryptionCredential.certificateBase64],
    encryptionMethods: [...acceptedContentEncryption, ...acceptedKeyTransport],
    assertionConsumerServices: [
      { binding: bindings.post, location: ctx.urls.acs, index: 0, isDefault: true },
    ],
    singleLogoutServices: [],
    authnRequestsSigned: false,
    wantAssertionsSigned: true,
    nameIdFormats: [
      nameIdFormats.unspecified,
      nameIdFormats.emailAddress,
      nameIdFormats.persistent,
    ],
  })
}

/**
 * What an agent's SAML Response is checked against: the ACS's own checks (validate-response.ts)
 * with the site's IdP (entity ID, certificate) and the agent side's entity ID and ACS. Always
 * SP-initiated: the Response must answer the AuthnRequest this browser sent.
 */
export function agentValidationSettings(
  ctx: AgentSsoContext,
  site: AgentSite,
): ResponseValidationSettings {
  const { options } = ctx
  return {
    spEntityId: ctx.entityId,
    acsUrl: ctx.urls.acs,
    idpEntityId: site.issuer ?? '',
    idpCertificates: site.certificates.map((certificate) => certificate.certificateBase64),
    clockSkewMs: options.clockSkewMs,
    wantAssertionsSigned: true,
    wantResponseSigned: false,
    allowUnsolicited: false,
    decryptionKeyPem: options.encryptionCredential.privateKeyPem,
    requiredAuthnContext: site.authnContext,
  }
}

/**
 * A site's trusted IdP certificates: one, or two while the IdP rolls its key over — a message
 * signed with either verifies, one signed with any other key does not.
 */
function siteCertificates(
  setting: AgentSiteSettings['certificate'],
  path: string,
): AgentSite['certificates'] {
  if (setting === undefined) return []
  if (typeof setting === 'string') return [readSiteCertificate(setting, path)]
  return setting.map((text, index) => readSiteCertificate(text, `${path}.${index}`))
}

function withoutCertificate({ certificate: _, ...site }: AgentSiteSettings) {
  return site
}
