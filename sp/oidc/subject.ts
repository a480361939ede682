import { SsoError } from '../../core/errors/index.ts'
import { withStandardNames } from '../jwt/claim-names.ts'
import { subjectFromClaims } from '../jwt/subject-from-claims.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'

/**
 * The signed-in subject from the ID token's and userinfo's claims (userinfo's win), each claim
 * under its standard name: `claimNames` says which claim the IdP uses for it (OAuth2 mode, e.g.
 * `user_id` for `sub`). The external ID is `sub`.
 */
export function subjectFromOidc(
  idTokenClaims: Record<string, unknown>,
  userinfo: Record<string, unknown>,
  claimNames: Record<string, string>,
  issuer: string,
): SignedInSubject {
  const merged = withStandardNames({ ...idTokenClaims, ...userinfo }, claimNames)
  try {
    return subjectFromClaims(merged, issuer, 'sub')
  } catch (error) {
    if (error instanceof SsoError && error.code === 'JWT_SUBJECT_MISSING') {
      throw new SsoError('OIDC_SUBJECT_MISSING', claimNames.sub ?? 'sub', 'the IdP named no user', {
        claim: claimNames.sub ?? 'sub',
      })
    }
    throw error
  }
}
