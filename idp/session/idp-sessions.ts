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
  const sessions = new Map<string, IdpSession>()
  const sweep = () => {
    const now = clock.now()
    for (const [token, session] of sessions) if (session.expiresAt <= now) sessions.delete(token)
  }
  return {
    create(userId) {
      sweep()
      const now = clock.now()
      const session = {
        userId,
        authnInstant: now,
        sessionIndex: newId(random),
        expiresAt: now + lifetimeMs,
      }
      const token = newToken(random)
      sessions.set(token, session)
      return { token, session }
    },
    get(token) {
      if (!token) return undefined
      const session = sessions.get(token)
      if (!session) return undefined
      if (session.expiresAt <= clock.now()) {
        sessions.delete(token)
        return undefined
      }
      return session
    },
    delete(token) {
      if (token) sessions.delete(token)
    },
  }
}
