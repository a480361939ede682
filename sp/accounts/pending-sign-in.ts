import type { SignedInSubject } from '../session/sp-sessions.ts'
import type { AccountKey } from './contacts.ts'
import type { MappingOutcome } from './map-profile.ts'

/**
 * A sign-in every protocol check accepted, parked until the visitor answers the profile questions
 * (inSided: a first sign-on without a username or email asks once). Plain data: it is kept in the SP database, sealed with
 * the visitor's sign-in cookie (store/browser-bound-map.ts).
 */
export interface PendingSignIn {
  subject: SignedInSubject
  /** The account key: the external ID under its issuer (account-key.ts). */
  key: AccountKey
  mapping: MappingOutcome
  /** The visitor typed the email (/account/email): not vouched for, it links no account. */
  emailTyped?: boolean
  returnPath: string
  /** OIDC: the ID token, kept for end_session's id_token_hint once the session starts. */
  idToken?: string
  /** OIDC: the refresh token, kept for POST /oidc/refresh once the session starts. */
  refreshToken?: string
}
