import type { AuthnMethod } from '../../core/authn-context/classes.ts'
import { classOfMethod } from '../../core/authn-context/classes.ts'
import { meetsRequest, type RequestedContext } from '../../core/authn-context/requested-context.ts'
import type { IdpUser } from '../users/user.ts'

/**
 * The authentication context a sign-in request asks for. `binding`: SAML RequestedAuthnContext
 * (saml-core §3.4.1) and an essential OIDC `acr` claim (OIDC Core §5.5.1.1) — one the IdP cannot
 * meet fails the sign-in; voluntary ones (OIDC `acr_values`, §3.1.2.1) are met when the user can.
 */
export interface ContextRequirement {
  request: RequestedContext
  binding: boolean
}

/** What the IdP does next once it knows the user and how far they authenticated. */
export type MethodChoice =
  | { kind: 'answer'; method: AuthnMethod }
  | { kind: 'second-factor' }
  | { kind: 'unavailable' }

/** The methods a user can sign in with: the password alone (unless `always`), the second factor. */
export function methodsOf(user: IdpUser): AuthnMethod[] {
  if (!user.secondFactor) return ['password']
  return user.secondFactor.always ? ['second-factor'] : ['password', 'second-factor']
}

/**
 * Chooses how the sign-in goes on, after the password or with an IdP session (`done`: the
 * method already used). Of the user's methods those whose class meets the request are
 * acceptable; `maximum` wants the strongest of them (saml-core §3.3.2.2.1 "as strong as
 * possible"), otherwise what was done counts when acceptable, else the weakest acceptable. Needing
 * the second factor after a password asks for it (a step-up, never a silent re-use); none
 * acceptable is `unavailable` for a binding request, and the request is set aside otherwise.
 */
export function chooseAuthnMethod(
  user: IdpUser,
  done: AuthnMethod,
  requirement: ContextRequirement | undefined,
): MethodChoice {
  const methods = methodsOf(user)
  let acceptable = requirement
    ? methods.filter((method) => meetsRequest(classOfMethod(method), requirement.request))
    : methods
  if (acceptable.length === 0) {
    if (requirement?.binding) return { kind: 'unavailable' }
    acceptable = methods
  }
  const wanted =
    requirement?.request.comparison === 'maximum'
      ? (acceptable.at(-1) as AuthnMethod)
      : acceptable.includes(done)
        ? done
        : (acceptable[0] as AuthnMethod)
  if (wanted === 'password' || done === 'second-factor') return { kind: 'answer', method: wanted }
  return { kind: 'second-factor' }
}
