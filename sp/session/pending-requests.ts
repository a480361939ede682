import type { ExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import type { SpDatabase } from '../store/database.ts'
import { createStoredExpiringMap } from '../store/stored-expiring-map.ts'

/** An AuthnRequest waiting for its Response, bound to the browser that started it. */
export interface PendingRequest {
  id: string
  returnPath: string
  expiresAt: number
  /** Sent with IsPassive: a NoPassive answer sends the visitor back as a guest. */
  passive?: boolean
}

export interface PendingRequestStore {
  /**
   * Binds the request to the browser holding `browserToken`, a pending cookie made for this
   * request alone: each sign-in gives the browser a new one.
   */
  add(request: PendingRequest, browserToken: string): void
  /** The request the browser holding `browserToken` waits on, if it is still valid. */
  ofBrowser(browserToken: string | undefined): PendingRequest | undefined
  /** That request is answered: it is gone. */
  consume(browserToken: string | undefined): void
}

/**
 * One row per request, keyed by the SHA-256 of its browser's pending cookie (store/token-key.ts):
 * a browser answers for one request at a time, so its cookie finds it, and a Response answers it
 * only when its InResponseTo is that request's ID.
 */
export function createPendingRequestStore(
  byBrowser: ExpiringMap<PendingRequest>,
): PendingRequestStore {
  return {
    add: (request, browserToken) =>
      byBrowser.set(tokenKey(browserToken), request, request.expiresAt),
    ofBrowser: (browserToken) =>
      browserToken === undefined ? undefined : byBrowser.get(tokenKey(browserToken)),
    consume(browserToken) {
      if (browserToken !== undefined) byBrowser.delete(tokenKey(browserToken))
    },
  }
}

/**
 * The store of `namespace` in the SP's database, where pending requests are kept: rows of about
 * 150 bytes, in the WITHOUT ROWID table (migration 7).
 */
export function storedPendingRequests(
  db: SpDatabase,
  namespace: string,
  clock: Clock,
): PendingRequestStore {
  return createPendingRequestStore(
    createStoredExpiringMap<PendingRequest>(db, namespace, clock, 'expiring_small'),
  )
}
