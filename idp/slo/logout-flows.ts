import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import type { LogoutDelivery } from '../../core/saml/logout-binding.ts'
import type { SessionParticipant } from '../session/idp-sessions.ts'
import type { RelyingPartySignOff } from '../sign-off/sign-off.ts'

/** Who started a single logout, and so who hears how it ended. */
export type LogoutInitiator =
  | { kind: 'sp'; spEntityId: string; requestId: string; relayState: string | undefined }
  | { kind: 'idp' }
  | { kind: 'admin' }
  /** An OIDC client's end_session or a JWT SP's sign-off URL, and where the browser goes next. */
  | { kind: 'rp'; protocol: 'oidc' | 'jwt'; redirect: string | undefined }

/**
 * A single logout in progress at the IdP (saml-profiles §4.4.3.2): the IdP session has ended,
 * the OIDC clients and JWT SPs have been signed off (sign-off/), and the other SAML session
 * participants are asked one after the other, front-channel.
 */
export interface LogoutFlow {
  initiator: LogoutInitiator
  /** Participants still to be sent a LogoutRequest, in order. */
  remaining: SessionParticipant[]
  /** The LogoutRequest the IdP waits on; its LogoutResponse moves the flow on. */
  awaiting: { spEntityId: string; requestId: string } | undefined
  confirmed: string[]
  /** SPs that answered with a non-success status or could not be asked: a partial logout. */
  failed: string[]
  /** What the OIDC clients and JWT SPs of the ended sessions answered, and their iframes. */
  signOff: RelyingPartySignOff
}

/** Where the browser goes once a front-channel page has loaded its iframes. */
export type LogoutContinuation =
  | { kind: 'redirect'; url: string }
  | { kind: 'delivery'; delivery: LogoutDelivery }

const flowLifetimeMs = 10 * 60_000

/** Flows keyed by the ID of the LogoutRequest they wait on (the LogoutResponse's InResponseTo). */
export interface LogoutFlowStore {
  wait(requestId: string, flow: LogoutFlow): void
  get(requestId: string | undefined): LogoutFlow | undefined
  /** Takes the flow out: a LogoutResponse moves it on once. */
  take(requestId: string): LogoutFlow | undefined
  /** Keeps where a front-channel page continues to; the token goes in its form. */
  park(next: LogoutContinuation): string
  /** The continuation of a token, once. */
  resume(token: string | undefined): LogoutContinuation | undefined
}

export function createLogoutFlowStore(clock: Clock, random: Random): LogoutFlowStore {
  const flows = createExpiringMap<LogoutFlow>(clock)
  const continuations = createExpiringMap<LogoutContinuation>(clock)
  return {
    wait: (requestId, flow) => flows.set(requestId, flow, clock.now() + flowLifetimeMs),
    get: (requestId) => (requestId ? flows.get(requestId) : undefined),
    take: (requestId) => flows.take(requestId),
    park(next) {
      const token = newToken(random, 18)
      continuations.set(token, next, clock.now() + flowLifetimeMs)
      return token
    },
    resume: (token) => (token ? continuations.take(token) : undefined),
  }
}
