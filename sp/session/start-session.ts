import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import type { SpContext } from '../context.ts'
import { pendingCookie } from '../login/start-login.ts'
import { type SignedInSubject, spSessionCookie } from './sp-sessions.ts'

/**
 * Starts the SP session for a subject every check accepted, whatever the protocol: the session
 * cookie is set and the pre-login cookie dropped. Returns the session token.
 */
export function startSession(ctx: SpContext, c: Context, subject: SignedInSubject): string {
  const token = ctx.sessions.create(subject)
  setCookie(c, spSessionCookie, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: ctx.options.baseUrl.startsWith('https:'),
  })
  deleteCookie(c, pendingCookie, { path: '/' })
  return token
}
