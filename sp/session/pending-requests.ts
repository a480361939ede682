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
  /** The browser's latest pending request if it is still valid (a new sign-in replaces the token). */
  findByBrowser(browserToken: string): PendingRequest | undefined
  consume(id: string): void
}

/** `byBrowser`: browser token → request ID, living as long as the request. */
export function createPendingRequestStore(
  pending: ExpiringMap<PendingRequest>,
  byBrowser: ExpiringMap<string>,
): PendingRequestStore {
  return {
    add(request) {
      pending.set(request.id, request, request.expiresAt)
      byBrowser.set(request.browserToken, request.id, request.expiresAt)
    },
    find: (id) => pending.get(id),
    findByBrowser(browserToken) {
      const id = byBrowser.get(browserToken)
      return id === undefined ? undefined : pending.get(id)
    },
    consume(id) {
      const request = pending.get(id)
      if (request) byBrowser.delete(request.browserToken)
      pending.delete(id)
    },
  }
}
