import type { Clock } from '../../core/clock/index.ts'

/** An AuthnRequest waiting for its Response, bound to the browser that started it. */
export interface PendingRequest {
  id: string
  browserToken: string
  returnPath: string
  expiresAt: number
}

export interface PendingRequestStore {
  add(request: PendingRequest): void
  /** The pending request with this ID if it is still valid; it stays until `consume`. */
  find(id: string): PendingRequest | undefined
  consume(id: string): void
}

export function createPendingRequestStore(clock: Clock): PendingRequestStore {
  const pending = new Map<string, PendingRequest>()
  return {
    add(request) {
      const now = clock.now()
      for (const [id, entry] of pending) if (entry.expiresAt <= now) pending.delete(id)
      pending.set(request.id, request)
    },
    find(id) {
      const entry = pending.get(id)
      if (!entry || entry.expiresAt <= clock.now()) return undefined
      return entry
    },
    consume(id) {
      pending.delete(id)
    },
  }
}
