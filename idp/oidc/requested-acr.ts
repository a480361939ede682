import type { ContextRequirement } from '../login/choose-authn-method.ts'

/**
 * The authentication context an authorization request asks for: an essential `acr` in the
 * `claims` parameter (OIDC Core §5.5.1.1: `value` or `values`, binding — the sign-in fails when
 * none can be met), else `acr_values` (§3.1.2.1: voluntary, met when the user can). Both name
 * classes the ID token's `acr` must be one of. Undefined: nothing asked. A `claims` parameter that
 * is not a JSON object throws, for the caller to answer `invalid_request`.
 */
export function requestedAcr(
  acrValues: string | undefined,
  claims: string | undefined,
): ContextRequirement | undefined {
  const essential = claims === undefined ? undefined : essentialAcr(claims)
  if (essential !== undefined) {
    return { request: { classRefs: essential, comparison: 'exact' }, binding: true }
  }
  const voluntary = (acrValues ?? '').split(' ').filter((value) => value !== '')
  return voluntary.length === 0
    ? undefined
    : { request: { classRefs: voluntary, comparison: 'exact' }, binding: false }
}

function essentialAcr(claims: string): string[] | undefined {
  const parsed: unknown = JSON.parse(claims)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError('claims is not a JSON object')
  }
  const acr = (parsed as { id_token?: { acr?: unknown } }).id_token?.acr
  if (typeof acr !== 'object' || acr === null) return undefined
  const { essential, value, values } = acr as Record<string, unknown>
  if (essential !== true) return undefined
  const named = Array.isArray(values) ? values : value === undefined ? [] : [value]
  return named.filter((each): each is string => typeof each === 'string')
}
