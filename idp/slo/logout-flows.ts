import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import type { SessionParticipant } from '../session/idp-sessions.ts'

/** Who started a single logout, and so who hears how it ended. */
export type LogoutInitiator =
  | { kind: 'sp'; spEntityId: string; requestId: string; relayState: string | undefined }
  | { kind: 'idp' }
  | { kind: 'admin' }

/**
 * A single logout in progress at the IdP (saml-profiles §4.4.3.2): the IdP session has ended,
 * and the other session participants are asked one after the other, front-channel.
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
}

const flowLifetimeMs = 10 * 60_000

/** Flows keyed by the ID of the LogoutRequest they wait on (the LogoutResponse's InResponseTo). */
export interface LogoutFlowStore {
  wait(requestId: string, flow: LogoutFlow): void
  get(requestId: string | undefined): LogoutFlow | undefined
  /** Takes the flow out: a LogoutResponse moves it on once. */
  take(requestId: string): LogoutFlow | undefined
}

export function createLogoutFlowStore(clock: Clock): LogoutFlowStore {
  const flows = createExpiringMap<LogoutFlow>(clock)
  return {
    wait: (requestId, flow) => flows.set(requestId, flow, clock.now() + flowLifetimeMs),
    get: (requestId) => (requestId ? flows.get(requestId) : undefined),
    take: (requestId) => flows.take(requestId),
  }
}
