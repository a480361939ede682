import { type ErrorCode, type Evidence, SsoError } from '../core/errors/index.ts'
import type { CredentialPem } from '../core/keys/index.ts'
import type { PairIdpSide } from '../harness/pair.ts'
import type { SpRegistrationInput } from '../idp/service-providers/registration.ts'
import type { SpCampaignOptions } from '../sp/campaigns/config-file.ts'
import type { Sp } from '../sp/create-sp.tsx'
import type { SpIdpSettings, SpProtocol } from '../sp/options.ts'
import type { TlsIdentity } from './serve-tls.ts'

// What `serve`'s two threads say to each other (serve-sp-thread.ts on the IdP's side,
// serve-sp-thread-worker.ts on the SP's): plain data only, the functions (log, fetch) are made
// on the thread that uses them.

/** What the SP's thread starts with: where to listen. */
export interface SpThreadData {
  host: string
  port: number
  /** With `--tls`: what the SP's HTTPS listener presents. */
  tls?: TlsIdentity | undefined
}

/** The IdP as the SP's wiring reads it (harness/pair.ts `PairIdpSide`), as data. */
export interface IdpWiring {
  metadata: string
  urls: PairIdpSide['config']['urls']
  issuer: string
  entityId: string
  certificatePem: string
}

/** The second step: everything the SP is made of, once its key is there. */
export interface SpAttach {
  spBaseUrl: string
  /** The SP's signing key and certificate. Never logged; it stays inside this process. */
  credential: CredentialPem
  idp: IdpWiring
  /** Where `sp.sqlite` is. */
  dataDir: string
  adminToken?: string | undefined
  allowedFetchHosts?: string[] | undefined
  spRegistration?: Partial<SpRegistrationInput> | undefined
  /** The campaigns file's settings, each campaign's own IdP (`idpMetadata`) already read. */
  sp: Omit<SpCampaignOptions, 'idpMetadata'> & { idp?: SpIdpSettings }
}

/** One registration the wiring made, for the IdP's thread to register in this order. */
export interface SpRegistrationRecord {
  registry: 'serviceProviders' | 'jwtServiceProviders' | 'oidcClients'
  input: unknown
}

/** A campaign of the SP as `RunningServe` lists it. */
export interface SpCampaignSummary {
  id: string
  name: string
  protocol: SpProtocol
  pathPrefix: string
  idpEntityId: string
  metadataUrl: string
}

/** What serve tells of an SP once it is made: its campaigns and its agent SSO sites. */
export function spSummary(sp: Sp): { campaigns: SpCampaignSummary[]; agentSites: string[] } {
  return {
    campaigns: [...sp.campaigns.values()].map((campaign) => ({
      id: campaign.settings.id,
      name: campaign.settings.name,
      protocol: campaign.config.protocol,
      pathPrefix: campaign.pathPrefix,
      idpEntityId: campaign.config.idp.entityId,
      metadataUrl: campaign.config.urls.metadata,
    })),
    agentSites: [...(sp.agentSso?.sites.keys() ?? [])],
  }
}

export type ToSpThread =
  | { type: 'attach'; attach: SpAttach }
  /** The IdP registered the SP: it answers from now on. */
  | { type: 'go' }
  | { type: 'close' }

export type FromSpThread =
  | { type: 'listening'; port: number }
  | { type: 'log'; lines: string[] }
  | {
      type: 'attached'
      registrations: SpRegistrationRecord[]
      campaigns: SpCampaignSummary[]
      agentSites: string[]
    }
  | { type: 'live' }
  | { type: 'failed'; error: ThreadError }
  | { type: 'closed' }

/** An error as it crosses threads: its class is lost there, so what it is goes with it. */
export interface ThreadError {
  name: string
  message: string
  stack?: string | undefined
  code?: string | undefined
  sso?: { code: ErrorCode; check: string; reason: string; evidence: Evidence } | undefined
}

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof SsoError) {
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      sso: {
        code: error.code,
        check: error.check,
        reason: error.reason,
        evidence: error.evidence,
      },
    }
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      ...(typeof code === 'string' ? { code } : {}),
    }
  }
  return { name: 'Error', message: String(error) }
}

/** The error again, an SsoError as an SsoError (its code, reason and evidence as they were). */
export function fromThreadError(error: ThreadError): Error {
  const rebuilt = error.sso
    ? new SsoError(error.sso.code, error.sso.check, error.sso.reason, error.sso.evidence)
    : Object.assign(new Error(error.message), error.code ? { code: error.code } : {})
  if (!error.sso) rebuilt.name = error.name
  if (error.stack) rebuilt.stack = error.stack
  return rebuilt
}
