import type { Clock } from '../../core/clock/index.ts'
import type { Random } from '../../core/random/index.ts'
import { encodeArtifact } from '../../core/saml/artifact.ts'
import { openWithToken, sealWithToken } from '../../core/store/seal.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import type { IdpDatabase } from '../store/database.ts'
import { purgeEnded } from '../store/purge-ended.ts'

/** A Response waiting at the IdP to be fetched by the SP it was issued to. */
/** Index of the IdP's one ArtifactResolutionService, in metadata and in every artifact it issues. */
export const artifactResolutionIndex = 0

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
  db: IdpDatabase
  clock: Clock
  random: Random
  lifetimeMs: number
  /** SHA-1 of the IdP entity ID. */
  sourceId: Buffer
  /** Index of the IdP's ArtifactResolutionService in its metadata. */
  endpointIndex: number
}

/**
 * Artifacts in the IdP database, each gone after `lifetimeMs` on the injected clock. A row is
 * keyed by the SHA-256 of its random MessageHandle and the Response is sealed with the handle, so
 * the database alone yields no assertion; ended rows are purged in bounded batches.
 */
export function createArtifactStore(options: ArtifactStoreOptions): ArtifactStore {
  const { db, clock } = options
  const insert = db.prepare<[string, string, number]>(
    `INSERT INTO idp_artifacts (handle_key, sealed, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (handle_key) DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at`,
  )
  const select = db.prepare<[string], { sealed: string; expires_at: number }>(
    'SELECT sealed, expires_at FROM idp_artifacts WHERE handle_key = ?',
  )
  const remove = db.prepare<[string]>('DELETE FROM idp_artifacts WHERE handle_key = ?')
  const purge = purgeEnded(db, 'idp_artifacts', clock)
  // Resolved once (saml-core §3.5.3): the read and the delete hold the write lock together.
  const take = db.transaction((handle: string): IssuedArtifact | undefined => {
    const key = tokenKey(handle)
    const row = select.get(key)
    remove.run(key)
    if (!row || row.expires_at <= clock.now()) return undefined
    return openWithToken<IssuedArtifact>(row.sealed, handle)
  })
  return {
    issue(spEntityId, responseXml, overrides = {}) {
      const messageHandle = overrides.messageHandle ?? options.random.bytes(20)
      const handle = messageHandle.toString('hex')
      const artifact: IssuedArtifact = {
        spEntityId,
        responseXml,
        ...(overrides.answerInResponseTo !== undefined
          ? { answerInResponseTo: overrides.answerInResponseTo }
          : {}),
      }
      purge()
      insert.run(
        tokenKey(handle),
        sealWithToken(artifact, handle, options.random),
        clock.now() + (overrides.lifetimeMs ?? options.lifetimeMs),
      )
      return encodeArtifact({
        endpointIndex: options.endpointIndex,
        sourceId: overrides.sourceId ?? options.sourceId,
        messageHandle,
      })
    },
    take: (messageHandle) => take.immediate(messageHandle.toString('hex')),
  }
}
