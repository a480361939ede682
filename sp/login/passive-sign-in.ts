import type { Document } from '@xmldom/xmldom'
import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import { statusCodes } from '../../core/saml/constants.ts'
import { attr, firstChildElement, ns } from '../../core/xml/index.ts'
import type { SpContext } from '../context.ts'

/**
 * Silent sign-in (Comm100: "customers who have already logged in elsewhere … will skip this
 * process"): `GET /login?passive=1` asks the IdP without letting it show anything — SAML
 * `IsPassive="true"` (saml-core §3.4.1), OIDC `prompt=none` (OIDC Core §3.1.2.1), JWT
 * `prompt=none` on the remote login URL. An IdP session answers with a sign-in as usual; its
 * absence is no error for the visitor, who goes back to where they were, still a guest.
 */

/** OIDC Core §3.1.2.6: what a provider answers a `prompt=none` it cannot satisfy silently. */
const passiveOidcErrors = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
])

/** The `error` of an OIDC or JWT answer that only says "no silent sign-in possible". */
export function isPassiveRefusal(error: string | undefined): boolean {
  return error !== undefined && passiveOidcErrors.has(error)
}

/** saml-core §3.2.2.2: a non-Success Response whose second-level status is NoPassive. */
export function isNoPassiveResponse(doc: Document): boolean {
  const root = doc.documentElement
  if (!root || root.namespaceURI !== ns.samlp || root.localName !== 'Response') return false
  const status = firstChildElement(root, ns.samlp, 'Status')
  const code = status ? firstChildElement(status, ns.samlp, 'StatusCode') : undefined
  const sub = code ? firstChildElement(code, ns.samlp, 'StatusCode') : undefined
  return (
    code !== undefined &&
    attr(code, 'Value') !== statusCodes.success &&
    sub !== undefined &&
    attr(sub, 'Value') === statusCodes.noPassive
  )
}

/** No IdP session: back to the page the silent attempt started from, signed out, no error page. */
export function stayGuest(ctx: SpContext, c: Context, returnPath: string) {
  ctx.options.log('SP passive sign-in: no IdP session, the visitor stays a guest')
  c.header('Cache-Control', 'no-store')
  return c.redirect(returnPath, 303)
}

/**
 * Marks this browser as having had its silent attempt in this campaign (a session cookie): the
 * messenger tries once, and never right after the visitor signed out.
 */
export function markSilentAttempt(ctx: SpContext, c: Context): void {
  setCookie(c, ctx.cookies.silent, '1', {
    httpOnly: true,
    path: '/',
    sameSite: 'Lax',
    secure: ctx.options.baseUrl.startsWith('https:'),
  })
}
