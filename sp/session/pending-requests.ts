import type { ExpiringMap } from '../../core/clock/expiring-map.ts'
import { tokenKey } from '../../core/store/token-key.ts'

/** An AuthnRequest waiting for its Response, bound to the browser that started it. */
export interface PendingRequest {
  id: string
  returnPath: string
  expiresAt: number
  /** Sent with IsPassive: a NoPassive answer sends the visitor back as a guest. */
  passive?: boolean
}

/** As kept: the browser's pending cookie only as its SHA-256 (store/token-key.ts). */
interface StoredRequest extends PendingRequest {
  browserKey: string
}

export interface PendingRequestStore {
  /** Binds the request to the browser holding `browserToken` (its pending cookie). */
  add(request: PendingRequest, browserToken: string): void
  /** The request with this ID if it is still valid; it stays until `consume`. */
  find(id: string): PendingRequest | undefined
  /** The request with this ID if it is still valid and was started by this browser. */
  findForBrowser(id: string, browserToken: string | undefined): PendingRequest | undefined
  /** The browser's latest pending request if it is still valid (a new sign-in replaces the token). */
  findByBrowser(browserToken: string | undefined): PendingRequest | undefined
  consume(id: string): void
}

/** `byBrowser`: SHA-256 of the browser token → request ID, living as long as the request. */
export function createPendingRequestStore(
  pending: ExpiringMap<StoredRequest>,
  byBrowser: ExpiringMap<string>,
): PendingRequestStore {
  const find = (id: string): PendingRequest | undefined => {
    const stored = pending.get(id)
    if (!stored) return undefined
    const { browserKey: _, ...request } = stored
    return request
  }
  return {
    add(request, browserToken) {
      const browserKey = tokenKey(browserToken)
      pending.set(request.id, { ...request, browserKey }, request.expiresAt)
      byBrowser.set(browserKey, request.id, request.expiresAt)
    },
    find,
    findForBrowser(id, browserToken) {
      const stored = pending.get(id)
      return stored && browserToken !== undefined && stored.browserKey === tokenKey(browserToken)
        ? find(id)
        : undefined
    },
    findByBrowser(browserToken) {
      const id = browserToken === undefined ? undefined : byBrowser.get(tokenKey(browserToken))
      return id === undefined ? undefined : find(id)
    },
    consume(id) {
      const stored = pending.get(id)
      if (stored) byBrowser.delete(stored.browserKey)
      pending.delete(id)
    },
  }
}
