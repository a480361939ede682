import type { Clock } from '../core/clock/index.ts'
import type { Credential } from '../core/keys/index.ts'
import { newToken, type Random, systemRandom } from '../core/random/index.ts'
import { bindings } from '../core/saml/constants.ts'
import { parseIdpMetadata } from '../core/saml/metadata.ts'
import { createIdp, type Idp } from '../idp/create-idp.tsx'
import type { SpRegistrationInput } from '../idp/service-providers/registration.ts'
import { registrationFromMetadata } from '../idp/service-providers/registry.ts'
import type { IdpUserInput } from '../idp/users/user.ts'
import { agentMetadata } from '../sp/agents/create-agent-sso.ts'
import type { AgentSsoSettings } from '../sp/agents/settings.ts'
import { createSp, type Sp } from '../sp/create-sp.tsx'
import type { SpJwtSettings } from '../sp/jwt/settings.ts'
import type { SpOidcSettings } from '../sp/oidc/settings.ts'
import type { SpOptions, SpProtocol } from '../sp/options.ts'

export interface PairOptions {
  idpBaseUrl: string
  spBaseUrl: string
  idpCredential: Credential
  spCredential: Credential
  users?: IdpUserInput[]
  clock?: Clock
  random?: Random
  log?: (line: string) => void
  /**
   * Extra SP settings (skew, unsolicited, …). Each of `sp.campaigns` is wired to the IdP too, in
   * its own `protocol` (else `protocol` below), under its base URL `<spBaseUrl>/c/<id>`.
   */
  sp?: Partial<Omit<SpOptions, 'baseUrl' | 'credential'>>
  /** The SP's outbound HTTP (artifact resolution at the IdP); default: global fetch. */
  spFetch?: typeof fetch
  /** The IdP's outbound HTTP (back-channel logout and JWT sign-off at the SP); default: global fetch. */
  idpFetch?: typeof fetch
  /** Settings of the IdP's registration of the SP that metadata cannot say (e.g. responseBinding). */
  spRegistration?: Partial<SpRegistrationInput>
  /**
   * What the SP signs in with (default `saml`). `jwt`: the IdP registers the SP as a JWT SP
   * (return URLs under the SP's origin) and the SP gets the IdP's remote login and sign-off URLs,
   * issuer and key. `oidc`: the IdP registers the SP as an OpenID Connect client (redirect URI
   * `/oidc/callback`, post-logout `/`, a fresh secret, a custom `membership` scope) and the SP
   * gets the issuer, client ID and secret. SAML stays wired either way.
   */
  protocol?: SpProtocol
  /** For protocol `jwt`: the algorithm (default RS256) and, for RS256, whether the SP reads the key from the certificate (default) or the JWKS URL. ES256 always uses the JWKS URL. */
  jwt?: { algorithm?: 'RS256' | 'ES256' | 'HS256'; key?: 'certificate' | 'jwks' }
  /**
   * For protocol `oidc`: `oauth2` mode (no ID token; the IdP takes `app_id` and `callback_url`
   * for client_id and redirect_uri and calls `sub`, `email`, `name` `user_id`, `mail`,
   * `display_name`, and the SP is told so), the client authentication, and whether the SP
   * discovers the endpoints (default in OIDC mode) or is given them.
   */
  oidc?: {
    mode?: 'oidc' | 'oauth2'
    clientAuthentication?: 'client_secret_basic' | 'client_secret_post'
    discovery?: boolean
    /** What the client registers for its ID tokens and userinfo (default RS256, JSON userinfo). */
    idTokenSignedResponseAlg?: 'RS256' | 'ES256' | 'HS256'
    userinfoSignedResponseAlg?: 'RS256' | 'ES256' | 'HS256'
    /** How the IdP signs the client off when the user's session ends (default back-channel). */
    logout?: 'back-channel' | 'front-channel' | 'both' | 'none'
    /** How the SP asks for the authorization response (default query). */
    responseMode?: 'query' | 'form_post'
  }
}

/** What wiring one SP to a running IdP takes: the pair's options but the IdP's own. */
export type SpPairOptions = Omit<PairOptions, 'idpBaseUrl' | 'idpCredential' | 'idpFetch' | 'users'>

/**
 * The built-in IdP and reference SP, wired to each other the way a person would: the SP reads
 * the IdP's metadata (sign-on URL, certificate), the IdP registers the SP from its metadata
 * (and as a JWT SP or OIDC client, per protocol) — the root connection and every campaign's.
 * `serve`, the tests and the scenario engine all start from here.
 */
export function createPair(options: PairOptions): { idp: Idp; sp: Sp } {
  const idp = createIdp({
    baseUrl: options.idpBaseUrl,
    credential: options.idpCredential,
    ...(options.users ? { users: options.users } : {}),
    ...(options.idpFetch ? { fetch: options.idpFetch } : {}),
    ...sharedOptions(options),
  })
  return { idp, sp: attachSp(idp, options) }
}

/** What the IdP and every SP of a pair share: the clock, the randomness, the log. */
function sharedOptions(options: Pick<PairOptions, 'clock' | 'random' | 'log'>) {
  return {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.log ? { log: options.log } : {}),
  }
}

/**
 * A reference SP at `options.spBaseUrl`, wired to an IdP that is already running — the one
 * `createPair` made, or a second SP of the same IdP (single sign-off across two SPs): the SP
 * reads the IdP's metadata, the IdP registers every campaign connection of the SP.
 */
export function attachSp(idp: Idp, options: SpPairOptions): Sp {
  const idpMetadata = parseIdpMetadata(idp.metadata())
  const ssoUrl = idpMetadata.singleSignOnServices.find(
    (endpoint) => endpoint.binding === bindings.redirect,
  )?.location
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
    ...wireConnection(
      idp,
      options,
      campaign.protocol ?? options.protocol,
      `${spBase}/c/${campaign.id}`,
      campaign,
    ),
  }))
  const agentSso = options.sp?.agentSso
  const sp = createSp({
    ...options.sp,
    ...sharedOptions(options),
    ...wireConnection(idp, options, options.protocol, spBase, options.sp),
    ...(campaigns ? { campaigns } : {}),
    ...(agentSso ? { agentSso: wireAgentSso(idp, agentSso, spBase) } : {}),
    baseUrl: options.spBaseUrl,
    credential: options.spCredential,
    // The root campaign signs in at the built-in IdP unless it names an IdP of its own.
    idp: options.sp?.idp ?? {
      entityId: idpMetadata.entityId,
      ssoUrl: ssoUrl ?? '',
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
    if (connection.context.options.idp.entityId !== idpMetadata.entityId) continue
    idp.context.serviceProviders.register(
      registrationFromMetadata(connection.metadata(), options.spRegistration),
    )
  }
  // The agent side is an SP of its own: a SAML SP (HTTP-POST to /agent/saml/acs) and, for JWT
  // sites, a JWT SP whose return URLs lie under /agent/.
  if (sp.agentSso) {
    idp.context.serviceProviders.register(registrationFromMetadata(agentMetadata(sp.agentSso)))
    if ([...sp.agentSso.sites.values()].some((site) => site.protocol === 'jwt')) {
      idp.context.jwtServiceProviders.register({
        id: `${spBase}/agent`,
        returnUrls: [`${spBase}/agent/`],
        algorithm: 'RS256',
      })
    }
  }
  return sp
}

/**
 * Agent SSO sites as `serve` and the tests give them, completed with the built-in IdP's login
 * page, certificate and issuer (and, for JWT, the audience it signs for) wherever a site leaves
 * them out.
 */
function wireAgentSso(idp: Idp, settings: AgentSsoSettings, spBase: string): AgentSsoSettings {
  const { urls, issuer, entityId, credential } = idp.context.options
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
  idp: Idp,
  options: SpPairOptions,
  protocol: SpProtocol | undefined,
  spBase: string,
  own: Pick<SpOptions, 'jwt' | 'oidc'> | undefined,
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
function pairJwt(idp: Idp, options: SpPairOptions, spBase: string): SpJwtSettings {
  const algorithm = options.jwt?.algorithm ?? 'RS256'
  const { urls, issuer, credential } = idp.context.options
  const secret = algorithm === 'HS256' ? newToken(options.random ?? systemRandom, 32) : undefined
  idp.context.jwtServiceProviders.register({
    id: spBase,
    returnUrls: [`${spBase}/`],
    algorithm,
    signOffUrl: `${spBase}/jwt/sign-off`,
    ...(secret !== undefined ? { secret } : {}),
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
    ...key,
  }
}

/** Registers the SP at `spBase` as an OpenID Connect client at the IdP and returns the SP's settings to match. */
function pairOidc(idp: Idp, options: SpPairOptions, spBase: string): SpOidcSettings {
  const mode = options.oidc?.mode ?? 'oidc'
  const { urls, issuer } = idp.context.options
  const clientSecret = newToken(options.random ?? systemRandom, 32)
  const idTokenAlg = options.oidc?.idTokenSignedResponseAlg ?? 'RS256'
  const userinfoAlg = options.oidc?.userinfoSignedResponseAlg
  const logout = options.oidc?.logout ?? 'back-channel'
  const oauth2Names =
    mode === 'oauth2'
      ? {
          parameterNames: { client_id: 'app_id', redirect_uri: 'callback_url' },
          claimNames: { sub: 'user_id', email: 'mail', name: 'display_name' },
        }
      : {}
  idp.context.oidcClients.register({
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
