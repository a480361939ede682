import type { Clock } from '../../core/clock/index.ts'
import type { ReplayCache } from '../session/replay-cache.ts'

/** What the ACS checks a Response against. Plain data, so `ssoproof check` and tests can use it too. */
export interface ResponseValidationSettings {
  spEntityId: string
  acsUrl: string
  idpEntityId: string
  idpCertificates: string[]
  clockSkewMs: number
  wantAssertionsSigned: boolean
  wantResponseSigned: boolean
  allowUnsolicited: boolean
  /** Legacy crypto (RSA-SHA1, SHA-1 digests, 1024-bit keys): off except for old fixtures. */
  allowSha1?: boolean
  /** The SP's private key (PEM) for EncryptedAssertion; none: encrypted assertions are refused. */
  decryptionKeyPem?: string
  /** Refuse a plaintext Assertion (default false). */
  wantAssertionsEncrypted?: boolean
}

export interface ResponseValidationState {
  clock: Clock
  replay: ReplayCache
  /** True when `id` is an AuthnRequest this browser sent and is still waiting for. */
  isPendingRequest(id: string): boolean
}
