import type { ExpiringMap } from '../../core/clock/expiring-map.ts'

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

export function createPendingRequestStore(
  pending: ExpiringMap<PendingRequest>,
): PendingRequestStore {
  return {
    add: (request) => pending.set(request.id, request, request.expiresAt),
    find: (id) => pending.get(id),
    consume: (id) => pending.delete(id),
  }
}
