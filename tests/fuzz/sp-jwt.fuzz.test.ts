import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { spUrl } from '../fixtures/in-process.ts'
import { CodeTally, expectClearAnswer, send } from './answer.ts'
import { type FuzzPair, fuzzPair, startedSession } from './fuzz-pair.ts'
import { fuzzParameters, fuzzTimeoutMs, reportTally } from './fuzz-settings.ts'
import { applyJwtInput, jwtInput } from './jwt-edits.ts'
import { guardProcess } from './process-guard.ts'
import { anyText, formRequest, formShape, queryOf } from './requests.ts'
import { expectNothingStored, storedRows } from './stored-rows.ts'
import { jwtCallback } from './valid-messages.ts'

const callbackUrl = `${spUrl}/jwt/callback`

/** How the token arrives: GET with return_url (the IdP's redirect), POST (page JavaScript), twice, or beside an error. */
const delivery = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ method: 'GET' as const, extra: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constant('GET' as const),
      extra: fc.constantFrom('token-twice', 'error', 'huge-return-url'),
    }),
  },
  { weight: 2, arbitrary: formShape.map((shape) => ({ method: 'POST' as const, shape })) },
)

const returnUrl = fc.oneof(
  { weight: 4, arbitrary: fc.constant('/') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('//evil.example', 'javascript:x'), anyText) },
)

describe('fuzz: the SP JWT callback', () => {
  guardProcess()
  let pair: FuzzPair
  beforeAll(async () => {
    pair = await fuzzPair({ protocol: 'jwt' })
  })

  it(
    'answers random and mutated tokens with a stable 4xx code and stores nothing; each token is accepted once',
    async () => {
      let source = await jwtCallback(pair)
      const tally = new CodeTally()
      const accepted = new Set<string>()
      const property = fc.asyncProperty(jwtInput, delivery, returnUrl, async (input, how, back) => {
        const token = applyJwtInput(source.token, input, pair.keys.idp.privateKey)
        const cookie = await source.agent.jar.getCookieString(callbackUrl)
        const request =
          how.method === 'GET'
            ? new Request(
                `${callbackUrl}?${queryOf([
                  ['return_url', how.extra === 'huge-return-url' ? '/'.repeat(100_000) : back],
                  ['token', token],
                  ...(how.extra === 'token-twice' ? ([['token', `${token}x`]] as const) : []),
                  ...(how.extra === 'error' ? ([['error', 'access_denied']] as const) : []),
                ])}`,
                { headers: { cookie } },
              )
            : formRequest(callbackUrl, { token, return_url: back }, how.shape, { cookie })
        const before = storedRows(pair.sp.database)
        const answer = await send(pair.sp.app.fetch, request)
        expectClearAnswer(answer, `${how.method} /jwt/callback`)
        tally.add(answer)
        if (!startedSession(pair, answer)) {
          expect(answer.status).toBeGreaterThanOrEqual(400)
          expectNothingStored(before, storedRows(pair.sp.database), {
            what: 'a refused token',
            code: answer.code,
          })
          if (answer.code?.startsWith('SP_')) source = await jwtCallback(pair)
          return
        }
        // Unless signed anew with the IdP key, only the IdP's own token (however its
        // base64url is spelled) gets through; and no token twice.
        if (input.kind !== 'resigned') {
          const [header, claims, signature] = token.split('.')
          const [h, c, s] = source.token.split('.')
          expect(decoded(header)).toEqual(decoded(h))
          expect(decoded(claims)).toEqual(decoded(c))
          expect(decoded(signature)).toEqual(decoded(s))
        }
        expect(accepted.has(token)).toBe(false)
        accepted.add(token)
        source = await jwtCallback(pair)
      })
      await fc.assert(property, fuzzParameters(150))
      reportTally('JWT callback', tally)
      expect(tally.codes).toEqual(
        expect.arrayContaining(['JWT_MALFORMED', 'JWT_SIGNATURE_INVALID', 'JWT_CLAIM_INVALID']),
      )
      expect(accepted.size).toBeGreaterThan(0)
    },
    fuzzTimeoutMs,
  )
})

function decoded(segment: string | undefined): Buffer {
  return Buffer.from(segment ?? '', 'base64url')
}
