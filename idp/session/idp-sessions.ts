import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newId, newToken, type Random } from '../../core/random/index.ts'

/** The IdP's own sign-in session, kept in a cookie so a second sign-in needs no form. */
export interface IdpSession {
  userId: string
  authnInstant: number
  sessionIndex: string
  expiresAt: number
}

export const idpSessionCookie = 'ssoproof_idp_session'

export interface IdpSessionStore {
  create(userId: string): { token: string; session: IdpSession }
  get(token: string | undefined): IdpSession | undefined
  delete(token: string | undefined): void
}

export function createIdpSessionStore(
  clock: Clock,
  random: Random,
  lifetimeMs: number,
): IdpSessionStore {
  const sessions = createExpiringMap<IdpSession>(clock)
  return {
    create(userId) {
      const now = clock.now()
      const session = {
        userId,
        authnInstant: now,
        sessionIndex: newId(random),
        expiresAt: now + lifetimeMs,
      }
      const token = newToken(random)
      sessions.set(token, session, session.expiresAt)
      return { token, session }
    },
    get: (token) => (token ? sessions.get(token) : undefined),
    delete(token) {
      if (token) sessions.delete(token)
    },
  }
}
