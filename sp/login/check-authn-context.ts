import { meetsRequest, type RequestedContext } from '../../core/authn-context/requested-context.ts'
import { SsoError } from '../../core/errors/index.ts'

/**
 * A campaign or agent site that requires an authentication context (`authnContext`) accepts
 * only a sign-in whose stated context meets it (core/authn-context): what the IdP says came
 * back, never what the SP asked for — an IdP that ignores the request, or states nothing, is
 * refused with SP_AUTHN_CONTEXT_INSUFFICIENT. Nothing required: anything passes.
 */
export function checkAuthnContext(
  required: RequestedContext | undefined,
  stated: string | undefined,
  check: string,
): void {
  if (required === undefined || meetsRequest(stated, required)) return
  throw new SsoError(
    'SP_AUTHN_CONTEXT_INSUFFICIENT',
    check,
    stated === undefined
      ? 'the IdP stated no authentication context, and this sign-in requires one'
      : 'the IdP stated a weaker authentication context than this sign-in requires',
    {
      stated: stated === undefined ? null : stated.slice(0, 200),
      required: required.classRefs.join(' '),
      comparison: required.comparison,
    },
  )
}
