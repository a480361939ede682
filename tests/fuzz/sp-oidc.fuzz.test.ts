import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import { CodeTally, expectClearAnswer, send } from './answer.ts'
import { applyByteEdits, byteEdits } from './byte-edits.ts'
import { type FuzzPair, fuzzPair, startedSession } from './fuzz-pair.ts'
import { fuzzParameters, fuzzTimeoutMs, reportTally } from './fuzz-settings.ts'
import { applyJwtInput, type JsonEdit, jsonEdit, jwtInput } from './jwt-edits.ts'
import { guardProcess } from './process-guard.ts'
import { anyText, queryOf } from './requests.ts'
import { expectNothingStored, storedRows } from './stored-rows.ts'
import { oidcCallback } from './valid-messages.ts'

/** One callback parameter: the valid value, left out, mutated, random, or sent twice. */
const param = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'valid' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'twice' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edited' as const), edits: byteEdits }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), text: anyText }) },
)

type Param = typeof param extends fc.Arbitrary<infer T> ? T : never

function values(input: Param, valid: string | null): string[] {
  switch (input.kind) {
    case 'valid':
      return valid === null ? [] : [valid]
    case 'absent':
      return []
    case 'twice':
      return valid === null ? ['x', 'y'] : [valid, valid]
    case 'edited':
      return [applyByteEdits(valid ?? '', input.edits)]
    case 'random':
      return [input.text]
  }
}

const callbackParams = fc.record({
  code: param,
  state: param,
  iss: param,
  error: fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: 'absent' as const }) },
    { weight: 1, arbitrary: param },
  ),
  extra: fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 32 })), {
    maxLength: 2,
  }),
})

/**
 * What the fake provider does to one of its answers: the JSON changed member by member, its
 * bytes mutated, another status or content type, random text — or, for the token answer, the
 * ID token mutated (jwt-edits.ts, re-signed with the IdP key for the deep checks).
 */
const providerAnswer = fc.record({
  target: fc.constantFrom(
    '/oidc/token',
    '/oidc/userinfo',
    '/oidc/jwks',
    '/.well-known/openid-configuration',
  ),
  change: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('json' as const),
        edits: fc.array(jsonEdit, { minLength: 1, maxLength: 3 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('id_token' as const), token: jwtInput }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), edits: byteEdits }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), text: anyText }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('status' as const),
        status: fc.constantFrom(201, 204, 302, 400, 401, 404, 500, 503),
        contentType: fc.constantFrom('application/json', 'text/html', ''),
      }),
    },
  ),
})

type ProviderAnswer = typeof providerAnswer extends fc.Arbitrary<infer T> ? T : never

function editJson(text: string, edits: readonly JsonEdit[]): string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return text
  }
  const copy: Record<string, unknown> =
    typeof value === 'object' && value !== null ? { ...value } : {}
  for (const edit of edits) {
    if (edit.op === 'delete') delete copy[edit.name]
    else copy[edit.name] = edit.value
  }
  return JSON.stringify(copy)
}

describe('fuzz: the SP OIDC callback and what the provider answers it', () => {
  guardProcess()
  let pair: FuzzPair
  beforeAll(async () => {
    pair = await fuzzPair({ protocol: 'oidc' })
  })

  it(
    'answers mutated code/state/iss/error parameters with a stable 4xx code and stores nothing',
    async () => {
      const tally = new CodeTally()
      const property = fc.asyncProperty(callbackParams, async (input) => {
        const { agent, url } = await oidcCallback(pair)
        const get = (name: string) => url.searchParams.get(name)
        const query = queryOf([
          ...values(input.code, get('code')).map((v) => ['code', v] as const),
          ...values(input.state, get('state')).map((v) => ['state', v] as const),
          ...values(input.iss, get('iss')).map((v) => ['iss', v] as const),
          ...values(input.error, null).map((v) => ['error', v] as const),
          ...input.extra,
        ])
        const target = `${spUrl}/oidc/callback?${query}`
        const before = storedRows(pair.sp.database)
        const answer = await send(
          pair.sp.app.fetch,
          new Request(target, { headers: { cookie: await agent.jar.getCookieString(target) } }),
        )
        expectClearAnswer(answer, 'GET /oidc/callback')
        tally.add(answer)
        if (startedSession(pair, answer)) {
          // Only the provider's own code and state sign in.
          expect(new URL(target).searchParams.get('code')).toBe(get('code'))
          expect(new URL(target).searchParams.get('state')).toBe(get('state'))
          return
        }
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expectNothingStored(before, storedRows(pair.sp.database), {
          what: 'a refused callback',
          code: answer.code,
        })
      })
      await fc.assert(property, fuzzParameters(80))
      reportTally('OIDC callback', tally)
      expect(tally.codes).toEqual(
        expect.arrayContaining(['OIDC_STATE_MISMATCH', 'OIDC_TOKEN_REQUEST_FAILED', '303']),
      )
    },
    fuzzTimeoutMs,
  )

  it(
    'answers a sign-in against a provider whose discovery, token, userinfo or JWKS answer is mutated with a stable 4xx code and stores nothing',
    async () => {
      const tally = new CodeTally()
      const property = fc.asyncProperty(providerAnswer, async (fake) => {
        // Past every cache (discovery: an hour; JWKS: ten minutes), so each run fetches anew.
        pair.clock.advance(61 * 60_000)
        pair.backChannel.rewrite = (sent, real) =>
          new URL(sent.url).pathname === fake.target ? rewrite(fake, real) : real
        try {
          await signInThrough(fake)
        } finally {
          pair.backChannel.rewrite = undefined
        }
      })
      const signInThrough = async (fake: ProviderAnswer) => {
        const agent = pair.agent()
        const login = await send(pair.sp.app.fetch, new Request(`${spUrl}/login`))
        expectClearAnswer(login, 'GET /login')
        const authorize = login.headers.get('location')
        if (login.status !== 302 || !authorize?.startsWith(`${idpUrl}/`)) {
          tally.add(login)
          return
        }
        for (const cookie of login.headers.getSetCookie()) await agent.jar.setCookie(cookie, spUrl)
        pair.idp.queueLogin('alice')
        const back = (await send(pair.idp.app.fetch, new Request(authorize))).headers.get(
          'location',
        )
        expect(back, fake.target).toMatch(/^http:\/\/127\.0\.0\.1:7100\/oidc\/callback\?/)
        const before = storedRows(pair.sp.database)
        const answer = await send(
          pair.sp.app.fetch,
          new Request(back ?? '', { headers: { cookie: await agent.jar.getCookieString(spUrl) } }),
        )
        expectClearAnswer(answer, `GET /oidc/callback, ${fake.target} ${fake.change.kind}`)
        tally.add(answer)
        if (startedSession(pair, answer)) {
          await send(pair.sp.app.fetch, new Request(`${spUrl}/logout`, { method: 'POST' }))
          return
        }
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expectNothingStored(before, storedRows(pair.sp.database), {
          what: 'a refused sign-in',
          code: answer.code,
        })
      }
      await fc.assert(property, fuzzParameters(80))
      reportTally('OIDC provider answers', tally)
      expect(tally.codes).toEqual(
        expect.arrayContaining([
          'OIDC_TOKEN_REQUEST_FAILED',
          'OIDC_USERINFO_FAILED',
          'JWT_SIGNATURE_INVALID',
          'OIDC_DISCOVERY_FAILED',
        ]),
      )
    },
    fuzzTimeoutMs,
  )

  async function rewrite(fake: ProviderAnswer, real: Response): Promise<Response> {
    const text = await real.text()
    const json = { 'content-type': 'application/json' }
    const { change } = fake
    switch (change.kind) {
      case 'json':
        return new Response(editJson(text, change.edits), { status: real.status, headers: json })
      case 'id_token': {
        const body = JSON.parse(text) as Record<string, unknown>
        if (typeof body.id_token === 'string') {
          body.id_token = applyJwtInput(body.id_token, change.token, pair.keys.idp.privateKey)
        }
        return new Response(JSON.stringify(body), { status: real.status, headers: json })
      }
      case 'bytes':
        return new Response(applyByteEdits(text, change.edits), {
          status: real.status,
          headers: json,
        })
      case 'random':
        return new Response(change.text, { status: real.status, headers: json })
      case 'status':
        return new Response(text, {
          status: change.status,
          headers: change.contentType === '' ? {} : { 'content-type': change.contentType },
        })
    }
  }
})
