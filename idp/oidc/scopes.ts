import { type IdpUser, userAttributes } from '../users/user.ts'
import type { OidcClient } from './clients.ts'

/**
 * The claims a user's token releases for the granted scopes: `sub` always; OIDC Core §5.4 for
 * `profile` (name, preferred_username, picture), `email` (email, email_verified) and `phone`
 * (phone_number); and the client's custom scopes, each releasing the user attributes it names.
 * A claim the user has no value for is left out.
 */
export function claimsFor(
  user: IdpUser,
  scopes: readonly string[],
  client: OidcClient,
): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id }
  const attributes = userAttributes(user)
  const set = (name: string, value: unknown) => {
    if (value !== undefined) claims[name] = value
  }
  if (scopes.includes('profile')) {
    set('name', user.name)
    set('preferred_username', single(attributes.username))
    set('picture', single(attributes.avatar))
  }
  if (scopes.includes('email') && user.email !== undefined) {
    set('email', user.email)
    // The mock's users are test data: their addresses count as verified, as inSided assumes.
    set('email_verified', true)
  }
  if (scopes.includes('phone')) set('phone_number', user.phone)
  for (const [scope, names] of Object.entries(client.claims)) {
    if (!scopes.includes(scope)) continue
    for (const name of names) {
      const values = attributes[name]
      if (values) set(name, values.length === 1 ? values[0] : values)
    }
  }
  return claims
}

/** OAuth2 mode: the claims under the names the client's IdP would use (e.g. `sub` → `user_id`). */
export function renameClaims(
  claims: Record<string, unknown>,
  names: Record<string, string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [names[name] ?? name, value]),
  )
}

function single(values: string[] | undefined): string | undefined {
  return values?.[0]
}
