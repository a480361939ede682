import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { SpContext } from '../context.ts'
import { markSilentAttempt } from '../login/passive-sign-in.ts'
import type { Visitor } from './visitor.ts'

/**
 * Silent SSO when the chat opens (campaign `silentSignIn`): a visitor who opens the window of a
 * campaign that offers sign-in, is not signed in here and has no open conversation is first
 * sent on a passive sign-in (login/passive-sign-in.ts) that comes back to the open window —
 * signed in with no click when the IdP knows them, a guest otherwise. Once per browser session
 * and campaign, and never right after a sign-out (the marker cookie), so it cannot loop.
 * Returns where to send the visitor, or undefined to show the window as it is.
 */
export function silentSignInTarget(
  ctx: SpContext,
  c: Context,
  visitor: Visitor,
): string | undefined {
  const { campaign, options } = ctx
  if (!campaign.silentSignIn || campaign.signIn === 'none') return undefined
  if (c.req.query('open') !== '1' || c.req.query('guest') === '1') return undefined
  if (visitor.contact || visitor.conversation) return undefined
  if (getCookie(c, ctx.cookies.silent) !== undefined) return undefined
  // JWT without a remote login URL signs visitors in from page JavaScript only.
  if (options.protocol === 'jwt' && !options.jwt?.loginUrl) return undefined
  markSilentAttempt(ctx, c)
  const back = `${ctx.pathPrefix}/messenger?open=1`
  return `${ctx.pathPrefix}/login?passive=1&return_url=${encodeURIComponent(back)}`
}

/** Whether opening the window now would try a silent sign-in (the launcher then navigates). */
export function silentSignInPending(ctx: SpContext, c: Context, visitor: Visitor): boolean {
  const { campaign } = ctx
  return (
    campaign.silentSignIn &&
    campaign.signIn !== 'none' &&
    !visitor.contact &&
    !visitor.conversation &&
    getCookie(c, ctx.cookies.silent) === undefined
  )
}
