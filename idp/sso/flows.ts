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
  const flows = new Map<string, { flow: Flow; expiresAt: number }>()
  const get = (id: string | undefined) => {
    if (!id) return undefined
    const entry = flows.get(id)
    if (!entry) return undefined
    if (entry.expiresAt <= clock.now()) {
      flows.delete(id)
      return undefined
    }
    return entry.flow
  }
  return {
    start(flow) {
      const now = clock.now()
      for (const [id, entry] of flows) if (entry.expiresAt <= now) flows.delete(id)
      const id = newToken(random, 18)
      flows.set(id, { flow, expiresAt: now + flowLifetimeMs })
      return id
    },
    get,
    take(id) {
      const flow = get(id)
      if (flow && id) flows.delete(id)
      return flow
    },
  }
}
