import type { X509Certificate } from 'node:crypto'
import type { Element } from '@xmldom/xmldom'
import { type CheckTable, runCheckTable } from '../../core/checks/run-check-table.ts'
import { type ErrorCode, SsoError } from '../../core/errors/index.ts'
import { artifactSourceId, parseArtifact } from '../../core/saml/artifact.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { attr, childElements, firstChildElement, ns, textContent } from '../../core/xml/index.ts'
import type { IdpContext } from '../context.ts'
import { spCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { SpRegistration } from '../service-providers/registration.ts'
import { artifactResolutionIndex, type IssuedArtifact } from './artifact-store.ts'
import { authenticateRequester } from './authenticate-requester.ts'

/** What the IdP answers inside its ArtifactResponse. */
export type Answer =
  | { kind: 'message'; messageXml: string; requester: string; inResponseTo?: string }
  | { kind: 'empty'; code: ErrorCode; reason: string; requester: string | undefined }
  | { kind: 'error'; status: { code: string; subCode?: string; message: string } }

/** What the checks need and learn as they go; each reads what the ones before it set. */
interface ResolveChecks {
  ctx: IdpContext
  resolve: Element
  clientCertificate: X509Certificate | undefined
  requester?: string
  artifact?: string
  sp?: SpRegistration
  messageHandle?: Buffer
  issued?: IssuedArtifact
}

/**
 * The ArtifactResolutionService's checks on an ArtifactResolve (saml-bindings §3.6.5, saml-core
 * §3.5), in the order they run: the cheap ones before the signature's (catalogue case 38), and
 * the artifact taken only from an authenticated requester.
 */
export const artifactResolveChecks: CheckTable<ResolveChecks> = [
  [
    'Version',
    ({ resolve }) => {
      if (attr(resolve, 'Version') !== '2.0') {
        throw refusal(
          'IDP_ARTIFACT_RESOLVE_VERSION_MISMATCH',
          'Version',
          'the ArtifactResolve Version is not 2.0',
        )
      }
    },
    '2.0, else status VersionMismatch (IDP_ARTIFACT_RESOLVE_VERSION_MISMATCH)',
  ],
  [
    'ArtifactResolve',
    (checks) => {
      const { resolve } = checks
      const issuer = firstChildElement(resolve, ns.saml, 'Issuer')
      const artifacts = childElements(resolve, ns.samlp, 'Artifact')
      if (!attr(resolve, 'ID') || !attr(resolve, 'IssueInstant') || !issuer) {
        throw refusal(
          'IDP_ARTIFACT_RESOLVE_INVALID',
          'ArtifactResolve',
          'ID, IssueInstant and Issuer are required',
        )
      }
      const [artifact] = artifacts
      if (artifacts.length !== 1 || !artifact) {
        throw refusal(
          'IDP_ARTIFACT_RESOLVE_INVALID',
          'Artifact',
          'exactly one Artifact is required',
        )
      }
      checks.requester = textContent(issuer).trim()
      checks.artifact = textContent(artifact).trim()
    },
    'ID, IssueInstant, Issuer and exactly one Artifact, else status Requester (IDP_ARTIFACT_RESOLVE_INVALID)',
  ],
  [
    'Destination',
    ({ ctx, resolve }) => {
      const destination = attr(resolve, 'Destination')
      if (destination !== undefined && destination !== ctx.options.urls.artifactResolution) {
        throw refusal(
          'IDP_ARTIFACT_RESOLVE_DESTINATION_MISMATCH',
          'Destination',
          'the Destination is not this ArtifactResolutionService',
        )
      }
    },
    'this endpoint when present, else Requester/RequestDenied (IDP_ARTIFACT_RESOLVE_DESTINATION_MISMATCH)',
  ],
  [
    'Issuer',
    (checks) => {
      checks.sp = checks.ctx.serviceProviders.get(checks.requester ?? '')
      if (!checks.sp) {
        throw refusal(
          'IDP_ARTIFACT_REQUESTER_UNKNOWN',
          'Issuer',
          'the Issuer is not a registered SP',
        )
      }
    },
    'a registered SP, else no message (IDP_ARTIFACT_REQUESTER_UNKNOWN)',
  ],
  [
    'Artifact',
    (checks) => {
      const { options } = checks.ctx
      let artifact: ReturnType<typeof parseArtifact>
      try {
        artifact = parseArtifact(checks.artifact ?? '', 'Artifact')
      } catch (caught) {
        if (!(caught instanceof SsoError)) throw caught
        throw refusal(
          'IDP_ARTIFACT_NOT_ISSUED_HERE',
          'Artifact',
          `the artifact is malformed (${caught.code})`,
        )
      }
      if (
        !artifact.sourceId.equals(artifactSourceId(options.entityId)) ||
        artifact.endpointIndex !== artifactResolutionIndex
      ) {
        throw refusal(
          'IDP_ARTIFACT_NOT_ISSUED_HERE',
          'Artifact',
          'the artifact was not issued by this IdP',
        )
      }
      checks.messageHandle = artifact.messageHandle
    },
    "type 0x0004 with this IdP's SourceID and index, else no message (IDP_ARTIFACT_NOT_ISSUED_HERE)",
  ],
  [
    'Signature',
    ({ ctx, resolve, sp, clientCertificate }) => {
      const registered = sp as SpRegistration
      authenticateRequester(
        resolve,
        registered,
        clientCertificate,
        spCryptoAllowance(ctx.options.log, registered),
      )
    },
    "the SP's signature or TLS client certificate when it registered certificates, else no message (IDP_ARTIFACT_REQUESTER_UNAUTHENTICATED)",
  ],
  [
    'Issued',
    (checks) => {
      checks.issued = checks.ctx.artifacts.take(checks.messageHandle as Buffer)
      if (!checks.issued) {
        throw refusal('IDP_ARTIFACT_UNKNOWN', 'Artifact', 'unknown, already used or expired')
      }
    },
    'issued here, neither used nor expired; taken now, else no message (IDP_ARTIFACT_UNKNOWN)',
  ],
  [
    'Requester',
    ({ issued, sp }) => {
      if (issued?.spEntityId !== sp?.entityId) {
        throw refusal(
          'IDP_ARTIFACT_OTHER_REQUESTER',
          'Issuer',
          'the artifact was issued to another SP',
        )
      }
    },
    'issued to this very SP (a foreign requester burns it), else no message (IDP_ARTIFACT_OTHER_REQUESTER)',
  ],
]

/** The SAML status an ArtifactResponse carries for a refusal that is not simply "no message". */
const errorStatuses: Partial<Record<ErrorCode, { code: string; subCode?: string }>> = {
  IDP_ARTIFACT_RESOLVE_VERSION_MISMATCH: { code: statusCodes.versionMismatch },
  IDP_ARTIFACT_RESOLVE_INVALID: { code: statusCodes.requester },
  IDP_ARTIFACT_RESOLVE_DESTINATION_MISMATCH: {
    code: statusCodes.requester,
    subCode: statusCodes.requestDenied,
  },
}

/**
 * Runs artifactResolveChecks. "Empty" is the Success ArtifactResponse with no message that
 * saml-core §3.5.3 prescribes for every artifact that cannot be given out; its reason goes to
 * the IdP log only.
 */
export function answerArtifactResolve(
  ctx: IdpContext,
  resolve: Element,
  clientCertificate: X509Certificate | undefined,
): Answer {
  const checks: ResolveChecks = { ctx, resolve, clientCertificate }
  try {
    runCheckTable(artifactResolveChecks, () => checks)
  } catch (caught) {
    if (!(caught instanceof SsoError)) throw caught
    const status = errorStatuses[caught.code]
    if (status) return { kind: 'error', status: { ...status, message: caught.reason } }
    return { kind: 'empty', code: caught.code, reason: caught.reason, requester: checks.requester }
  }
  const issued = checks.issued as IssuedArtifact
  return {
    kind: 'message',
    messageXml: issued.responseXml,
    requester: checks.requester as string,
    ...(issued.answerInResponseTo !== undefined ? { inResponseTo: issued.answerInResponseTo } : {}),
  }
}

function refusal(code: ErrorCode, check: string, reason: string): SsoError {
  return new SsoError(code, check, reason, {})
}
