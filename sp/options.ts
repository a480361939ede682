import * as z from 'zod'
import { systemClock } from '../core/clock/index.ts'
import { parseConfig } from '../core/config/parse-config.ts'
import {
  baseUrlSchema,
  clockSchema,
  credentialSchema,
  fetchSchema,
  logSchema,
  millisecondsSchema,
  randomSchema,
} from '../core/config/shapes.ts'
import {
  createFetchPolicy,
  type HostLookup,
  namedHosts,
} from '../core/http/fetch-policy/fetch-policy.ts'
import { policedFetch } from '../core/http/fetch-policy/policed-fetch.ts'
import { adminTokenSchema } from '../core/http/guard/server-options.ts'
import type { Credential } from '../core/keys/index.ts'
import { systemRandom } from '../core/random/index.ts'
import { agentSsoSchema } from './agents/settings.ts'
import { campaignSettingsSchema } from './campaigns/settings.ts'
import { type ResolvedSpJwtSettings, spJwtSettingsSchema } from './jwt/settings.ts'
import { type ResolvedSpOidcSettings, spOidcSettingsSchema } from './oidc/settings.ts'
import type { SpDatabase } from './store/database.ts'

const httpUrl = z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' })

/** The sign-in protocol the SP speaks to its IdP. */
export const spProtocols = ['saml', 'jwt', 'oidc'] as const
export type SpProtocol = (typeof spProtocols)[number]

/** The IdP the reference SP trusts, as the seeds name its settings. */
export const spIdpSettingsSchema = z
  .object({
    entityId: z.string().min(1),
    /** Sign-on URL: where AuthnRequests go (HTTP-Redirect). */
    ssoUrl: httpUrl,
    /** The IdP certificates (PEM or base64 DER). Signatures are verified with these only. */
    certificates: z.array(z.string().min(1)),
    /** Artifact resolution service URL (SOAP), where SAMLart is resolved; none: no HTTP-Artifact. */
    artifactResolutionUrl: httpUrl.optional(),
    /**
     * Log Out URL: the IdP's SingleLogoutService (HTTP-Redirect). Set, sign-out sends a signed
     * LogoutRequest there, and IdP LogoutRequests are answered there; unset, sign-out is local only.
     */
    sloUrl: httpUrl.optional(),
    /**
     * Accept this IdP's legacy crypto (RSA-SHA1 signatures, SHA-1 digests, RSA keys under 2048
     * bits, RSA 1.5 key transport), each logged as a warning with its code (default false: refused).
     */
    allowLegacyCrypto: z.boolean().optional(),
    /** Accept this IdP's certificate outside its validity window, with a warning (default false). */
    ignoreCertificateValidity: z.boolean().optional(),
  })
  .strict()

export type SpIdpSettings = z.output<typeof spIdpSettingsSchema>

/** The SP database (better-sqlite3), checked by shape. */
const databaseSchema = z.custom<SpDatabase>((value) => {
  const db = value as Partial<SpDatabase> | null
  return typeof db?.prepare === 'function' && typeof db.open === 'boolean'
}, 'an SP database from openSpDatabase (sp/store/database.ts)')

/**
 * The settings of one protocol connection: the root campaign's, and those a campaign under
 * /c/<id>/ may set for itself (unset there: the root's). No defaults here; `connectionDefaults`.
 */
const connectionShape = {
  /** What GET /login starts and POST /logout signs off from (default `saml`). */
  protocol: z.enum(spProtocols).optional(),
  /** The SAML IdP; required for protocol `saml`. */
  idp: spIdpSettingsSchema.optional(),
  /** JWT token SSO settings (sp/jwt/settings.ts); required for protocol `jwt`. */
  jwt: spJwtSettingsSchema.optional(),
  /** OpenID Connect / OAuth 2 settings (sp/oidc/settings.ts); required for protocol `oidc`. */
  oidc: spOidcSettingsSchema.optional(),
  /** Defaults to `<baseUrl>/saml/metadata` (a campaign's: under its own base URL). */
  entityId: z.string().min(1).optional(),
  /** Allowed clock difference for NotBefore / NotOnOrAfter (default 60 s). */
  clockSkewMs: millisecondsSchema(0).optional(),
  /** Accept IdP-initiated (unsolicited) responses (default false). */
  allowUnsolicited: z.boolean().optional(),
  /** Require a signature on the Assertion itself (default true; metadata WantAssertionsSigned). */
  wantAssertionsSigned: z.boolean().optional(),
  /** Require a signature on the Response (default false). */
  wantResponseSigned: z.boolean().optional(),
  /** Refuse assertions that are not encrypted (default false). */
  wantAssertionsEncrypted: z.boolean().optional(),
  /** Sign AuthnRequests (query signature, default false). */
  signAuthnRequests: z.boolean().optional(),
  /** An SP session ends after this much inactivity (default 48 h). */
  sessionInactivityMs: millisecondsSchema().optional(),
}

const connectionDefaults = {
  protocol: 'saml',
  clockSkewMs: 60_000,
  allowUnsolicited: false,
  wantAssertionsSigned: true,
  wantResponseSigned: false,
  wantAssertionsEncrypted: false,
  signAuthnRequests: false,
  sessionInactivityMs: 48 * 3_600_000,
} as const

/** A further campaign under /c/<id>/: its visitor rules and, optionally, its own connection. */
export const campaignConnectionSchema = campaignSettingsSchema
  .extend({ ...connectionShape, id: campaignSettingsSchema.shape.id.unwrap() })
  .strict()

const logToStderr = (line: string) => console.error(line)
const globalFetch: typeof fetch = (input, init) => fetch(input, init)

/** Each of `createSp`'s options alone (spOptionsSchema adds the checks across them). */
export const spOptionsObject = z
  .object({
    /** Where the SP is reached, e.g. `http://127.0.0.1:7100`. */
    baseUrl: baseUrlSchema,
    credential: credentialSchema,
    ...connectionShape,
    clock: clockSchema.default(systemClock),
    random: randomSchema.default(systemRandom),
    /**
     * The key EncryptedAssertions are decrypted with; its certificate is published in the metadata
     * as KeyDescriptor use="encryption". Default: `credential`, one key for signing and encryption,
     * as most SPs do.
     */
    encryptionCredential: credentialSchema.optional(),
    /** How long an AuthnRequest may wait for its Response (default 10 min). */
    pendingRequestLifetimeMs: millisecondsSchema().default(10 * 60_000),
    /** How long the IdP may take to answer an ArtifactResolve (default 5 s). */
    artifactResolveTimeoutMs: millisecondsSchema().default(5_000),
    /**
     * Outbound HTTP (artifact resolution, JWKS, discovery, token, userinfo); injected so tests need
     * no sockets. Default: global fetch. Either way under the outbound policy (core/http/fetch-policy):
     * loopback, public addresses, the hosts the connection's settings name and `allowedFetchHosts`.
     */
    fetch: fetchSchema.default(() => globalFetch),
    /**
     * Hosts outbound fetches may reach besides loopback, public addresses and the hosts of the URLs
     * configured here (names, IP addresses, CIDR ranges). A discovery document or metadata pointing
     * at a link-local or private address is refused unless it is named here.
     */
    allowedFetchHosts: z.array(z.string().min(1)).default([]),
    /** Resolves host names for the outbound policy (default: the system resolver). */
    lookup: z
      .custom<HostLookup>((value) => typeof value === 'function', 'a host name lookup function')
      .optional(),
    /** Where the SP's log lines go (default: stderr). */
    log: logSchema.default(() => logToStderr),
    /**
     * The SP database (sp/store/database.ts): contacts, conversations, transcripts, sessions and
     * every cache. Default: a new in-memory one; `serve` passes a file so a restart loses nothing.
     */
    database: databaseSchema.optional(),
    /** The visitor rules of the campaign at the SP's root (sp/campaigns/settings.ts). */
    campaign: campaignSettingsSchema.prefault({}),
    /**
     * More campaigns side by side, each under /c/<id>/ with its own connection: the settings above
     * unless the campaign names its own (e.g. one SAML, one JWT, one OIDC campaign).
     */
    campaigns: z.array(campaignConnectionSchema).default([]),
    /**
     * Agent SSO (sp/agents/settings.ts): the sites with their IdP login, logout and login-error
     * pages, IdP certificate and SSO switch, and the agents provisioned at start. Set, the agent
     * console needs an agent session; unset, the console stays open (a local test bench).
     */
    agentSso: agentSsoSchema.optional(),
    /**
     * `ssoproof sp`: every sign-in attempt, accepted or not, ends on a diagnostics page listing
     * each check (sp/diagnostics/), instead of going on to the return path or an error page
     * (default false).
     */
    diagnostics: z.boolean().default(false),
    /** `ssoproof sp --check-all`: the guided walk at /check-all (sp/diagnostics/check-all.tsx). */
    checkAll: z.boolean().default(false),
    /**
     * Set, every /admin call needs `Authorization: Bearer <adminToken>` (16+ printable characters).
     * `serve` and `sp` require one on a non-loopback address.
     */
    adminToken: adminTokenSchema.optional(),
  })
  .strict()

/**
 * Everything `createSp` takes, validated once as a whole: an unknown key, a bad URL, a negative
 * duration or a protocol without its settings is CONFIG_INVALID naming the dotted path. Only
 * `baseUrl`, `credential` and the protocol's settings are required; every default is here.
 */
export const spOptionsSchema = spOptionsObject.superRefine((options, ctx) => {
  const rootProtocol = options.protocol ?? connectionDefaults.protocol
  const needsSettings = (protocol: SpProtocol, own: object, path: (string | number)[]) => {
    const name = protocol === 'saml' ? 'idp' : protocol
    if ((own as Record<string, unknown>)[name] === undefined && options[name] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, name],
        message: `protocol ${protocol} needs the ${name} settings`,
      })
    }
  }
  needsSettings(rootProtocol, options, [])
  const ids = new Set([options.campaign.id])
  for (const [index, campaign] of options.campaigns.entries()) {
    needsSettings(campaign.protocol ?? rootProtocol, campaign, ['campaigns', index])
    if (ids.has(campaign.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['campaigns', index, 'id'],
        message: `campaign "${campaign.id}" is defined twice`,
      })
    }
    ids.add(campaign.id)
  }
  if (options.checkAll && !options.diagnostics) {
    ctx.addIssue({ code: 'custom', path: ['checkAll'], message: 'checkAll needs diagnostics' })
  }
})

export type SpOptions = z.input<typeof spOptionsSchema>
/** `createSp`'s options as validated, every default filled in. */
export type SpConfig = z.output<typeof spOptionsSchema>
export type CampaignConnectionInput = z.input<typeof campaignConnectionSchema>
export type CampaignConnection = z.output<typeof campaignConnectionSchema>

/** One connection's settings (the root's or a campaign's), every default filled in. */
export interface ResolvedSpOptions {
  baseUrl: string
  entityId: string
  credential: Credential
  encryptionCredential: Credential
  protocol: SpProtocol
  /** The SAML IdP; entity ID and sign-on URL empty when the connection speaks JWT or OIDC. */
  idp: SpIdpSettings
  jwt: ResolvedSpJwtSettings | undefined
  oidc: ResolvedSpOidcSettings | undefined
  clock: SpConfig['clock']
  random: SpConfig['random']
  clockSkewMs: number
  allowUnsolicited: boolean
  wantAssertionsSigned: boolean
  wantResponseSigned: boolean
  wantAssertionsEncrypted: boolean
  signAuthnRequests: boolean
  sessionInactivityMs: number
  pendingRequestLifetimeMs: number
  artifactResolveTimeoutMs: number
  fetch: typeof fetch
  log: (line: string) => void
  diagnostics: boolean
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

/** Validates `createSp`'s options as a whole (CONFIG_INVALID naming the setting). */
export function parseSpOptions(input: SpOptions): SpConfig {
  return parseConfig(spOptionsSchema, input, 'createSp options')
}

/**
 * The settings of one connection: the root's (no `campaign`), or a campaign's under its own base
 * URL, where what the campaign leaves unset is the root's (but never the root's entity ID).
 */
export function resolveConnection(
  config: SpConfig,
  campaign?: CampaignConnection,
): ResolvedSpOptions {
  const baseUrl = campaign ? `${config.baseUrl}/c/${campaign.id}` : config.baseUrl
  const pick = <K extends keyof typeof connectionShape>(key: K) => campaign?.[key] ?? config[key]
  return {
    baseUrl,
    entityId: (campaign ? campaign.entityId : config.entityId) ?? `${baseUrl}/saml/metadata`,
    credential: config.credential,
    encryptionCredential: config.encryptionCredential ?? config.credential,
    protocol: pick('protocol') ?? connectionDefaults.protocol,
    idp: pick('idp') ?? { entityId: '', ssoUrl: '', certificates: [] },
    jwt: pick('jwt'),
    oidc: pick('oidc'),
    clock: config.clock,
    random: config.random,
    clockSkewMs: pick('clockSkewMs') ?? connectionDefaults.clockSkewMs,
    allowUnsolicited: pick('allowUnsolicited') ?? connectionDefaults.allowUnsolicited,
    wantAssertionsSigned: pick('wantAssertionsSigned') ?? connectionDefaults.wantAssertionsSigned,
    wantResponseSigned: pick('wantResponseSigned') ?? connectionDefaults.wantResponseSigned,
    wantAssertionsEncrypted:
      pick('wantAssertionsEncrypted') ?? connectionDefaults.wantAssertionsEncrypted,
    signAuthnRequests: pick('signAuthnRequests') ?? connectionDefaults.signAuthnRequests,
    sessionInactivityMs: pick('sessionInactivityMs') ?? connectionDefaults.sessionInactivityMs,
    pendingRequestLifetimeMs: config.pendingRequestLifetimeMs,
    artifactResolveTimeoutMs: config.artifactResolveTimeoutMs,
    fetch: policedFetch(
      config.fetch,
      createFetchPolicy({
        allowHosts: [
          ...namedHosts(pick('idp'), pick('jwt'), pick('oidc')),
          ...config.allowedFetchHosts,
        ],
        ...(config.lookup ? { lookup: config.lookup } : {}),
      }),
    ),
    log: config.log,
    diagnostics: config.diagnostics,
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
