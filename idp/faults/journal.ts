import { type Clock, isoInstant } from '../../core/clock/index.ts'

/** What an SP sent the IdP, in its protocol's words; never a token, a code, a secret or a key. */
export type JournalMessage =
  | {
      message: 'AuthnRequest'
      id: string
      binding: 'redirect' | 'post'
      signed: boolean
      /** The AssertionConsumerService the Response goes to (the requested URL, or resolved). */
      acsUrl: string
      acsUrlRequested: string | null
      acsIndexRequested: number | null
      forceAuthn: boolean
      isPassive: boolean
      destination: string | null
      relayState: boolean
    }
  | {
      message: 'ArtifactResolve'
      id: string | null
      signed: boolean
      /** A TLS client certificate came with it (`serve --tls`). */
      clientCertificate: boolean
      /** What the IdP gave back: the message, nothing (saml-core §3.5.3), or an error status. */
      answer: 'message' | 'empty' | 'error'
    }
  | { message: 'JwtLogin'; returnUrl: string }
  | { message: 'JwtTokenRequest'; origin: string | null }
  | {
      message: 'OidcAuthorize'
      redirectUri: string
      scopes: string[]
      prompt: string[]
      state: boolean
      nonce: boolean
      codeChallengeMethod: string | null
      /** How the answer went back (OAuth 2.0 Form Post Response Mode); null when refused first. */
      responseMode: string | null
      /** The OAuth error the request was refused with, if any. */
      error: string | null
    }
  | {
      message: 'OidcUserinfo'
      /** Where the access token came: the Authorization header or the form body (RFC 6750 §2). */
      accessToken: 'header' | 'form'
      /** The answer: JSON or a signed JWT. */
      answer: 'json' | 'jwt'
    }
  | {
      message: 'OidcToken'
      grantType: string | null
      /** How the client authenticated: client_secret_basic, client_secret_post or none. */
      clientAuthentication: string
      codeVerifier: boolean
      redirectUri: string | null
    }

/** One journal line: when, which SP (entity ID, JWT SP id or client ID), what it sent. */
export type JournalEntry = JournalMessage & { seq: number; at: string; sp: string }

export interface Journal {
  record(sp: string, entry: JournalMessage): void
  /** Oldest first; `sp` and `message` narrow it. */
  list(filter?: { sp?: string | undefined; message?: string | undefined }): JournalEntry[]
  clear(): void
}

/**
 * The IdP's record of what each SP sent (mock-oauth2-server keeps one too, so a test can assert
 * on it): in memory, the newest `capacity` entries (default 500).
 */
export function createJournal(clock: Clock, capacity = 500): Journal {
  const entries: JournalEntry[] = []
  let seq = 0
  return {
    record(sp, entry) {
      entries.push({ ...entry, seq: ++seq, at: isoInstant(clock.now()), sp })
      if (entries.length > capacity) entries.splice(0, entries.length - capacity)
    },
    list: (filter = {}) =>
      entries.filter(
        (entry) =>
          (filter.sp === undefined || entry.sp === filter.sp) &&
          (filter.message === undefined || entry.message === filter.message),
      ),
    clear: () => void entries.splice(0, entries.length),
  }
}
