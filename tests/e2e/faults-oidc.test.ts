import { describe, expect, it } from 'vitest'
import { lookAlikeVariants } from '../../idp/faults/look-alike.ts'
import type { FaultInput } from '../../idp/faults/schema.ts'
import type { SpOidcSettings } from '../../sp/oidc/settings.ts'
import { spUrl } from '../fixtures/in-process.ts'
import { clearCookies, expectAccepted, expectRefused, pairWithFaults } from './faults-support.ts'

const oidc = { protocol: 'oidc' } as const

/** Fault → the code the reference SP's /oidc/callback (or /login) refuses it with. */
const refused: [string, FaultInput, string][] = [
  ['alg: none', { kind: 'jwt-alg-none' }, 'JWT_ALGORITHM_FORBIDDEN'],
  // Catalogue 33: refused at the ID token, before userinfo is asked.
  ...(Object.keys(lookAlikeVariants) as (keyof typeof lookAlikeVariants)[]).map(
    (variant): [string, FaultInput, string] => [
      `a sub imitating carol (${variant})`,
      { kind: 'jwt-subject-look-alike', variant, of: 'carol' },
      'IDENTIFIER_LOOK_ALIKE',
    ],
  ),
  // Catalogue 34.
  [
    'the signature re-spelled (unused bits)',
    { kind: 'jwt-reencoded' },
    'JWT_BASE64URL_NON_CANONICAL',
  ],
  [
    'the header padded',
    { kind: 'jwt-reencoded', part: 'header', spelling: 'padding' },
    'JWT_BASE64URL_NON_CANONICAL',
  ],
  [
    'HS256 keyed with the RSA public key',
    { kind: 'jwt-hs256-public-key' },
    'JWT_ALGORITHM_FORBIDDEN',
  ],
  ['a jwk header', { kind: 'jwt-header-key', header: 'jwk' }, 'JWT_HEADER_KEY_FORBIDDEN'],
  ['a jku header', { kind: 'jwt-header-key', header: 'jku' }, 'JWT_HEADER_KEY_FORBIDDEN'],
  ['an x5c header', { kind: 'jwt-header-key', header: 'x5c' }, 'JWT_HEADER_KEY_FORBIDDEN'],
  ['an x5u header', { kind: 'jwt-header-key', header: 'x5u' }, 'JWT_HEADER_KEY_FORBIDDEN'],
  ['an unknown kid', { kind: 'jwt-kid-unknown' }, 'JWT_KEY_UNKNOWN'],
  [
    'the signing key retired right after signing',
    { kind: 'jwt-key-rotation', when: 'after-signing' },
    'JWT_KEY_UNKNOWN',
  ],
  ['a path-traversal kid', { kind: 'jwt-kid-unknown', value: '../../dev/null' }, 'JWT_KEY_UNKNOWN'],
  ['an SQL-injection kid', { kind: 'jwt-kid-unknown', value: "' OR '1'='1" }, 'JWT_KEY_UNKNOWN'],
  ['ES256 r = s = 0', { kind: 'jwt-psychic-signature' }, 'JWT_ALGORITHM_FORBIDDEN'],
  ['exp as a string', { kind: 'jwt-claim-type', claim: 'exp' }, 'JWT_CLAIM_INVALID'],
  ['iat as a string', { kind: 'jwt-claim-type', claim: 'iat' }, 'JWT_CLAIM_INVALID'],
  ['sub as a number', { kind: 'jwt-claim-type', claim: 'sub' }, 'JWT_CLAIM_INVALID'],
  ['aud as an object', { kind: 'jwt-claim-type', claim: 'aud' }, 'JWT_CLAIM_INVALID'],
  ['iss as an array', { kind: 'jwt-claim-type', claim: 'iss' }, 'JWT_CLAIM_INVALID'],
  ['a JSON array payload', { kind: 'jwt-payload-not-object', payload: 'array' }, 'JWT_MALFORMED'],
  ['a JSON string payload', { kind: 'jwt-payload-not-object', payload: 'string' }, 'JWT_MALFORMED'],
  [
    'an iss with the real one as its prefix',
    { kind: 'jwt-issuer-variant', variant: 'prefix' },
    'JWT_ISSUER_MISMATCH',
  ],
  [
    'an iss ending in the real one',
    { kind: 'jwt-issuer-variant', variant: 'suffix' },
    'JWT_ISSUER_MISMATCH',
  ],
  [
    'an iss with a trailing slash',
    { kind: 'jwt-issuer-variant', variant: 'trailing-slash' },
    'JWT_ISSUER_MISMATCH',
  ],
  ['a crit extension', { kind: 'jwt-crit' }, 'JWT_CRIT_UNSUPPORTED'],
  ['b64: false (RFC 7797)', { kind: 'jwt-b64-false' }, 'JWT_CRIT_UNSUPPORTED'],
  ['an ID token over the 16 KiB cap', { kind: 'jwt-oversized' }, 'JWT_TOO_LARGE'],
  ['exp 10 min past', { kind: 'jwt-expired' }, 'JWT_EXPIRED'],
  ['nbf 10 min ahead', { kind: 'jwt-not-yet-valid' }, 'JWT_NOT_YET_VALID'],
  ['iat 10 min ahead', { kind: 'jwt-issued-in-future' }, 'JWT_ISSUED_IN_FUTURE'],
  ['no iat', { kind: 'jwt-claim-missing', claim: 'iat' }, 'JWT_CLAIM_MISSING'],
  ['no sub', { kind: 'jwt-claim-missing', claim: 'sub' }, 'JWT_CLAIM_MISSING'],
  ['no exp', { kind: 'jwt-claim-missing', claim: 'exp' }, 'JWT_CLAIM_MISSING'],
  ['no iss', { kind: 'jwt-claim-missing', claim: 'iss' }, 'JWT_CLAIM_MISSING'],
  ['no aud', { kind: 'jwt-claim-missing', claim: 'aud' }, 'JWT_CLAIM_MISSING'],
  ['no nonce', { kind: 'jwt-claim-missing', claim: 'nonce' }, 'OIDC_NONCE_MISMATCH'],
  ['another iss', { kind: 'jwt-wrong-claim', claim: 'iss' }, 'JWT_ISSUER_MISMATCH'],
  [
    'the iss with a trailing slash',
    { kind: 'jwt-wrong-claim', claim: 'iss', value: 'http://127.0.0.1:7000/' },
    'JWT_ISSUER_MISMATCH',
  ],
  ['another aud', { kind: 'jwt-wrong-claim', claim: 'aud' }, 'JWT_AUDIENCE_MISMATCH'],
  ['another nonce', { kind: 'jwt-wrong-claim', claim: 'nonce' }, 'OIDC_NONCE_MISMATCH'],
  ['a wrong at_hash', { kind: 'jwt-wrong-claim', claim: 'at_hash' }, 'OIDC_AT_HASH_MISMATCH'],
  ['two audiences, no azp', { kind: 'jwt-audiences-without-azp' }, 'OIDC_AZP_MISMATCH'],
  ['userinfo about another sub', { kind: 'oidc-userinfo-sub' }, 'OIDC_USERINFO_SUB_MISMATCH'],
  [
    'a discovery document naming another issuer',
    { kind: 'oidc-discovery-issuer' },
    'OIDC_DISCOVERY_ISSUER_MISMATCH',
  ],
  ['the JWKS answers 500', { kind: 'jwks', answer: 'error' }, 'JWT_JWKS_UNAVAILABLE'],
  ['the JWKS answers 503', { kind: 'jwks', answer: 'error', status: 503 }, 'JWT_JWKS_UNAVAILABLE'],
  ['the JWKS is not JSON', { kind: 'jwks', answer: 'malformed' }, 'JWT_JWKS_UNAVAILABLE'],
]

describe('OIDC faults: the reference SP refuses each with its own code, signed out, nothing stored', () => {
  it.each(refused)('%s: %o → %s', async (_title, fault, code) => {
    const pair = await pairWithFaults([fault], oidc)
    await expectRefused(pair, pair.agent(), code)
  })

  it('the JWKS answers after the SP gave up → JWT_JWKS_UNAVAILABLE', async () => {
    // The SP's budget (for discovery and token requests too) is far from both ends: a loaded
    // machine answers those in seconds, the slow JWKS in a minute. Refused before that minute
    // is the proof the SP gave up rather than waited.
    const pair = await pairWithFaults([{ kind: 'jwks', answer: 'slow', delayMs: 60_000 }], {
      ...oidc,
      sp: { oidc: { httpTimeoutMs: 8_000 } as SpOidcSettings },
    })
    const started = performance.now()
    await expectRefused(pair, pair.agent(), 'JWT_JWKS_UNAVAILABLE')
    expect(performance.now() - started).toBeLessThan(55_000)
  }, 120_000)
})

describe('OIDC replays', () => {
  it('jwt-replay: the ID token of the previous sign-in (another nonce) → OIDC_NONCE_MISMATCH', async () => {
    const pair = await pairWithFaults([{ kind: 'jwt-replay' }], oidc)
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    await clearCookies(agent)
    await expectRefused(pair, agent, 'OIDC_NONCE_MISMATCH', 'bob')
    expect(pair.idp.faults.list()).toMatchObject([{ kind: 'jwt-replay' }])
  })

  it('jwt-replay with nothing issued yet changes nothing: accepted, the fault stays', async () => {
    const pair = await pairWithFaults([{ kind: 'jwt-replay', remaining: 1 }], oidc)
    await expectAccepted(pair, pair.agent())
    expect(pair.idp.faults.list()).toMatchObject([{ kind: 'jwt-replay', remaining: 1 }])
  })
})

describe('valid OIDC counterparts: what the SP must still accept', () => {
  it.each([
    ['exp 30 s past', { kind: 'jwt-expired', by: '30s' }],
    ['iat and exp 30 s ahead', { kind: 'jwt-issued-in-future', by: '30s' }],
    ['nbf 30 s ahead', { kind: 'jwt-not-yet-valid', by: '30s' }],
    ['no kid, one RS256 key in the JWKS', { kind: 'jwt-kid-missing' }],
    ['userinfo about another user, for another client', { kind: 'oidc-userinfo-sub', sp: 'other' }],
  ] as [string, FaultInput][])('%s', async (_title, fault) => {
    const pair = await pairWithFaults([fault], oidc)
    await expectAccepted(pair, pair.agent())
  })

  it('a key rotated in seconds after the SP cached the JWKS is fetched at once (OIDF key rotation)', async () => {
    const pair = await pairWithFaults([], oidc)
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    await clearCookies(agent)
    pair.clock.advance('5s')
    pair.idp.faults.add({ kind: 'jwt-key-rotation', when: 'before-signing', remaining: 1 })
    await expectAccepted(pair, agent)
  })

  it.each([
    ['jwks', { kind: 'jwks', answer: 'error', remaining: 1 }, 'JWT_JWKS_UNAVAILABLE'],
    [
      'discovery',
      { kind: 'oidc-discovery-issuer', remaining: 1 },
      'OIDC_DISCOVERY_ISSUER_MISMATCH',
    ],
  ] as [string, FaultInput, string][])(
    'a one-shot %s fault: refused once, then accepted',
    async (_name, fault, code) => {
      const pair = await pairWithFaults([fault], oidc)
      const agent = pair.agent()
      await expectRefused(pair, agent, code)
      await clearCookies(agent)
      await expectAccepted(pair, agent)
    },
  )

  it('journals the authorization, token and userinfo requests, without code, verifier or secret', async () => {
    const pair = await pairWithFaults([], oidc)
    await expectAccepted(pair, pair.agent())
    const journal = pair.idp.journal.list({ sp: spUrl })
    expect(journal).toMatchObject([
      {
        message: 'OidcAuthorize',
        redirectUri: `${spUrl}/oidc/callback`,
        scopes: ['openid', 'profile', 'email', 'phone', 'membership'],
        state: true,
        nonce: true,
        codeChallengeMethod: 'S256',
        responseMode: 'query',
        error: null,
      },
      {
        message: 'OidcToken',
        grantType: 'authorization_code',
        clientAuthentication: 'client_secret_basic',
        codeVerifier: true,
        redirectUri: `${spUrl}/oidc/callback`,
      },
      { message: 'OidcUserinfo', accessToken: 'header', answer: 'json' },
    ])
    const secret = pair.idp.oidcClients.get(spUrl)?.clientSecret ?? ''
    expect(secret).not.toBe('')
    expect(JSON.stringify(journal)).not.toContain(secret)
  })
})
