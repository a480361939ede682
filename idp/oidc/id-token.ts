import { tokenHash } from '../../core/jwt/at-hash.ts'
import type { IdpContext } from '../context.ts'
import { signWithFaults } from '../faults/tokens/sign-with-faults.ts'
import { signerFor } from './client-signer.ts'
import type { OidcClient } from './clients.ts'
import type { Grant } from './grants.ts'

/**
 * An ID token (OIDC Core §2, §3.1.3.6): iss, sub, aud (the client, and any additional
 * audiences with `azp` naming the client), iat, exp, auth_time, acr and amr as the sign-in stated
 * them, nonce when the request had one,
 * at_hash for the access token issued with it, and the IdP session's `sid` (Front- and
 * Back-Channel Logout). Claims about the person come from userinfo. Signed with the client's
 * `idTokenSignedResponseAlg`: the IdP's RS256 or ES256 key, or HS256 with the client secret.
 */
export async function issueIdToken(
  ctx: IdpContext,
  client: OidcClient,
  grant: Grant,
  extras: { nonce: string | undefined; accessToken: string; refresh: boolean },
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
    ...(grant.acr !== undefined ? { acr: grant.acr } : {}),
    ...(grant.amr !== undefined ? { amr: grant.amr } : {}),
    ...(extras.nonce !== undefined ? { nonce: extras.nonce } : {}),
    at_hash: tokenHash(extras.accessToken, alg),
    sid: grant.sid,
    ...(extras.refresh ? refreshFaultClaims(ctx, client.clientId, grant.userId) : {}),
  }
  return signWithFaults(
    ctx,
    { sp: client.clientId, user: grant.userId },
    { claims, signer: signerFor(ctx, alg, client.clientSecret), protocol: 'oidc' },
  )
}

/** `oidc-refresh-claim`: the refreshed ID token names another sub, iss or aud. */
function refreshFaultClaims(ctx: IdpContext, clientId: string, userId: string) {
  const changed: Record<string, string> = {}
  for (const fault of ctx.faults.take(['oidc-refresh-claim'], { sp: clientId, user: userId })) {
    changed[fault.claim] = fault.value ?? otherValue[fault.claim]
  }
  return changed
}

const otherValue = {
  sub: 'mallory',
  iss: 'https://other-idp.example',
  aud: 'https://other-client.example',
} as const
