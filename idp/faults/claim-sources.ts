import { type JWTPayload, UnsecuredJWT } from 'jose'
import { signJwt } from '../../core/jwt/sign.ts'
import { newToken } from '../../core/random/index.ts'
import type { IdpContext } from '../context.ts'
import type { FaultTarget } from './fault-set.ts'
import type { FaultOf } from './schema.ts'

type ClaimSourcesFault = FaultOf<'oidc-claim-sources'>

/** How long a distributed claims endpoint access token lives. */
const distributedLifetimeMs = 10 * 60_000

/**
 * `oidc-claim-sources` (OIDC Core §5.6.2): the named claims leave the userinfo answer and come
 * back as aggregated claims (a JWT in `_claim_sources`) or distributed claims (an endpoint and an
 * access token; GET /oidc/claims answers the JWT). The JWT is signed with the IdP's RS256 key, with
 * `alg: none`, or with an attacker's key, so a client shows whether it checks it.
 */
export async function withClaimSources<T extends Record<string, unknown>>(
  ctx: IdpContext,
  target: FaultTarget,
  claims: T,
): Promise<Record<string, unknown>> {
  const fault = ctx.faults.take(['oidc-claim-sources'], target).at(-1)
  if (!fault) return claims
  const moved: JWTPayload = {}
  const kept: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(claims)) {
    if (fault.claims.includes(name) && name !== 'sub') moved[name] = value
    else kept[name] = value
  }
  const names = Object.fromEntries(Object.keys(moved).map((name) => [name, 'src1']))
  if (Object.keys(names).length === 0) return claims
  if (fault.delivery === 'aggregated') {
    const jwt = await claimsJwt(ctx, fault, moved)
    return { ...kept, _claim_names: names, _claim_sources: { src1: { JWT: jwt } } }
  }
  const accessToken = newToken(ctx.options.random)
  ctx.distributedClaims.set(
    accessToken,
    { claims: moved, signature: fault.signature },
    ctx.options.clock.now() + distributedLifetimeMs,
  )
  return {
    ...kept,
    _claim_names: names,
    _claim_sources: {
      src1: { endpoint: ctx.options.urls.oidcClaims, access_token: accessToken },
    },
  }
}

/** What GET /oidc/claims serves for one access token. */
export interface DistributedClaims {
  claims: JWTPayload
  signature: ClaimSourcesFault['signature']
}

/** GET /oidc/claims: the distributed claims of a Bearer token, as a JWT (application/jwt). */
export async function distributedClaimsJwt(
  ctx: IdpContext,
  authorization: string | undefined,
): Promise<string | undefined> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const entry = token === undefined ? undefined : ctx.distributedClaims.get(token)
  if (!entry) return undefined
  return claimsJwt(ctx, entry, entry.claims)
}

async function claimsJwt(
  ctx: IdpContext,
  how: Pick<ClaimSourcesFault, 'signature'>,
  claims: JWTPayload,
): Promise<string> {
  const payload = { ...claims, iss: ctx.options.issuer }
  switch (how.signature) {
    case 'none':
      return new UnsecuredJWT(payload).encode()
    case 'untrusted': {
      const attacker = await ctx.faults.credential('untrusted')
      return signJwt(payload, { alg: 'RS256', kid: 'attacker', key: attacker.privateKey })
    }
    case 'idp':
      return signJwt(payload, await ctx.keys.signer('RS256'))
  }
}
