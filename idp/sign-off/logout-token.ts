import { type JWTPayload, UnsecuredJWT } from 'jose'
import { backChannelLogoutEvent, logoutTokenType } from '../../core/jwt/logout-token.ts'
import { type JwtSigner, signJwt } from '../../core/jwt/sign.ts'
import { newToken } from '../../core/random/index.ts'
import type { IdpContext } from '../context.ts'
import type { FaultOf } from '../faults/schema.ts'
import type { JwtSpRegistration } from '../jwt/registration.ts'
import { signerFor } from '../oidc/client-signer.ts'
import type { OidcClient } from '../oidc/clients.ts'

/** Who a logout token is for: an OIDC client, or a JWT SP signed off the same way. */
export type LogoutAudience =
  | { protocol: 'oidc'; client: OidcClient }
  | { protocol: 'jwt'; sp: JwtSpRegistration }

/** A logout token lives two minutes: it is delivered at once, server to server. */
const lifetimeSeconds = 120

/**
 * A logout token (Back-Channel Logout §2.4): iss, aud, iat, exp, jti, the back-channel logout
 * event, sub and (for OIDC) the session's sid, no nonce, typed logout+jwt, signed like the party's
 * ID tokens or sign-in tokens (RS256/ES256 with the IdP's keys, HS256 with its secret). The
 * `oidc-logout-token` fault breaks one of these on purpose.
 */
export async function logoutToken(
  ctx: IdpContext,
  audience: LogoutAudience,
  subject: { sub: string; sid: string | undefined },
): Promise<string> {
  const { options } = ctx
  const partyId = audience.protocol === 'oidc' ? audience.client.clientId : audience.sp.id
  const delivery = `logout ${audience.protocol} ${partyId}`
  const fault = ctx.faults.take(['oidc-logout-token'], { sp: partyId, user: subject.sub }).at(-1)
  const previous = ctx.faults.previousToken(delivery)
  if (fault?.change === 'replay' && previous !== undefined) return previous
  const now = Math.floor(options.clock.now() / 1000)
  const claims: JWTPayload = {
    iss: audience.protocol === 'jwt' ? (audience.sp.issuer ?? options.issuer) : options.issuer,
    aud:
      audience.protocol === 'jwt'
        ? (audience.sp.audience ?? audience.sp.id)
        : audience.client.clientId,
    iat: now,
    exp: now + lifetimeSeconds,
    jti: newToken(options.random, 16),
    events: { [backChannelLogoutEvent]: {} },
    sub: subject.sub,
    ...(audience.protocol === 'oidc' && subject.sid !== undefined ? { sid: subject.sid } : {}),
  }
  const signer =
    audience.protocol === 'oidc'
      ? signerFor(ctx, audience.client.idTokenSignedResponseAlg, audience.client.clientSecret)
      : signerFor(ctx, audience.sp.algorithm, audience.sp.secret)
  const token = await forge(ctx, claims, await signer(), fault)
  ctx.faults.rememberToken(delivery, token)
  return token
}

type LogoutTokenFault = FaultOf<'oidc-logout-token'>

async function forge(
  ctx: IdpContext,
  claims: JWTPayload,
  honest: JwtSigner,
  fault: LogoutTokenFault | undefined,
): Promise<string> {
  const signed = (payload: JWTPayload, signer = honest) => signJwt(payload, signer, logoutTokenType)
  switch (fault?.change) {
    case 'alg-none':
      return new UnsecuredJWT(claims).encode()
    case 'wrong-alg':
      // A valid signature with a published key, under an algorithm the party did not register.
      return signed(claims, await ctx.keys.signer(honest.alg === 'RS256' ? 'ES256' : 'RS256'))
    case 'wrong-aud':
      return signed({ ...claims, aud: 'https://other-client.example' })
    case 'wrong-iss':
      return signed({ ...claims, iss: 'https://other-idp.example' })
    case 'no-events': {
      const { events: _events, ...rest } = claims
      return signed(rest)
    }
    case 'wrong-events':
      return signed({ ...claims, events: { 'http://schemas.openid.net/event/other': {} } })
    case 'with-nonce':
      return signed({ ...claims, nonce: newToken(ctx.options.random, 8) })
    case 'no-sub-no-sid': {
      const { sub: _sub, sid: _sid, ...rest } = claims
      return signed(rest)
    }
    case 'other-sid':
      return signed({ ...claims, sid: newToken(ctx.options.random, 16) })
    case 'expired': {
      const iat = (claims.iat ?? 0) - 3600
      return signed({ ...claims, iat, exp: iat + lifetimeSeconds })
    }
    case 'bad-signature': {
      const [header, payload, signature] = (await signed(claims)).split('.')
      const bytes = Buffer.from(signature ?? '', 'base64url')
      bytes[0] = (bytes[0] ?? 0) ^ 0x01
      return `${header}.${payload}.${bytes.toString('base64url')}`
    }
    default:
      return signed(claims)
  }
}
