import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import type { StoredExpiringMap } from '../store/stored-expiring-map.ts'
import { tokenKey } from '../store/token-key.ts'

/** A signed-in agent: which one, of which site, and how they signed in. */
export interface AgentSession {
  agentId: number
  siteId: string
  loginName: string
  via: 'saml' | 'jwt' | 'password'
  createdAt: number
  lastSeenAt: number
}

export interface AgentSessionStore {
  create(session: Pick<AgentSession, 'agentId' | 'siteId' | 'loginName' | 'via'>): string
  /** The live session for this token; reading it counts as activity. */
  touch(token: string | undefined): AgentSession | undefined
  /** The live session without counting as activity (scenarios' checks). */
  peek(token: string | undefined): AgentSession | undefined
  delete(token: string | undefined): void
}

/**
 * Agent sessions, apart from visitors' (their own cookie and namespace): they end after
 * `inactivityMs` without a request, and are kept under the SHA-256 of the cookie's token.
 */
export function createAgentSessionStore(
  sessions: StoredExpiringMap<AgentSession>,
  clock: Clock,
  random: Random,
  inactivityMs: number,
): AgentSessionStore {
  const find = (token: string | undefined) => (token ? sessions.get(tokenKey(token)) : undefined)
  return {
    create(details) {
      const token = newToken(random)
      const now = clock.now()
      sessions.set(
        tokenKey(token),
        { ...details, createdAt: now, lastSeenAt: now },
        now + inactivityMs,
      )
      return token
    },
    touch(token) {
      const session = find(token)
      if (!session || !token) return undefined
      session.lastSeenAt = clock.now()
      sessions.set(tokenKey(token), session, session.lastSeenAt + inactivityMs)
      return session
    },
    peek: find,
    delete(token) {
      if (token) sessions.delete(tokenKey(token))
    },
  }
}
