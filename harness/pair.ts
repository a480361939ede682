import { newToken, systemRandom } from '../core/random/index.ts'
import { bindings } from '../core/saml/constants.ts'
import { parseIdpMetadata } from '../core/saml/metadata.ts'
import type { Idp } from '../idp/create-idp.tsx'
import { registrationFromMetadata } from '../idp/service-providers/from-metadata.ts'
import type { AgentSsoSettings } from '../sp/agents/settings.ts'
import { createSp, type Sp } from '../sp/create-sp.tsx'
import type { SpJwtSettings } from '../sp/jwt/settings.ts'
import type { SpOidcSettings } from '../sp/oidc/settings.ts'
import type { SpOptions, SpProtocol } from '../sp/options.ts'
import { pairIdp, sharedOptions } from './pair-idp.ts'
import {
  type PairOptions,
  parsePairOptions,
  parseSpPairOptions,
  type SpPairOptions,
} from './pair-options.ts'

export type { PairOptions, SpPairOptions } from './pair-options.ts'

/**
 * What wiring an SP takes of its IdP: the metadata, the URLs and names it signs in under, and
 * where the SP's connections are registered. An `Idp` is one; `serve` wires its SP on a thread
 * of its own to a stand-in made of plain data that records the registrations for the IdP's
 * thread (cli/serve-sp-thread.ts).
 */
export interface PairIdpSide {
  metadata(): string
  readonly config: Pick<Idp['config'], 'urls' | 'issuer' | 'entityId'> & {
    credential: Pick<Idp['config']['credential'], 'certificatePem'>
  }
  readonly serviceProviders: { register(input: unknown): unknown }
  readonly jwtServiceProviders: { register(input: unknown): unknown }
  readonly oidcClients: { register(input: unknown): unknown }
}

/**
 * The built-in IdP and reference SP, wired to each other the way a person would: the SP reads
 * the IdP's metadata (sign-on URL, certificate), the IdP registers the SP from its metadata
 * (and as a JWT SP or OIDC client, per protocol) — the root connection and every campaign's.
 * `serve`, the tests and the scenario engine all start from here.
 */
export function createPair(input: PairOptions): { idp: Idp; sp: Sp } {
  const options = parsePairOptions(input)
  const idp = pairIdp(options)
  return { idp, sp: wireSp(idp, options) }
}

/**
 * The second step of `createPairInSteps` (pair-in-steps.ts): the pair's whole options checked as
 * `createPair` checks them, then its SP made and wired to the IdP of the first step.
 */
export function attachPairSp(idp: Idp, input: PairOptions): Sp {
  return wireSp(idp, parsePairOptions(input))
}

/**
 * A reference SP at `options.spBaseUrl`, wired to an IdP that is already running — the one
 * `createPair` made, or a second SP of the same IdP (single sign-off across two SPs): the SP
 * reads the IdP's metadata, the IdP registers every campaign connection of the SP.
 */
export function attachSp(idp: PairIdpSide, options: SpPairOptions): Sp {
  return wireSp(idp, parseSpPairOptions(options))
}

function wireSp(idp: PairIdpSide, options: SpPairOptions): Sp {
  const idpMetadata = parseIdpMetadata(idp.metadata())
  const ssoUrl = idpMetadata.singleSignOnServices.find(
    (endpoint) => endpoint.binding === bindings.redirect,
  )?.location
  if (!ssoUrl) throw new Error('the IdP metadata names no HTTP-Redirect SingleSignOnService')
  const sloUrl = idpMetadata.singleLogoutServices.find(
    (endpoint) => endpoint.binding === bindings.redirect,
  )?.location
  const artifactResolutionUrl = idpMetadata.artifactResolutionServices
    .filter((endpoint) => endpoint.binding === bindings.soap)
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0]?.location
  const spBase = options.spBaseUrl.replace(/\/+$/, '')
  // Campaigns are wired before the root: the IdP hands a JWT return_url to the first JWT SP whose
  // return URL prefix covers it, and every /c/<id>/ lies under the root's prefix.
  const campaigns = options.sp?.campaigns?.map((campaign) => ({
    ...campaign,
    ...(ownIdp(campaign) ? {} : oneIdpAccounts(campaign, idpMetadata.entityId)),
    ...wireConnection(
      idp,
      options,
      campaign.protocol ?? options.protocol,
      `${spBase}/c/${campaign.id}`,
      campaign,
    ),
  }))
  const agentSso = options.sp?.agentSso
  // JWT and OIDC settings given here are partial (merged over what is registered above); the
  // SP's own schema checks what results.
  const spSettings = options.sp as Omit<SpOptions, 'baseUrl' | 'credential'> | undefined
  const sp = createSp({
    ...spSettings,
    ...sharedOptions(options),
    ...wireConnection(idp, options, options.protocol, spBase, options.sp),
    ...(campaigns ? { campaigns: campaigns as SpOptions['campaigns'] } : {}),
    ...(agentSso ? { agentSso: wireAgentSso(idp, agentSso, spBase) } : {}),
    ...(ownIdp(options.sp)
      ? {}
      : { campaign: oneIdpAccounts(options.sp?.campaign ?? {}, idpMetadata.entityId) }),
    baseUrl: options.spBaseUrl,
    credential: options.spCredential,
    // The root campaign signs in at the built-in IdP unless it names an IdP of its own.
    idp: options.sp?.idp ?? {
      entityId: idpMetadata.entityId,
      ssoUrl,
      certificates: idpMetadata.signingCertificates,
      ...(sloUrl ? { sloUrl } : {}),
      ...(artifactResolutionUrl ? { artifactResolutionUrl } : {}),
    },
    ...(options.spFetch ? { fetch: options.spFetch } : {}),
  })
  // Every campaign connection (the root one first) is a SAML SP of its own: entity ID
  // <base>/saml/metadata and ACS <base>/saml/acs under its own base URL. One that signs in at
  // an IdP of its own (`serve --config`, idpMetadata) is registered there by whoever runs it.
  for (const connection of sp.campaigns.values()) {
    if (connection.config.idp.entityId !== idpMetadata.entityId) continue
    idp.serviceProviders.register(
      registrationFromMetadata(connection.metadata(), options.spRegistration),
    )
  }
  // The agent side is an SP of its own: a SAML SP (HTTP-POST to /agent/saml/acs) and, for JWT
  // sites, a JWT SP whose return URLs lie under /agent/.
  if (sp.agentSso) {
    idp.serviceProviders.register(registrationFromMetadata(sp.agentSso.metadata()))
    if ([...sp.agentSso.sites.values()].some((site) => site.protocol === 'jwt')) {
      idp.jwtServiceProviders.register({
        id: `${spBase}/agent`,
        returnUrls: [`${spBase}/agent/`],
        algorithm: 'RS256',
      })
    }
  }
  return sp
}

/** Whether a connection signs in at an IdP of its own rather than the built-in one. */
function ownIdp(
  connection: { idp?: unknown; jwt?: { issuer?: string }; oidc?: { issuer?: string } } | undefined,
): boolean {
  return (
    connection?.idp !== undefined ||
    connection?.jwt?.issuer !== undefined ||
    connection?.oidc?.issuer !== undefined
  )
}

/**
 * The built-in IdP signs in under its SAML entity ID and, in JWT and OIDC, under its issuer: one
 * IdP, so its campaigns key accounts under one name (the entity ID) and a person is one account
 * in every protocol (sp/accounts/account-key.ts). A campaign that names its own keeps it.
 */
function oneIdpAccounts<T extends { accounts?: { issuer?: string } | undefined }>(
  campaign: T,
  entityId: string,
): T {
  return { ...campaign, accounts: { issuer: entityId, ...campaign.accounts } }
}

/**
 * Agent SSO sites as `serve` and the tests give them, completed with the built-in IdP's login
 * page, certificate and issuer (and, for JWT, the audience it signs for) wherever a site leaves
 * them out.
 */
function wireAgentSso(
  idp: PairIdpSide,
  settings: AgentSsoSettings,
  spBase: string,
): AgentSsoSettings {
  const { urls, issuer, entityId, credential } = idp.config
  return {
    ...settings,
    sites: settings.sites.map((site) =>
      site.protocol === 'jwt'
        ? {
            loginUrl: urls.jwtLogin,
            certificate: credential.certificatePem,
            issuer,
            audience: `${spBase}/agent`,
            ...site,
          }
        : { loginUrl: urls.sso, certificate: credential.certificatePem, issuer: entityId, ...site },
    ),
  }
}

/**
 * The protocol settings of one SP connection (the root or a campaign under /c/<id>/, reached at
 * `spBase`): for `jwt` and `oidc`, registered at the IdP under that base and merged with what the
 * connection sets itself; for SAML nothing here, it is registered from its metadata.
 */
function wireConnection(
  idp: PairIdpSide,
  options: SpPairOptions,
  protocol: SpProtocol | undefined,
  spBase: string,
  own:
    | { jwt?: Partial<SpJwtSettings> | undefined; oidc?: Partial<SpOidcSettings> | undefined }
    | undefined,
): Pick<SpOptions, 'protocol' | 'jwt' | 'oidc'> {
  if (protocol === 'jwt') {
    return { protocol, jwt: { ...pairJwt(idp, options, spBase), ...own?.jwt } }
  }
  if (protocol === 'oidc') {
    return { protocol, oidc: { ...pairOidc(idp, options, spBase), ...own?.oidc } }
  }
  return {}
}

/** Registers the SP at `spBase` as a JWT SP at the IdP and returns the SP's JWT settings to match. */
function pairJwt(idp: PairIdpSide, options: SpPairOptions, spBase: string): SpJwtSettings {
  const algorithm = options.jwt?.algorithm ?? 'RS256'
  const { urls, issuer, credential } = idp.config
  const secret = algorithm === 'HS256' ? newToken(options.random ?? systemRandom, 32) : undefined
  idp.jwtServiceProviders.register({
    id: spBase,
    returnUrls: [`${spBase}/`],
    algorithm,
    signOffUrl: `${spBase}/jwt/sign-off`,
    ...(secret !== undefined ? { secret } : {}),
    ...(options.jwt?.claimNames ? { claimNames: options.jwt.claimNames } : {}),
  })
  const key =
    algorithm === 'HS256'
      ? { secret }
      : algorithm === 'RS256' && options.jwt?.key !== 'jwks'
        ? { certificates: [credential.certificatePem] }
        : { jwksUrl: urls.jwks }
  return {
    loginUrl: urls.jwtLogin,
    logoutUrl: urls.jwtLogout,
    algorithms: [algorithm],
    issuer,
    audience: spBase,
    ...(options.jwt?.claimNames ? { claimNames: options.jwt.claimNames } : {}),
    ...key,
  }
}

/** Registers the SP at `spBase` as an OpenID Connect client at the IdP and returns the SP's settings to match. */
function pairOidc(idp: PairIdpSide, options: SpPairOptions, spBase: string): SpOidcSettings {
  const mode = options.oidc?.mode ?? 'oidc'
  const { urls, issuer } = idp.config
  const clientSecret = newToken(options.random ?? systemRandom, 32)
  const idTokenAlg = options.oidc?.idTokenSignedResponseAlg ?? 'RS256'
  const userinfoAlg = options.oidc?.userinfoSignedResponseAlg
  const logout = options.oidc?.logout ?? 'back-channel'
  const oauth2Names =
    mode === 'oauth2'
      ? {
          parameterNames: options.oidc?.parameterNames ?? {
            client_id: 'app_id',
            redirect_uri: 'callback_url',
          },
          claimNames: options.oidc?.claimNames ?? {
            sub: 'user_id',
            email: 'mail',
            name: 'display_name',
          },
        }
      : {}
  idp.oidcClients.register({
    clientId: spBase,
    clientSecret,
    redirectUris: [`${spBase}/oidc/callback`],
    postLogoutRedirectUris: [`${spBase}/`],
    initiateLoginUri: `${spBase}/oidc/initiate-login`,
    ...(logout === 'back-channel' || logout === 'both'
      ? { backchannelLogoutUri: `${spBase}/oidc/backchannel-logout` }
      : {}),
    ...(logout === 'front-channel' || logout === 'both'
      ? { frontchannelLogoutUri: `${spBase}/oidc/frontchannel-logout` }
      : {}),
    idTokenSignedResponseAlg: idTokenAlg,
    ...(userinfoAlg !== undefined ? { userinfoSignedResponseAlg: userinfoAlg } : {}),
    scopes:
      mode === 'oidc'
        ? ['openid', 'profile', 'email', 'phone', 'membership', 'offline_access']
        : ['profile', 'email', 'membership'],
    claims: {
      membership: ['membershipLevel', 'customerNumber', 'company', 'department', 'customRoles'],
    },
    mode,
    ...oauth2Names,
  })
  const client = {
    clientId: spBase,
    clientSecret,
    ...(options.oidc?.clientAuthentication
      ? { clientAuthentication: options.oidc.clientAuthentication }
      : {}),
  }
  const explicit = {
    authorizationUrl: urls.oidcAuthorize,
    tokenUrl: urls.oidcToken,
    userinfoUrl: urls.oidcUserinfo,
    endSessionUrl: urls.oidcEndSession,
  }
  if (mode === 'oauth2') {
    return { ...client, mode, scope: 'profile email membership', ...explicit, ...oauth2Names }
  }
  return {
    ...client,
    issuer,
    // A client accepts the algorithm it registered, as a real RP does.
    idTokenAlgorithms: [idTokenAlg],
    ...(options.oidc?.responseMode ? { responseMode: options.oidc.responseMode } : {}),
    scope: 'openid profile email phone membership',
    ...(options.oidc?.discovery === false
      ? { discovery: false, ...explicit, jwksUrl: urls.oidcJwks }
      : {}),
  }
}
