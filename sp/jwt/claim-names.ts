/**
 * Claims under their standard names: `claimNames` maps a standard name to the one the IdP uses
 * (`{ id: member_id }`, `{ sub: user_id }`), as `sp.jwt.claimNames` and `sp.oidc.claimNames`
 * configure it. A claim the IdP sent under the other name takes the standard one.
 */
export function withStandardNames<T>(
  claims: Record<string, T>,
  claimNames: Record<string, string>,
): Record<string, T> {
  const renamed: Record<string, T> = { ...claims }
  for (const [standard, custom] of Object.entries(claimNames)) {
    if (!Object.hasOwn(renamed, custom)) continue
    renamed[standard] = renamed[custom] as T
    delete renamed[custom]
  }
  return renamed
}
