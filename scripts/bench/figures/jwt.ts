import { decodeJwt, jwtVerify, SignJWT } from 'jose'
import { createManualClock } from '../../../core/clock/index.ts'
import { newToken, systemRandom } from '../../../core/random/index.ts'
import { createPair } from '../../../harness/pair.ts'
import { issueToken } from '../../../idp/jwt/issue-token.ts'
import { validateToken } from '../../../sp/jwt/validate-token.ts'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { measureRates } from '../measure.ts'

const idpUrl = 'http://127.0.0.1:7000'
const spUrl = 'http://127.0.0.1:7100'

/**
 * Figure 3: JWT token SSO, RS256 with the IdP's key. Issuance: the IdP's issueToken (claims from
 * the user, a fresh jti, the key ring's current key) against jose's SignJWT of the same claims
 * with the same KeyObject. Validation: the SP's validateToken (every check of core/jwt/verify.ts
 * plus subject and replay lookup) against jose's jwtVerify with iss, aud and exp required.
 */
export async function jwtFigures(ctx: BenchContext): Promise<Figure[]> {
  const clock = createManualClock('2030-01-01T12:00:00Z')
  const { idp, sp } = createPair({
    idpBaseUrl: idpUrl,
    spBaseUrl: spUrl,
    idpCredential: ctx.keys.idp,
    spCredential: ctx.keys.sp,
    clock,
    protocol: 'jwt',
    log: () => {},
  })
  try {
    const registration = idp.context.jwtServiceProviders.get(spUrl)
    const user = idp.context.users.get('alice')
    const settings = sp.context.options.jwt
    if (!registration || !user || !settings) throw new Error('the JWT pair is not wired')
    const signer = await idp.context.keys.signer('RS256')
    const token = await issueToken(idp.context, registration, user)
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
        ssoproof: () => issueToken(idp.context, registration, user),
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
          const accepted = await validateToken(sp.context, settings, token)
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
          title: 'JWT validation RS256 (SP validateToken)',
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
  } finally {
    sp.close()
  }
}
