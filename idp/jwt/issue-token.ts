import type { JwtSigner } from '../../core/jwt/sign.ts'
import { newToken } from '../../core/random/index.ts'
import type { IdpContext } from '../context.ts'
import type { StatedContext } from '../faults/authn-context.ts'
import { signWithFaults } from '../faults/tokens/sign-with-faults.ts'
import { renameClaims } from '../oidc/scopes.ts'
import type { IdpUser } from '../users/user.ts'
import type { JwtSpRegistration } from './registration.ts'
import { userClaims } from './user-claims.ts'

/**
 * The sign-in token for a JWT SP: the user's claims, then `iss`, `aud`, `sub`, `iat`, `exp`
 * and `jti` (RFC 7519 §4.1), which no attribute can override, with `acr` and `amr` (OIDC Core §2)
 * as the sign-in stated them. Signed with the SP's algorithm:
 * the IdP's current RS256 or ES256 key (with its `kid`), or the SP's HS256 secret.
 */
export async function issueToken(
  ctx: IdpContext,
  sp: JwtSpRegistration,
  user: IdpUser,
  context?: StatedContext,
): Promise<string> {
  const { options } = ctx
  const now = Math.floor(options.clock.now() / 1000)
  const claims = {
    ...renameClaims(userClaims(user), sp.claimNames),
    iss: sp.issuer ?? options.issuer,
    aud: sp.audience ?? sp.id,
    sub: user.id,
    iat: now,
    exp: now + sp.tokenLifetimeSeconds,
    jti: newToken(options.random, 16),
    ...(context?.classRef !== undefined ? { acr: context.classRef } : {}),
    ...(context?.amr !== undefined ? { amr: context.amr } : {}),
  }
  const signer = (): Promise<JwtSigner> =>
    sp.algorithm === 'HS256'
      ? Promise.resolve({ alg: sp.algorithm, key: new TextEncoder().encode(sp.secret ?? '') })
      : ctx.keys.signer(sp.algorithm)
  return signWithFaults(ctx, { sp: sp.id, user: user.id }, { claims, signer, protocol: 'jwt' })
}
