import { type AuthnMethod, amrOfMethod, classOfMethod } from '../../core/authn-context/classes.ts'
import type { FaultSet, FaultTarget } from './fault-set.ts'

/** The authentication context a sign-in states: SAML AuthnContextClassRef, OIDC/JWT `acr` + `amr`. */
export interface StatedContext {
  /** Absent: SAML states the `unspecified` class, tokens carry no `acr`. */
  classRef: string | undefined
  amr: string[] | undefined
}

/**
 * What the IdP says of how the user authenticated: the class and `amr` of the method used, or
 * what an `authn-context` fault makes of it (README.md) — a weaker context, none, or `amr` alone.
 */
export function statedContext(
  faults: FaultSet,
  target: FaultTarget,
  method: AuthnMethod,
): StatedContext {
  const [fault] = faults.take(['authn-context'], target)
  if (fault?.state === 'amr-only') return { classRef: undefined, amr: amrOfMethod(method) }
  const said: AuthnMethod | undefined =
    fault === undefined ? method : fault.state === 'weaker' ? 'password' : undefined
  return said === undefined
    ? { classRef: undefined, amr: undefined }
    : { classRef: classOfMethod(said), amr: amrOfMethod(said) }
}
