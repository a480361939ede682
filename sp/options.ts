import { type Clock, systemClock } from '../core/clock/index.ts'
import { parseConfig } from '../core/config/parse-config.ts'
import { SsoError } from '../core/errors/index.ts'
import type { Credential } from '../core/keys/index.ts'
import { type Random, systemRandom } from '../core/random/index.ts'
import type { AgentSsoSettings } from './agents/settings.ts'
import type { CampaignSettingsInput } from './campaigns/settings.ts'
import {
  type ResolvedSpJwtSettings,
  type SpJwtSettings,
  spJwtSettingsSchema,
} from './jwt/settings.ts'
import {
  type ResolvedSpOidcSettings,
  type SpOidcSettings,
  spOidcSettingsSchema,
} from './oidc/settings.ts'
import type { SpDatabase } from './store/database.ts'

/** The sign-in protocol the SP speaks to its IdP. */
export type SpProtocol = 'saml' | 'jwt' | 'oidc'

/** The IdP the reference SP trusts, as the seeds name its settings. */
export interface SpIdpSettings {
  entityId: string
  /** Sign-on URL: where AuthnRequests go (HTTP-Redirect). */
  ssoUrl: string
  /** The IdP certificates (PEM or base64 DER). Signatures are verified with these only. */
  certificates: string[]
  /** Artifact resolution service URL (SOAP), where SAMLart is resolved; none: no HTTP-Artifact. */
  artifactResolutionUrl?: string
  /**
   * Log Out URL: the IdP's SingleLogoutService (HTTP-Redirect). Set, sign-out sends a signed
   * LogoutRequest there, and IdP LogoutRequests are answered there; unset, sign-out is local only.
   */
  sloUrl?: string
  /**
   * Accept this IdP's legacy crypto (RSA-SHA1 signatures, SHA-1 digests, RSA keys under 2048
   * bits, RSA 1.5 key transport), each logged as a warning with its code (default false: refused).
   */
  allowLegacyCrypto?: boolean
  /** Accept this IdP's certificate outside its validity window, with a warning (default false). */
  ignoreCertificateValidity?: boolean
}

/** Everything `createSp` takes. Only `baseUrl`, `credential` and the protocol's settings are required. */
export interface SpOptions {
  /** Where the SP is reached, e.g. `http://127.0.0.1:7100`. */
  baseUrl: string
  credential: Credential
  /** What GET /login starts and POST /logout signs off from (default `saml`). */
  protocol?: SpProtocol
  /** The SAML IdP; required for protocol `saml`. */
  idp?: SpIdpSettings
  /** JWT token SSO settings (sp/jwt/settings.ts); required for protocol `jwt`. */
  jwt?: SpJwtSettings
  /** OpenID Connect / OAuth 2 settings (sp/oidc/settings.ts); required for protocol `oidc`. */
  oidc?: SpOidcSettings
  /** Defaults to `<baseUrl>/saml/metadata`. */
  entityId?: string
  clock?: Clock
  random?: Random
  /** Allowed clock difference for NotBefore / NotOnOrAfter (default 60 s). */
  clockSkewMs?: number
  /** Accept IdP-initiated (unsolicited) responses (default false). */
  allowUnsolicited?: boolean
  /** Require a signature on the Assertion itself (default true; metadata WantAssertionsSigned). */
  wantAssertionsSigned?: boolean
  /** Require a signature on the Response (default false). */
  wantResponseSigned?: boolean
  /**
   * The key EncryptedAssertions are decrypted with; its certificate is published in the metadata
   * as KeyDescriptor use="encryption". Default: `credential`, one key for signing and encryption,
   * as most SPs do.
   */
  encryptionCredential?: Credential
  /** Refuse assertions that are not encrypted (default false). */
  wantAssertionsEncrypted?: boolean
  /** Sign AuthnRequests (query signature, default false). */
  signAuthnRequests?: boolean
  /** An SP session ends after this much inactivity (default 48 h). */
  sessionInactivityMs?: number
  /** How long an AuthnRequest may wait for its Response (default 10 min). */
  pendingRequestLifetimeMs?: number
  /** How long the IdP may take to answer an ArtifactResolve (default 5 s). */
  artifactResolveTimeoutMs?: number
  /** Outbound HTTP (artifact resolution); injected so tests need no sockets. Default: global fetch. */
  fetch?: typeof fetch
  log?: (line: string) => void
  /**
   * The SP database (sp/store/database.ts): contacts, conversations, transcripts, sessions and
   * every cache. Default: a new in-memory one; `serve` passes a file so a restart loses nothing.
   */
  database?: SpDatabase
  /** The visitor rules of the campaign at the SP's root (sp/campaigns/settings.ts). */
  campaign?: CampaignSettingsInput
  /**
   * More campaigns side by side, each under /c/<id>/ with its own connection: the settings above
   * unless the campaign names its own (e.g. one SAML, one JWT, one OIDC campaign).
   */
  campaigns?: CampaignConnectionInput[]
  /**
   * Agent SSO (sp/agents/settings.ts): the sites with their IdP login, logout and login-error
   * pages, IdP certificate and SSO switch, and the agents provisioned at start. Set, the agent
   * console needs an agent session; unset, the console stays open (a local test bench).
   */
  agentSso?: AgentSsoSettings
  /**
   * `ssoproof sp`: every sign-in attempt, accepted or not, ends on a diagnostics page listing
   * each check (sp/diagnostics/), instead of going on to the return path or an error page
   * (default false).
   */
  diagnostics?: boolean
}

/** The connection settings a campaign under /c/<id>/ may set for itself. */
export const connectionKeys = [
  'protocol',
  'idp',
  'jwt',
  'oidc',
  'entityId',
  'clockSkewMs',
  'allowUnsolicited',
  'wantAssertionsSigned',
  'wantResponseSigned',
  'wantAssertionsEncrypted',
  'signAuthnRequests',
  'sessionInactivityMs',
] as const satisfies ReadonlyArray<keyof SpOptions>

export type CampaignConnectionInput = CampaignSettingsInput & { id: string } & Pick<
    SpOptions,
    (typeof connectionKeys)[number]
  >

export type ResolvedSpOptions = Required<
  Omit<SpOptions, 'entityId' | 'jwt' | 'oidc' | 'database' | 'campaign' | 'campaigns' | 'agentSso'>
> & {
  entityId: string
  jwt: ResolvedSpJwtSettings | undefined
  oidc: ResolvedSpOidcSettings | undefined
  urls: {
    metadata: string
    acs: string
    login: string
    logout: string
    slo: string
    /** Where the IdP sends the JWT (`?token=`), and where page JavaScript posts it. */
    jwtCallback: string
    /** The OIDC redirect URI. */
    oidcCallback: string
    /** OIDC Back- and Front-Channel Logout, third-party-initiated login (oidc/). */
    oidcBackChannelLogout: string
    oidcFrontChannelLogout: string
    oidcInitiateLogin: string
    /** Where the IdP signs a JWT visitor off by a logout token (jwt/). */
    jwtSignOff: string
    home: string
  }
}

export function resolveSpOptions(options: SpOptions): ResolvedSpOptions {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const protocol = options.protocol ?? 'saml'
  const settings = {
    saml: ['idp', options.idp],
    jwt: ['jwt', options.jwt],
    oidc: ['oidc', options.oidc],
  } as const
  const [settingsName, given] = settings[protocol]
  if (given === undefined) {
    throw new SsoError(
      'CONFIG_INVALID',
      settingsName,
      `protocol ${protocol} needs the ${settingsName} settings`,
      {
        protocol,
      },
    )
  }
  return {
    baseUrl,
    credential: options.credential,
    protocol,
    idp: options.idp ?? { entityId: '', ssoUrl: '', certificates: [] },
    jwt:
      options.jwt === undefined ? undefined : parseConfig(spJwtSettingsSchema, options.jwt, 'jwt'),
    oidc:
      options.oidc === undefined
        ? undefined
        : parseConfig(spOidcSettingsSchema, options.oidc, 'oidc'),
    entityId: options.entityId ?? `${baseUrl}/saml/metadata`,
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    clockSkewMs: options.clockSkewMs ?? 60_000,
    allowUnsolicited: options.allowUnsolicited ?? false,
    wantAssertionsSigned: options.wantAssertionsSigned ?? true,
    wantResponseSigned: options.wantResponseSigned ?? false,
    encryptionCredential: options.encryptionCredential ?? options.credential,
    wantAssertionsEncrypted: options.wantAssertionsEncrypted ?? false,
    signAuthnRequests: options.signAuthnRequests ?? false,
    sessionInactivityMs: options.sessionInactivityMs ?? 48 * 3_600_000,
    pendingRequestLifetimeMs: options.pendingRequestLifetimeMs ?? 10 * 60_000,
    artifactResolveTimeoutMs: options.artifactResolveTimeoutMs ?? 5_000,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    log: options.log ?? ((line) => console.error(line)),
    diagnostics: options.diagnostics ?? false,
    urls: {
      metadata: `${baseUrl}/saml/metadata`,
      acs: `${baseUrl}/saml/acs`,
      login: `${baseUrl}/login`,
      logout: `${baseUrl}/logout`,
      slo: `${baseUrl}/saml/slo`,
      jwtCallback: `${baseUrl}/jwt/callback`,
      oidcCallback: `${baseUrl}/oidc/callback`,
      oidcBackChannelLogout: `${baseUrl}/oidc/backchannel-logout`,
      oidcFrontChannelLogout: `${baseUrl}/oidc/frontchannel-logout`,
      oidcInitiateLogin: `${baseUrl}/oidc/initiate-login`,
      jwtSignOff: `${baseUrl}/jwt/sign-off`,
      home: `${baseUrl}/`,
    },
  }
}
