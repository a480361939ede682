import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import type { SpRegistration } from '../service-providers/registration.ts'

/** A sign-in in progress at the IdP: what to answer, to whom, once the user is known. */
export interface Flow {
  sp: SpRegistration
  acsUrl: string
  /** The AuthnRequest ID; absent for IdP-initiated sign-in. */
  requestId: string | undefined
  relayState: string | undefined
  forceAuthn: boolean
  loginHint: string | undefined
}

const flowLifetimeMs = 15 * 60_000

export interface FlowStore {
  start(flow: Flow): string
  get(id: string | undefined): Flow | undefined
  /** Takes the flow out: a flow completes once. */
  take(id: string | undefined): Flow | undefined
}

export function createFlowStore(clock: Clock, random: Random): FlowStore {
  const flows = createExpiringMap<Flow>(clock)
  return {
    start(flow) {
      const id = newToken(random, 18)
      flows.set(id, flow, clock.now() + flowLifetimeMs)
      return id
    },
    get: (id) => (id ? flows.get(id) : undefined),
    take: (id) => (id ? flows.take(id) : undefined),
  }
}
