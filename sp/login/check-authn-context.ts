import { authnClasses, strengthOf } from '../../core/authn-context/classes.ts'
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

/**
 * The context a token states (ID token or JWT sign-in token): its `acr` (OIDC Core §2). Where
 * `acr` names no class ssoproof ranks — absent, or a provider's own value that does not meet
 * what is required — an `amr` listing `mfa` (RFC 8176 §2, "multiple-factor authentication")
 * states REFEDS MFA: how providers that keep `acr` for their own levels (Okta, Entra ID) say
 * that a second factor was used. An `acr` of a ranked class is the IdP's own statement and
 * stands, whatever `amr` says.
 */
export function tokenAuthnContext(
  claims: Readonly<Record<string, unknown>>,
  required: RequestedContext | undefined,
): string | undefined {
  const acr = typeof claims.acr === 'string' ? claims.acr : undefined
  if (
    acr !== undefined &&
    (strengthOf(acr) !== undefined || required === undefined || meetsRequest(acr, required))
  )
    return acr
  const amr = Array.isArray(claims.amr) ? claims.amr : []
  return amr.includes('mfa') ? authnClasses.mfa : acr
}
