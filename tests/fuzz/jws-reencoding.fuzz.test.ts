import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { respell } from '../../idp/faults/tokens/respell.ts'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import { CodeTally, expectClearAnswer, send } from './answer.ts'
import { type FuzzPair, fuzzPair, startedSession } from './fuzz-pair.ts'
import { fuzzParameters, fuzzTimeoutMs, reportTally } from './fuzz-settings.ts'
import { guardProcess } from './process-guard.ts'
import { expectNothingStored, storedRows } from './stored-rows.ts'
import { jwtCallback } from './valid-messages.ts'

/**
 * Catalogue case 34: one signed content, many spellings. Each part of a token may get `=`
 * padding, its last character's unused bits set, the standard base64 alphabet (`+`, `/`), a
 * space, tab or newline; an ES256 signature its twin (r, n − s). Whatever the spellings and
 * their order, the content signs in at most once; each refusal is a clear 4xx that stores
 * nothing. The IdP issues these tokens without `jti`, so the replay cache must recognise the
 * content itself.
 */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

type PartEdit =
  | { kind: 'padding'; count: number }
  | { kind: 'unused-bits'; bits: number }
  | { kind: 'standard-alphabet' }
  | { kind: 'white-space'; at: number; character: string }

const partEdit: fc.Arbitrary<PartEdit> = fc.oneof(
  fc.record({ kind: fc.constant('padding' as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('unused-bits' as const), bits: fc.integer({ min: 1, max: 15 }) }),
  fc.record({ kind: fc.constant('standard-alphabet' as const) }),
  fc.record({
    kind: fc.constant('white-space' as const),
    at: fc.nat(),
    character: fc.constantFrom(' ', '\n', '\t', '\r\n'),
  }),
)

/** One spelling: per part, nothing or a few edits; and the ECDSA twin or not. */
const spelling = fc.record({
  header: fc.array(partEdit, { maxLength: 2 }),
  payload: fc.array(partEdit, { maxLength: 2 }),
  signature: fc.array(partEdit, { maxLength: 2 }),
  twin: fc.boolean(),
})

type Spelling = typeof spelling extends fc.Arbitrary<infer T> ? T : never

function edit(part: string, change: PartEdit): string {
  switch (change.kind) {
    case 'padding':
      return `${part}${'='.repeat(change.count)}`
    case 'unused-bits': {
      // A part of 4k+2 characters has 4 unused bits in its last character, 4k+3 has 2.
      const unused = part.length % 4 === 2 ? 0b1111 : part.length % 4 === 3 ? 0b11 : 0
      const last = alphabet.indexOf(part.at(-1) ?? 'A')
      if (unused === 0 || last < 0) return part
      return `${part.slice(0, -1)}${alphabet[last | (change.bits & unused)]}`
    }
    case 'standard-alphabet':
      return part.replaceAll('-', '+').replaceAll('_', '/')
    case 'white-space': {
      const at = change.at % (part.length + 1)
      return `${part.slice(0, at)}${change.character}${part.slice(at)}`
    }
  }
}

function spell(token: string, how: Spelling): string {
  const base = how.twin
    ? respell(token, { kind: 'jwt-reencoded', part: 'signature', spelling: 'ecdsa-twin' })
    : token
  const [header = '', payload = '', signature = ''] = base.split('.')
  return [
    how.header.reduce(edit, header),
    how.payload.reduce(edit, payload),
    how.signature.reduce(edit, signature),
  ].join('.')
}

describe('fuzz: JWS re-encodings (catalogue case 34)', () => {
  guardProcess()
  const pairs = new Map<string, FuzzPair>()
  beforeAll(async () => {
    pairs.set('RS256', await fuzzPair({ protocol: 'jwt' }))
    pairs.set('ES256', await fuzzPair({ protocol: 'jwt', jwt: { algorithm: 'ES256' } }))
    for (const pair of pairs.values()) {
      pair.idp.faults.add({ kind: 'jwt-claim-missing', claim: 'jti' })
    }
  })

  it.each(['RS256', 'ES256'])(
    '%s: a token without jti signs in exactly once, however its parts are spelled and in whatever order they arrive',
    async (alg) => {
      const pair = pairs.get(alg) as FuzzPair
      const tally = new CodeTally()
      let sessions = 0
      const property = fc.asyncProperty(
        fc.array(spelling, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        async (spellings, originalAt) => {
          // Another second, another token: without jti, two tokens of one second are one.
          pair.clock.advance(1_000)
          const { token } = await jwtCallback(pair)
          const tokens = spellings.map((how) => spell(token, how))
          // The token as the IdP spelled it comes somewhere in the sequence too.
          tokens.splice(originalAt % (tokens.length + 1), 0, token)
          let signedIn = 0
          for (const spelled of tokens) {
            const before = storedRows(pair.sp.database)
            const answer = await send(
              pair.sp.app.fetch,
              new Request(`${spUrl}/jwt/callback?token=${encodeURIComponent(spelled)}`),
            )
            expectClearAnswer(answer, 'GET /jwt/callback')
            tally.add(answer)
            if (startedSession(pair, answer)) {
              signedIn++
              continue
            }
            expect(answer.status).toBeGreaterThanOrEqual(400)
            expectNothingStored(before, storedRows(pair.sp.database), {
              what: 'a re-spelled token',
              code: answer.code,
            })
          }
          expect(signedIn, `spellings ${JSON.stringify(tokens.map(shortened))}`).toBe(1)
          sessions += signedIn
        },
      )
      await fc.assert(property, fuzzParameters(40))
      reportTally(`JWS re-encodings (${alg})`, tally)
      expect(sessions).toBeGreaterThan(0)
      expect(tally.codes).toEqual(
        expect.arrayContaining(['JWT_BASE64URL_NON_CANONICAL', 'JWT_REPLAY']),
      )
    },
    fuzzTimeoutMs,
  )

  it(
    'OIDC: an ID token in any other spelling signs no one in and stores nothing',
    async () => {
      const pair = await fuzzPair({ protocol: 'oidc' })
      const tally = new CodeTally()
      const property = fc.asyncProperty(spelling, async (how) => {
        let changed = false
        pair.backChannel.rewrite = async (sent, real) => {
          if (new URL(sent.url).pathname !== '/oidc/token') return real
          const body = (await real.json()) as { id_token?: string }
          const idToken = body.id_token ?? ''
          const spelled = spell(idToken, { ...how, twin: false })
          changed = spelled !== idToken
          return Response.json({ ...body, id_token: spelled }, { status: real.status })
        }
        try {
          const login = await send(pair.sp.app.fetch, new Request(`${spUrl}/login`))
          const cookie = login.headers
            .getSetCookie()
            .map((line) => line.split(';')[0])
            .join('; ')
          pair.idp.queueLogin('alice')
          const authorize = login.headers.get('location') ?? ''
          expect(authorize.startsWith(`${idpUrl}/`)).toBe(true)
          const back = (await send(pair.idp.app.fetch, new Request(authorize))).headers.get(
            'location',
          )
          const before = storedRows(pair.sp.database)
          const answer = await send(
            pair.sp.app.fetch,
            new Request(back ?? '', { headers: { cookie } }),
          )
          expectClearAnswer(answer, 'GET /oidc/callback')
          tally.add(answer)
          if (!changed) {
            expect(startedSession(pair, answer)).toBe(true)
            return
          }
          expect(startedSession(pair, answer)).toBe(false)
          // Characters added to a part can leave it 4k+1 long: no base64url at all (JWT_MALFORMED).
          expect(['JWT_BASE64URL_NON_CANONICAL', 'JWT_MALFORMED']).toContain(answer.code)
          expectNothingStored(before, storedRows(pair.sp.database), {
            what: 'a re-spelled ID token',
            code: answer.code,
          })
        } finally {
          pair.backChannel.rewrite = undefined
        }
      })
      await fc.assert(property, fuzzParameters(30))
      reportTally('ID token re-encodings', tally)
      expect(tally.codes).toContain('JWT_BASE64URL_NON_CANONICAL')
    },
    fuzzTimeoutMs,
  )
})

/** A spelling, short enough for a failure message, never a whole token. */
function shortened(token: string): string {
  return token
    .split('.')
    .map((part) => `${part.slice(0, 4)}…${part.slice(-6)}`)
    .join('.')
}
