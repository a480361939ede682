import type { Context } from 'hono'
import { newId } from '../../core/random/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { buildLogoutRequest } from '../../core/saml/logout.ts'
import { deliverLogout, encodeLogout } from '../../core/saml/logout-binding.ts'
import type { SpContext } from '../context.ts'
import { endLocalSession, logoutReturnPath } from '../session/end-session.ts'

/**
 * POST /logout — the visitor signs out. The SP session ends here and now; then, when the IdP's
 * Log Out URL is configured and the session came from the IdP, a signed LogoutRequest goes there
 * over HTTP-Redirect (saml-profiles §4.4.3.1), naming the session's NameID exactly as asserted,
 * qualifiers too, and its SessionIndex; the IdP's LogoutResponse comes back to /saml/slo.
 */
export async function startLogout(ctx: SpContext, c: Context) {
  const { options } = ctx
  const returnPath = await logoutReturnPath(ctx, c)
  const { session } = endLocalSession(ctx, c)
  const sloUrl = options.idp.sloUrl
  if (!session || !sloUrl || session.subject.issuer !== options.idp.entityId) {
    return c.redirect(returnPath, 303)
  }
  const { subject } = session
  const id = newId(options.random)
  const now = options.clock.now()
  const sessionIndexes = subject.sessionIndex !== undefined ? [subject.sessionIndex] : []
  const xml = buildLogoutRequest({
    id,
    issueInstant: now,
    destination: sloUrl,
    issuer: options.entityId,
    nameId: subject.nameId,
    nameIdFormat: subject.nameIdFormat,
    ...subject.nameIdQualifiers,
    sessionIndexes,
    notOnOrAfter: now + options.pendingRequestLifetimeMs,
  })
  ctx.pendingLogouts.add(id, now + options.pendingRequestLifetimeMs)
  options.log(`SP LogoutRequest sent to ${options.idp.entityId}`)
  ctx.diagnostics?.logoutSent(c, {
    id,
    at: now,
    destination: sloUrl,
    nameId: subject.nameId,
    nameIdFormat: subject.nameIdFormat,
    sessionIndexes,
  })
  return deliverLogout(
    c,
    encodeLogout({
      endpoint: { binding: bindings.redirect, location: sloUrl },
      param: 'SAMLRequest',
      xml,
      id,
      credential: options.credential,
      // Back from the IdP, the LogoutResponse's RelayState says where the visitor started.
      relayState: returnPath,
    }),
  )
}
