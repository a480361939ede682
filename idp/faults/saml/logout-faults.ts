import { bindings } from '../../../core/saml/constants.ts'
import type { Endpoint } from '../../../core/saml/metadata-build.ts'
import { xmlLimits } from '../../../core/xml/index.ts'
import type { IdpContext } from '../../context.ts'

/**
 * The IdP's hook into the logout messages it sends an SP (idp/slo): with `saml-deflate-bomb`
 * active for the SP and the message going by HTTP-Redirect, the LogoutRequest or LogoutResponse
 * gets four times the SP's size cap of whitespace before its end tag (catalogue item 16). Still
 * well-formed and validly signed; DEFLATE shrinks it to a few KiB, so the query stays short, and
 * only an SP that inflates without a cap holds the whole of it. Logout flows name no user: a
 * fault scoped to a user never applies here.
 */
export function logoutXmlWithFaults(
  ctx: IdpContext,
  spEntityId: string,
  endpoint: Endpoint,
  xml: string,
): string {
  if (endpoint.binding !== bindings.redirect) return xml
  if (ctx.faults.take(['saml-deflate-bomb'], { sp: spEntityId }).length === 0) return xml
  const padding = ' '.repeat(4 * xmlLimits.maxBytes)
  return xml.replace(/(<\/samlp:Logout(?:Request|Response)>\s*)$/, `${padding}$1`)
}
