import type { Context } from 'hono'
import { renderHtml } from '../../core/http/render-html.ts'
import { newId } from '../../core/random/index.ts'
import { bindings, statusCodes } from '../../core/saml/constants.ts'
import { buildLogoutResponse } from '../../core/saml/logout.ts'
import {
  decodeLogout,
  deliverLogout,
  encodeLogout,
  type IncomingLogout,
  logoutParamOf,
} from '../../core/saml/logout-binding.ts'
import type { SpContext } from '../context.ts'
import { sameOriginPathOr } from '../login/return-path.ts'
import { receiveLogoutRequest } from './receive-logout-request.ts'
import { receiveLogoutResponse } from './receive-logout-response.ts'
import { SignedOutPage } from './signed-out-page.tsx'

/**
 * GET/POST /saml/slo — the SP's SingleLogoutService (HTTP-Redirect and HTTP-POST).
 *   SAMLResponse  the IdP's answer to this SP's LogoutRequest: checked, then "signed out"
 *   SAMLRequest   the IdP logs a subject out: the sessions it names end, and a signed
 *                 LogoutResponse goes back over HTTP-Redirect — Success, or Requester /
 *                 UnknownPrincipal when no session matched (saml-core §3.2.2.2, §3.7.3.2)
 */
export function handleSlo(ctx: SpContext, c: Context, incoming: IncomingLogout) {
  const { options } = ctx
  const decoded = decodeLogout(incoming, logoutParamOf(incoming))
  const onCheck = ctx.diagnostics?.hooks.logoutChecks(c, decoded)
  if (decoded.param === 'SAMLResponse') {
    receiveLogoutResponse(ctx, decoded, onCheck)
    options.log('SP LogoutResponse accepted: signed out at the IdP')
    const back = relayStatePath(decoded.relayState, options.baseUrl, ctx.pathPrefix)
    if (back !== undefined) return c.redirect(back, 303)
    c.header('Cache-Control', 'no-store')
    return c.html(renderHtml(<SignedOutPage idpEntityId={options.idp.entityId} />))
  }
  const { request, sloUrl } = receiveLogoutRequest(ctx, decoded, onCheck)
  const ended = ctx.sessions.endBySubject({
    issuer: request.issuer,
    nameId: request.nameId,
    nameIdFormat: request.nameIdFormat,
    sessionIndexes: request.sessionIndexes,
  })
  options.log(`SP LogoutRequest from the IdP: ${ended} session(s) ended`)
  const id = newId(options.random)
  const status =
    ended > 0
      ? { code: statusCodes.success }
      : {
          code: statusCodes.requester,
          subCode: statusCodes.unknownPrincipal,
          message: 'no session here matches this NameID and SessionIndex',
        }
  ctx.diagnostics?.hooks.logoutAnswered(c, {
    ended,
    status: status.subCode ?? status.code,
    to: sloUrl,
  })
  const xml = buildLogoutResponse({
    id,
    issueInstant: options.clock.now(),
    destination: sloUrl,
    inResponseTo: request.id,
    issuer: options.entityId,
    status,
  })
  return deliverLogout(
    c,
    encodeLogout({
      endpoint: { binding: bindings.redirect, location: sloUrl },
      param: 'SAMLResponse',
      xml,
      id,
      relayState: decoded.relayState,
      credential: options.credential,
    }),
  )
}

// Where the visitor signed out from, carried as RelayState: a same-origin path other than the
// campaign's home (home gets the "signed out" page).
function relayStatePath(
  relayState: string | undefined,
  baseUrl: string,
  pathPrefix: string,
): string | undefined {
  if (relayState === undefined) return undefined
  const path = sameOriginPathOr(relayState, baseUrl, undefined)
  return path === `${pathPrefix}/` ? undefined : path
}
