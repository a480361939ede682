import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import type { Random } from '../../core/random/index.ts'
import { encodeArtifact } from '../../core/saml/artifact.ts'

/** A Response waiting at the IdP to be fetched by the SP it was issued to. */
export interface IssuedArtifact {
  spEntityId: string
  responseXml: string
  /** A fault's InResponseTo for the ArtifactResponse instead of the ArtifactResolve's ID. */
  answerInResponseTo?: string
}

/** How a fault issues an artifact otherwise (idp/faults/artifact-faults.ts). */
export interface ArtifactIssueOverrides {
  /** Reuse this MessageHandle (a replayed artifact). */
  messageHandle?: Buffer
  /** Another lifetime (0: expired when issued). */
  lifetimeMs?: number
  /** Another SourceID than this IdP's. */
  sourceId?: Buffer
  /** Answer the ArtifactResolve with this InResponseTo instead of its ID. */
  answerInResponseTo?: string
}

export interface ArtifactStore {
  /** Keeps the Response for the SP and returns the SAMLart value that stands for it. */
  issue(spEntityId: string, responseXml: string, overrides?: ArtifactIssueOverrides): string
  /** Takes the Response out, so an artifact resolves once (saml-core §3.5.3); undefined when used or expired. */
  take(messageHandle: Buffer): IssuedArtifact | undefined
}

export interface ArtifactStoreOptions {
  clock: Clock
  random: Random
  lifetimeMs: number
  /** SHA-1 of the IdP entity ID. */
  sourceId: Buffer
  /** Index of the IdP's ArtifactResolutionService in its metadata. */
  endpointIndex: number
}

/** Artifacts keyed by their random MessageHandle, each gone after `lifetimeMs` on the injected clock. */
export function createArtifactStore(options: ArtifactStoreOptions): ArtifactStore {
  const issued = createExpiringMap<IssuedArtifact>(options.clock)
  return {
    issue(spEntityId, responseXml, overrides = {}) {
      const messageHandle = overrides.messageHandle ?? options.random.bytes(20)
      issued.set(
        messageHandle.toString('hex'),
        {
          spEntityId,
          responseXml,
          ...(overrides.answerInResponseTo !== undefined
            ? { answerInResponseTo: overrides.answerInResponseTo }
            : {}),
        },
        options.clock.now() + (overrides.lifetimeMs ?? options.lifetimeMs),
      )
      return encodeArtifact({
        endpointIndex: options.endpointIndex,
        sourceId: overrides.sourceId ?? options.sourceId,
        messageHandle,
      })
    },
    take: (messageHandle) => issued.take(messageHandle.toString('hex')),
  }
}
