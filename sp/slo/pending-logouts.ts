import type { ExpiringMap } from '../../core/clock/expiring-map.ts'

/** The LogoutRequests the SP sent and waits to hear back on, by ID (their InResponseTo). */
export interface PendingLogoutStore {
  add(id: string, expiresAt: number): void
  /** Takes the request out: a LogoutResponse answers it once. True when it was pending. */
  take(id: string | undefined): boolean
}

export function createPendingLogoutStore(pending: ExpiringMap<true>): PendingLogoutStore {
  return {
    add: (id, expiresAt) => pending.set(id, true, expiresAt),
    take: (id) => (id ? pending.take(id) === true : false),
  }
}
