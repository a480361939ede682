import type { RequestedContext } from '../../core/authn-context/requested-context.ts'
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
  /**
   * Legacy crypto (RSA-SHA1, SHA-1 digests, RSA keys under 2048 bits, RSA 1.5 key transport):
   * refused unless set, and then accepted with warnings. Off except for old IdPs and fixtures.
   */
  allowLegacyCrypto?: boolean
  /** Accept an IdP certificate outside its validity window, with a warning (default: refuse). */
  ignoreCertificateValidity?: boolean
  /** The SP's private key (PEM) for EncryptedAssertion and EncryptedID; none: they are refused. */
  decryptionKeyPem?: string
  /** Refuse a plaintext Assertion (default false). */
  wantAssertionsEncrypted?: boolean
  /** The campaign's or agent site's required authentication context (`authnContext`), if any. */
  requiredAuthnContext?: RequestedContext | undefined
}

/**
 * What the ACS binds a Response to beyond its settings. Offline (`ssoproof check`) there is no
 * replay cache and may be no request: a `null` there is reported as "not checked".
 */
export interface ResponseValidationState {
  clock: Clock
  replay: ReplayCache | null
  /** True when `id` is an AuthnRequest this browser sent and is still waiting for. */
  isPendingRequest: ((id: string) => boolean) | null
  /**
   * True when this browser has an AuthnRequest still waiting for its answer: then a Response
   * without InResponseTo is refused, even where unsolicited responses are allowed.
   */
  awaitsResponse?: boolean
  /**
   * Whether this browser presented the cookie of a sign-in it started here (still pending or
   * since expired). False: any Response is unsolicited for it, refused before signature work
   * where unsolicited responses are off. Unset (offline): not checked.
   */
  signInStarted?: boolean
}
