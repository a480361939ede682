import { fromEarlier } from '../../../core/checks/from-earlier.ts'
import { firstChildElement, ns, textContent } from '../../../core/xml/index.ts'
import { checkAuthnContext as meetsRequired } from '../../login/check-authn-context.ts'
import type { AcsContext } from '../context.ts'

/**
 * saml-core §2.7.2.2: the AuthnStatement's AuthnContextClassRef says how the user authenticated;
 * where the campaign or agent site requires a context, it must meet it (SP_AUTHN_CONTEXT_INSUFFICIENT).
 */
export function checkAuthnContext(ctx: AcsContext): void {
  const statement = firstChildElement(
    fromEarlier(ctx.assertion, 'the Assertion'),
    ns.saml,
    'AuthnStatement',
  )
  const context = statement && firstChildElement(statement, ns.saml, 'AuthnContext')
  const classRef = context && firstChildElement(context, ns.saml, 'AuthnContextClassRef')
  ctx.authnContext = classRef ? textContent(classRef).trim() : undefined
  meetsRequired(ctx.settings.requiredAuthnContext, ctx.authnContext, 'AuthnContext')
}
