import type { JwtSigner } from '../../core/jwt/sign.ts'
import type { IdpContext } from '../context.ts'

/**
 * The key a token for one relying party is signed with: the IdP's current key of the algorithm
 * (with its `kid`), or for HS256 the party's own shared secret (OIDC Core §10.1), which the
 * registration guarantees is there and 32 bytes or longer.
 */
export function signerFor(
  ctx: IdpContext,
  alg: 'RS256' | 'ES256' | 'HS256',
  secret: string | undefined,
): () => Promise<JwtSigner> {
  if (alg === 'HS256') {
    return () => Promise.resolve({ alg, key: new TextEncoder().encode(secret ?? '') })
  }
  return () => ctx.keys.signer(alg)
}
