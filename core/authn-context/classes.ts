/**
 * The authentication context classes ssoproof knows, weakest first (saml-authn-context §3.4;
 * REFEDS MFA Profile §2). The order is this project's: SAML leaves the strength of classes to
 * the deployment, and Comparison other than `exact` only means something within such an order.
 * OIDC uses the same URIs as `acr` values (OIDC Core §2).
 */
export const authnClasses = {
  password: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
  passwordProtectedTransport: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  mfa: 'https://refeds.org/profile/mfa',
} as const

const strengthOrder: readonly string[] = [
  authnClasses.password,
  authnClasses.passwordProtectedTransport,
  authnClasses.mfa,
]

/** Where the class stands in the order (0 weakest), or undefined for a class ssoproof does not rank. */
export function strengthOf(classRef: string): number | undefined {
  const index = strengthOrder.indexOf(classRef)
  return index === -1 ? undefined : index
}

/** What the mock IdP's users can sign in with: the password alone, or with their second factor. */
export type AuthnMethod = 'password' | 'second-factor'

/** The class the IdP states for a method: PasswordProtectedTransport, or REFEDS MFA. */
export function classOfMethod(method: AuthnMethod): string {
  return method === 'second-factor' ? authnClasses.mfa : authnClasses.passwordProtectedTransport
}

/** RFC 8176 §2 `amr` values of a method: `pwd`; with the one-time code also `otp` and `mfa`. */
export function amrOfMethod(method: AuthnMethod): string[] {
  return method === 'second-factor' ? ['pwd', 'otp', 'mfa'] : ['pwd']
}
