import { createSlidingSessions, type SlidingSessions } from '../store/sliding-sessions.ts'

/** A signed-in agent: which one, of which site, and how they signed in. */
export interface AgentSession {
  agentId: number
  siteId: string
  loginName: string
  via: 'saml' | 'jwt' | 'password'
  createdAt: number
  lastSeenAt: number
}

export type AgentSessionStore = SlidingSessions<AgentSession>

/** Agent sessions, apart from visitors' (their own cookie and namespace), ended by inactivity. */
export const createAgentSessionStore = createSlidingSessions<AgentSession>
