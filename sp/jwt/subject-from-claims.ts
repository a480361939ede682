import type { JWTPayload } from 'jose'
import { SsoError } from '../../core/errors/index.ts'
import { requireExactIdentifier } from '../accounts/exact-identifier.ts'
import { splitRoles } from '../accounts/map-profile.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'

// Claims about the token rather than the person (RFC 7519 §4.1, OIDC Core §2 and §3.1.3.6):
// they do not become attributes.
const protocolClaims = new Set([
  'iss',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'nonce',
  'at_hash',
  'c_hash',
  'azp',
  'auth_time',
  'acr',
  'amr',
  'sid',
])

/**
 * The signed-in subject from verified claims, the same shape the SAML path produces: the
 * external ID is `id` (inSided user data format) or else `sub`, each exact (IDENTIFIER_LOOK_ALIKE
 * when one has white space at its ends or an invisible character); every other claim about the
 * person becomes an attribute as a list of strings. inSided's `customRoles` is a comma-separated
 * string and becomes one value per role here already (the data mapping splits any role list the
 * same way, whatever the protocol: accounts/map-profile.ts).
 */
export function subjectFromClaims(
  claims: JWTPayload,
  issuer: string,
  subjectClaim: string | readonly string[] = ['id', 'sub'],
): SignedInSubject {
  const names = typeof subjectClaim === 'string' ? [subjectClaim] : subjectClaim
  // Each claim that may name the user is compared exactly: a look-alike is refused, not trimmed.
  for (const name of names) {
    const value = claims[name]
    if (typeof value === 'string' && value !== '') requireExactIdentifier(value, name)
  }
  const nameId = names
    .map((name) => claims[name])
    .find((value) => typeof value === 'string' && value !== '')
  if (typeof nameId !== 'string') {
    throw new SsoError('JWT_SUBJECT_MISSING', names.join(' or '), 'the token names no user', {
      claims: [...names],
    })
  }
  const attributes: Record<string, string[]> = Object.create(null)
  for (const [name, value] of Object.entries(claims)) {
    if (protocolClaims.has(name) || value === undefined || value === null) continue
    attributes[name] =
      name === 'customRoles' && typeof value === 'string'
        ? splitRoles([value])
        : (Array.isArray(value) ? value : [value]).map(asText)
  }
  return { nameId, nameIdFormat: undefined, issuer, sessionIndex: undefined, attributes }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
