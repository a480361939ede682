import { decodeJwt, jwtVerify, SignJWT } from 'jose'
import { createExpiringMap } from '../../../core/clock/expiring-map.ts'
import { createManualClock } from '../../../core/clock/index.ts'
import { parseConfig } from '../../../core/config/parse-config.ts'
import { newToken, systemRandom } from '../../../core/random/index.ts'
import { createIdpContext } from '../../../idp/create-context.ts'
import { issueToken } from '../../../idp/jwt/issue-token.ts'
import { resolveIdpOptions } from '../../../idp/options.ts'
import { jwtVerificationKeys } from '../../../sp/jwt/jwt-keys.ts'
import { spJwtSettingsSchema } from '../../../sp/jwt/settings.ts'
import { verifySignInToken } from '../../../sp/jwt/validate-token.ts'
import { createReplayCache } from '../../../sp/session/replay-cache.ts'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { measureRates } from '../measure.ts'

const idpUrl = 'http://127.0.0.1:7000'
const spUrl = 'http://127.0.0.1:7100'

/**
 * Figure 3: JWT token SSO, RS256 with the IdP's key. Issuance: the IdP's issueToken (claims from
 * the user, a fresh jti, the key ring's current key) against jose's SignJWT of the same claims
 * with the same KeyObject. Validation: the SP's verifySignInToken (every check of
 * core/jwt/verify.ts plus subject and replay lookup, as /jwt/callback runs it) against jose's
 * jwtVerify with iss, aud and exp required. Both sides are built from their own parts, as
 * createIdp and createSp build them, so the figure times the functions and not the HTTP routes.
 */
export async function jwtFigures(ctx: BenchContext): Promise<Figure[]> {
  const clock = createManualClock('2030-01-01T12:00:00Z')
  const { resolved, seeds } = resolveIdpOptions({
    baseUrl: idpUrl,
    credential: ctx.keys.idp,
    clock,
    log: () => {},
    jwtServiceProviders: [{ id: spUrl, returnUrls: [`${spUrl}/`], algorithm: 'RS256' }],
  })
  const idp = createIdpContext(resolved, seeds)
  const settings = parseConfig(
    spJwtSettingsSchema,
    { certificates: [ctx.keys.idp.certificatePem], issuer: resolved.issuer, audience: spUrl },
    'jwt',
  )
  const keys = jwtVerificationKeys(settings, { fetch, clock })
  const replay = createReplayCache(createExpiringMap(clock))
  const registration = idp.jwtServiceProviders.get(spUrl)
  const user = idp.users.get('alice')
  if (!registration || !user) throw new Error('the JWT SP is not registered')
  const signer = await idp.keys.signer('RS256')
  const token = await issueToken(idp, registration, user)
  const claims = decodeJwt(token)
  const verifyOptions = {
    algorithms: ['RS256'],
    issuer: String(claims.iss),
    audience: String(claims.aud),
    requiredClaims: ['exp'],
    currentDate: new Date(clock.now()),
  }
  const issuance = await measureRates(
    {
      ssoproof: () => issueToken(idp, registration, user),
      jose: () =>
        new SignJWT({ ...claims, jti: newToken(systemRandom, 16) })
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signer.kid ?? '' })
          .sign(signer.key),
    },
    ctx.budget,
  )
  const validation = await measureRates(
    {
      ssoproof: async () => {
        const accepted = await verifySignInToken(
          token,
          { ...settings, clockSkewMs: 60_000 },
          { keys, now: clock.now(), replay },
        )
        if (accepted.subject.nameId !== 'alice') throw new Error('ssoproof read another subject')
      },
      jose: async () => {
        const { payload } = await jwtVerify(token, ctx.keys.idp.publicKey, verifyOptions)
        if (payload.sub !== 'alice') throw new Error('jose read another subject')
      },
    },
    ctx.budget,
  )
  const goal = { text: 'ratio ≥ 0.8', met: (ratio: number | undefined) => (ratio ?? 0) >= 0.8 }
  return [
    figure(
      {
        id: 'jwt-issuance',
        item: 3,
        title: 'JWT issuance RS256 (IdP issueToken)',
        value: issuance.ssoproof.perSecond,
        unit: 'tokens/s',
        higherIsBetter: true,
        comparison: {
          kind: 'peer',
          name: 'jose SignJWT, same key',
          value: issuance.jose.perSecond,
          unit: 'tokens/s',
        },
        note: `p99 ${issuance.ssoproof.p99Ms.toFixed(2)} ms vs ${issuance.jose.p99Ms.toFixed(2)} ms`,
        details: {
          meanMs: issuance.ssoproof.meanMs,
          runs: issuance.ssoproof.runs,
          peerMeanMs: issuance.jose.meanMs,
          peerRuns: issuance.jose.runs,
          tokenBytes: token.length,
        },
      },
      goal,
    ),
    figure(
      {
        id: 'jwt-validation',
        item: 3,
        title: 'JWT validation RS256 (SP verifySignInToken)',
        value: validation.ssoproof.perSecond,
        unit: 'tokens/s',
        higherIsBetter: true,
        comparison: {
          kind: 'peer',
          name: 'jose jwtVerify, same key',
          value: validation.jose.perSecond,
          unit: 'tokens/s',
        },
        note: `p99 ${validation.ssoproof.p99Ms.toFixed(2)} ms vs ${validation.jose.p99Ms.toFixed(2)} ms`,
        details: {
          meanMs: validation.ssoproof.meanMs,
          runs: validation.ssoproof.runs,
          peerMeanMs: validation.jose.meanMs,
          peerRuns: validation.jose.runs,
        },
      },
      goal,
    ),
  ]
}
