import type { SignedInSubject } from '../session/sp-sessions.ts'
import type { MappingOutcome } from './map-profile.ts'

/**
 * A sign-in every protocol check accepted, parked until the visitor picks a username (inSided:
 * a first sign-on without one asks once). Plain data: it is kept in the SP database, sealed with
 * the visitor's sign-in cookie (store/browser-bound-map.ts).
 */
export interface PendingSignIn {
  subject: SignedInSubject
  externalId: string
  mapping: MappingOutcome
  returnPath: string
  /** OIDC: the ID token, kept for end_session's id_token_hint once the session starts. */
  idToken?: string
  /** OIDC: the refresh token, kept for POST /oidc/refresh once the session starts. */
  refreshToken?: string
}
