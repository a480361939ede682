import { type IdpUser, userAttributes } from '../users/user.ts'

/**
 * A user as token claims: the inSided user data format — `id` (required), `username`, `email`,
 * `customRoles` (a comma-separated string), `avatar` — then every other profile field and
 * attribute as it is (a list stays a list). `username` is the user's `username` attribute, else
 * their name.
 */
export function userClaims(user: IdpUser): Record<string, string | string[]> {
  const claims: Record<string, string | string[]> = {}
  for (const [name, values] of Object.entries(userAttributes(user))) {
    claims[name] = values.length === 1 ? (values[0] ?? '') : values
  }
  const roles = user.attributes.customRoles
  if (roles !== undefined) claims.customRoles = Array.isArray(roles) ? roles.join(',') : roles
  claims.username ??= user.name
  return claims
}
