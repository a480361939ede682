import { generateKeyPairSync } from 'node:crypto'
import { type JWTPayload, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { SsoError } from '../../core/errors/index.ts'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { expectationsOf, jwtStepOf, signInTokenSteps } from './token-steps.ts'
import { type TokenValidationSettings, verifySignInToken } from './validate-token.ts'

const now = Date.parse('2030-01-01T12:00:00Z')
const seconds = now / 1000
const issuer = 'https://idp.example'
const audience = 'https://sp.example'
const settings: TokenValidationSettings = {
  algorithms: ['RS256', 'ES256'],
  issuer,
  audience,
  clockSkewMs: 60_000,
  maxTokenBytes: 8192,
}

/**
 * One way to break a token, and the step that must refuse it. `touches` names what it changes,
 * so two faults that change the same claim (or the signer) are never combined.
 */
interface Fault {
  name: string
  step: string
  touches: string[]
  claims?: (claims: JWTPayload) => void
  signer?: 'hs256' | 'es256' | 'other'
  header?: Record<string, unknown>
  replayed?: boolean
}

const set = (name: string, value: unknown) => (claims: JWTPayload) => {
  claims[name] = value
}
const drop = (name: string) => (claims: JWTPayload) => {
  delete claims[name]
}

const faults: Fault[] = [
  {
    name: 'oversized',
    step: 'Size',
    touches: ['pad'],
    claims: set('pad', 'x'.repeat(9000)),
  },
  { name: 'alg off the list', step: 'alg', touches: ['signer'], signer: 'hs256' },
  {
    name: 'jwk in the header',
    step: 'Header keys',
    touches: ['jwk'],
    header: { jwk: { kty: 'oct' } },
  },
  { name: 'crit', step: 'crit', touches: ['crit'], header: { crit: ['exp-ext'], 'exp-ext': 1 } },
  { name: 'no key for ES256', step: 'Key', touches: ['signer'], signer: 'es256' },
  { name: 'signed by another key', step: 'Signature', touches: ['signer'], signer: 'other' },
  { name: 'no iat', step: 'Claims', touches: ['iat'], claims: drop('iat') },
  {
    name: 'bad iss',
    step: 'iss',
    touches: ['iss'],
    claims: set('iss', 'https://evil.example'),
  },
  {
    name: 'iss a number',
    step: 'iss',
    touches: ['iss'],
    claims: set('iss', 42),
  },
  {
    name: 'bad aud',
    step: 'aud',
    touches: ['aud'],
    claims: set('aud', 'https://other.example'),
  },
  {
    name: 'iat a string',
    step: 'iat type',
    touches: ['iat'],
    claims: set('iat', 'today'),
  },
  {
    name: 'not yet valid',
    step: 'nbf',
    touches: ['nbf'],
    claims: set('nbf', seconds + 3600),
  },
  { name: 'expired', step: 'exp', touches: ['exp'], claims: set('exp', seconds - 3600) },
  {
    name: 'jti a number',
    step: 'Claim types',
    touches: ['jti'],
    claims: set('jti', 7),
  },
  {
    name: 'aud naming the SP beside a number',
    step: 'Claim types',
    touches: ['aud', 'azp'],
    claims: (c) => {
      c.aud = [audience, 7] as never
      c.azp = audience
    },
  },
  {
    name: 'issued in the future',
    step: 'iat',
    touches: ['iat'],
    claims: set('iat', seconds + 3600),
  },
  {
    name: 'azp another party',
    step: 'azp',
    touches: ['azp'],
    claims: set('azp', 'https://else.example'),
  },
  { name: 'no subject', step: 'Subject', touches: ['sub'], claims: drop('sub') },
  { name: 'replayed', step: 'Replay', touches: ['replay'], replayed: true },
]

async function refusedAt(...applied: Fault[]): Promise<string | undefined> {
  const keys = await testCredentials()
  const es256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const claims: JWTPayload = {
    iss: issuer,
    aud: audience,
    sub: 'alice',
    jti: 'j-1',
    iat: seconds,
    exp: seconds + 300,
  }
  let header: Record<string, unknown> = {}
  let signer = 'idp'
  for (const fault of applied) {
    fault.claims?.(claims)
    header = { ...header, ...fault.header }
    signer = fault.signer ?? signer
  }
  const alg = signer === 'hs256' ? 'HS256' : signer === 'es256' ? 'ES256' : 'RS256'
  const key =
    signer === 'hs256'
      ? new TextEncoder().encode('s'.repeat(32))
      : signer === 'es256'
        ? es256.privateKey
        : signer === 'other'
          ? keys.other.privateKey
          : keys.idp.privateKey
  const token = await new SignJWT(claims)
    .setProtectedHeader({ ...header, alg })
    .sign(key, { crit: { 'exp-ext': true } })
  const replayed = applied.some((fault) => fault.replayed)
  try {
    await verifySignInToken(token, settings, {
      keys: { publicKeys: [keys.idp.publicKey] },
      now,
      replay: { has: () => replayed, add: () => undefined },
    })
    return 'accepted'
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    return jwtStepOf(error.toFinding(), expectationsOf(settings), claims as Record<string, unknown>)
  }
}

const order = signInTokenSteps.map((step) => step.check)

describe('the sign-in token steps', () => {
  it('name every step once, in verify.ts order', () => {
    expect(new Set(order).size).toBe(order.length)
    expect(order.indexOf('iss')).toBeLessThan(order.indexOf('nbf'))
    expect(order.indexOf('exp')).toBeLessThan(order.indexOf('iat'))
  })

  it('accept the unbroken token', async () => {
    expect(await refusedAt()).toBe('accepted')
  })

  it.each(faults.map((fault) => [fault.name, fault] as const))(
    'place a token broken one way (%s) at its step',
    async (_, fault) => {
      expect(await refusedAt(fault)).toBe(fault.step)
    },
  )

  it('place a token broken two ways at the earlier step, as verification really fails', async () => {
    const outcomes: string[] = []
    const expected: string[] = []
    for (const first of faults) {
      for (const second of faults) {
        if (order.indexOf(first.step) >= order.indexOf(second.step)) continue
        if (first.touches.some((name) => second.touches.includes(name))) continue
        const label = `${first.name} + ${second.name}`
        outcomes.push(`${label}: ${await refusedAt(second, first)}`)
        expected.push(`${label}: ${first.step}`)
      }
    }
    expect(outcomes.length).toBeGreaterThan(100)
    expect(outcomes).toEqual(expected)
  })

  it('place bad iss + expired at iss: jose compares iss before it reads exp', async () => {
    const [badIss, expired] = ['bad iss', 'expired'].map((name) =>
      faults.find((fault) => fault.name === name),
    ) as [Fault, Fault]
    expect(await refusedAt(expired, badIss)).toBe('iss')
  })
})
