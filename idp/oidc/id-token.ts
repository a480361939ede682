import { tokenHash } from '../../core/jwt/at-hash.ts'
import type { IdpContext } from '../context.ts'
import { signWithFaults } from '../faults/tokens/sign-with-faults.ts'
import type { OidcClient } from './clients.ts'
import type { Grant } from './grants.ts'

/**
 * An ID token (OIDC Core §2, §3.1.3.6): iss, sub, aud (the client, and any additional
 * audiences with `azp` naming the client), iat, exp, auth_time, nonce when the request had one,
 * at_hash for the access token issued with it. Claims about the person come from userinfo.
 */
export async function issueIdToken(
  ctx: IdpContext,
  client: OidcClient,
  grant: Grant,
  extras: { nonce: string | undefined; accessToken: string },
): Promise<string> {
  const now = Math.floor(ctx.options.clock.now() / 1000)
  const alg = client.idTokenSignedResponseAlg
  const audiences = [client.clientId, ...client.additionalAudiences]
  const claims = {
    iss: ctx.options.issuer,
    sub: grant.userId,
    aud: audiences.length === 1 ? client.clientId : audiences,
    ...(audiences.length > 1 ? { azp: client.clientId } : {}),
    iat: now,
    exp: now + client.idTokenLifetimeSeconds,
    auth_time: Math.floor(grant.authTime / 1000),
    ...(extras.nonce !== undefined ? { nonce: extras.nonce } : {}),
    at_hash: tokenHash(extras.accessToken, alg),
  }
  return signWithFaults(
    ctx,
    { sp: client.clientId, user: grant.userId },
    { claims, signer: () => ctx.keys.signer(alg), protocol: 'oidc' },
  )
}
