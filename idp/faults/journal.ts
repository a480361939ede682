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
 * on it): in memory, the newest `capacity` entries (default 500). Every sign-in records one and
 * few read them: an entry is kept as it was recorded, in a ring (a full one overwrites its
 * oldest instead of shifting them all), and made a JournalEntry, its time written out, when
 * listed.
 */
export function createJournal(clock: Clock, capacity = 500): Journal {
  let ring: Recorded[] = []
  /** Where the oldest entry is once the ring is full, and so where the next one goes. */
  let oldest = 0
  let seq = 0
  return {
    record(sp, entry) {
      if (capacity <= 0) return
      const recorded = { entry, seq: ++seq, at: clock.now(), sp }
      if (ring.length < capacity) ring.push(recorded)
      else {
        ring[oldest] = recorded
        oldest = (oldest + 1) % capacity
      }
    },
    list: (filter = {}) => {
      const inOrder = oldest === 0 ? ring : [...ring.slice(oldest), ...ring.slice(0, oldest)]
      const entries: JournalEntry[] = []
      for (const { entry, seq, at, sp } of inOrder) {
        if (filter.sp !== undefined && sp !== filter.sp) continue
        if (filter.message !== undefined && entry.message !== filter.message) continue
        entries.push({ ...entry, seq, at: isoInstant(at), sp })
      }
      return entries
    },
    clear: () => {
      ring = []
      oldest = 0
    },
  }
}

/** An entry as recorded: the message as the SP sent it, and its time on the IdP's clock, ms. */
interface Recorded {
  entry: JournalMessage
  seq: number
  at: number
  sp: string
}
