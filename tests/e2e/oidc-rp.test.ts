import { describe, expect, it } from 'vitest'
import { currentKid } from '../fixtures/idp-keys.ts'
import { spUrl } from '../fixtures/in-process.ts'
import { formToken } from '../fixtures/visitor.ts'
import {
  clearCookies,
  expectAccepted,
  expectRefused,
  pairWithFaults,
  sessionOf,
} from './faults-support.ts'

const oidc = { protocol: 'oidc' } as const

describe('the reference SP as an OpenID Connect RP', () => {
  it.each([
    ['ES256', 'ES256'],
    ['HS256 (the client secret)', 'HS256'],
  ] as const)(
    'takes %s ID tokens when discovery lists the algorithm and none is configured',
    async (_, alg) => {
      const pair = await pairWithFaults([], {
        ...oidc,
        oidc: { idTokenSignedResponseAlg: alg },
        sp: { oidc: { idTokenAlgorithms: undefined } as never },
      })
      expect(pair.sp.config.oidc?.idTokenAlgorithms).toBeUndefined()
      // Only discovery names this algorithm: accepting the token proves the SP took it from there.
      await expectAccepted(pair, pair.agent())
    },
  )

  it('refuses an ID token algorithm the client did not configure (the pair registers RS256)', async () => {
    const pair = await pairWithFaults([], {
      ...oidc,
      oidc: { idTokenSignedResponseAlg: 'ES256' },
      sp: { oidc: { idTokenAlgorithms: ['RS256'] } as never },
    })
    await expectRefused(pair, pair.agent(), 'JWT_ALGORITHM_FORBIDDEN')
  })

  it.each([
    ['another iss', { kind: 'oidc-authorization-iss' as const }, 'OIDC_ISSUER_MISMATCH'],
    [
      'no iss from a provider that advertises it',
      { kind: 'oidc-authorization-iss' as const, answer: 'missing' as const },
      'OIDC_ISSUER_MISSING',
    ],
  ])('refuses an authorization response with %s (RFC 9207)', async (_, fault, code) => {
    const pair = await pairWithFaults([fault], oidc)
    await expectRefused(pair, pair.agent(), code)
  })

  it('takes an answer without iss from a provider it does not discover', async () => {
    const pair = await pairWithFaults([{ kind: 'oidc-authorization-iss', answer: 'missing' }], {
      ...oidc,
      oidc: { discovery: false },
    })
    await expectAccepted(pair, pair.agent())
  })

  it('verifies signed userinfo, and requireSignedUserinfo refuses plain JSON', async () => {
    const signed = await pairWithFaults([], {
      ...oidc,
      oidc: { userinfoSignedResponseAlg: 'RS256' },
      sp: { oidc: { requireSignedUserinfo: true } as never },
    })
    const agent = signed.agent()
    await expectAccepted(signed, agent)
    const json = await pairWithFaults([], {
      ...oidc,
      sp: { oidc: { requireSignedUserinfo: true } as never },
    })
    await expectRefused(json, json.agent(), 'OIDC_USERINFO_UNSIGNED')
  })

  it.each([
    ['aggregated', 'idp', ['alice@example.com']],
    ['distributed', 'idp', ['alice@example.com']],
    ['aggregated', 'none', undefined],
    ['distributed', 'untrusted', undefined],
  ] as const)(
    '%s claims signed by %s: resolved when the provider signed them, else dropped with a warning',
    async (delivery, signature, email) => {
      const pair = await pairWithFaults(
        [{ kind: 'oidc-claim-sources', delivery, signature, claims: ['email'] }],
        oidc,
      )
      const agent = pair.agent()
      await expectAccepted(pair, agent)
      const session = (await sessionOf(agent)) as {
        subject?: { attributes: Record<string, string[]> }
      }
      expect(session.subject?.attributes.email).toEqual(email)
      expect(session.subject?.attributes).not.toHaveProperty('_claim_names')
      expect(session.subject?.attributes).not.toHaveProperty('_claim_sources')
      const warned = pair.log.some((line) => line.includes('OIDC_CLAIM_SOURCE_INVALID'))
      expect(warned).toBe(email === undefined)
    },
  )

  it('refreshes: a new ID token for the same subject keeps the session', async () => {
    const pair = await pairWithFaults([], oidc)
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    const page = await agent.navigate(`${spUrl}/oidc/refresh?return_url=/account`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: `${spUrl}/`,
    })
    expect(page.url).toBe(`${spUrl}/account`)
    expect((await sessionOf(agent)).signedIn).toBe(true)
    const journal = pair.idp.journal.list({ sp: spUrl, message: 'OidcToken' })
    expect(journal.map((entry) => 'grantType' in entry && entry.grantType)).toEqual([
      'authorization_code',
      'refresh_token',
    ])
    const again = await agent.navigate(`${spUrl}/oidc/refresh`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: `${spUrl}/`,
    })
    expect(again.document.querySelector('#error-code')).toBeNull()
  })

  it.each([
    ['sub', 'OIDC_REFRESH_SUBJECT_CHANGED'],
    ['iss', 'JWT_ISSUER_MISMATCH'],
    ['aud', 'JWT_AUDIENCE_MISMATCH'],
  ] as const)(
    'a refreshed ID token with another %s is refused and ends the session',
    async (claim, code) => {
      const pair = await pairWithFaults([{ kind: 'oidc-refresh-claim', claim }], oidc)
      const agent = pair.agent()
      await expectAccepted(pair, agent)
      const page = await agent.navigate(`${spUrl}/oidc/refresh`, {
        method: 'POST',
        form: { form_token: await formToken(agent) },
        from: `${spUrl}/`,
      })
      expect(page.document.querySelector('#error-code')?.text).toBe(code)
      expect(page.status).toBe(403)
      expect(await sessionOf(agent)).toEqual({ signedIn: false })
    },
  )

  it('a refresh token the provider no longer honours (14 days on) → OIDC_REFRESH_FAILED', async () => {
    const pair = await pairWithFaults([], oidc)
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    // The visitor stays active (the SP session slides) while the refresh token runs out.
    for (let day = 0; day < 15; day++) {
      pair.clock.advance('24h')
      expect((await sessionOf(agent)).signedIn).toBe(true)
    }
    const page = await agent.navigate(`${spUrl}/oidc/refresh`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: `${spUrl}/`,
    })
    expect(page.document.querySelector('#error-code')?.text).toBe('OIDC_REFRESH_FAILED')
  })

  it('refresh needs a session', async () => {
    const pair = await pairWithFaults([], oidc)
    const agent = pair.agent()
    const page = await agent.navigate(`${spUrl}/oidc/refresh`, {
      method: 'POST',
      form: { form_token: await formToken(agent) },
      from: `${spUrl}/`,
    })
    expect(page.document.querySelector('#error-code')?.text).toBe('SP_SESSION_REQUIRED')
  })

  it('response_mode=form_post: the code comes back by POST and the sign-in completes', async () => {
    const pair = await pairWithFaults([], {
      ...oidc,
      sp: { oidc: { responseMode: 'form_post' } as never },
    })
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    expect(
      agent.history.some(
        (entry) => entry.method === 'POST' && entry.url === `${spUrl}/oidc/callback`,
      ),
    ).toBe(true)
    expect(agent.history.some((entry) => entry.url.startsWith(`${spUrl}/oidc/callback?`))).toBe(
      false,
    )
  })
})

describe('third-party-initiated login at the SP (GET /oidc/initiate-login)', () => {
  it('from the IdP: iss, login_hint and target_link_uri lead to an ordinary sign-in that lands on the target', async () => {
    const pair = await pairWithFaults([], oidc)
    const agent = pair.agent()
    const start = `http://127.0.0.1:7000/oidc/initiate-login?${new URLSearchParams({
      client_id: spUrl,
      login_hint: 'bob',
      target_link_uri: `${spUrl}/orders?id=7`,
    })}`
    const form = await agent.navigate(start)
    expect(form.document.querySelector('input[name="username"]')?.getAttribute('value')).toBe('bob')
    const page = await agent.submit(
      form,
      '#login-form',
      { username: 'bob' },
      { name: 'action', value: 'login' },
    )
    expect(page.url).toBe(`${spUrl}/orders?id=7`)
    expect((await sessionOf(agent)).subject?.nameId).toBe('bob')
  })

  it.each([
    [{ target_link_uri: '/x' }, 'OIDC_ISSUER_MISSING'],
    [{ iss: 'https://other-idp.example' }, 'OIDC_ISSUER_MISMATCH'],
    [
      { iss: 'http://127.0.0.1:7000', target_link_uri: 'https://evil.example/' },
      'SP_RETURN_URL_REJECTED',
    ],
    [
      { iss: 'http://127.0.0.1:7000', target_link_uri: `${spUrl}/..//evil.example/` },
      'SP_RETURN_URL_REJECTED',
    ],
    [{ iss: 'http://127.0.0.1:7000', target_link_uri: '/relative' }, 'SP_RETURN_URL_REJECTED'],
  ])('refuses %o', async (params, code) => {
    const pair = await pairWithFaults([], oidc)
    const page = await pair
      .agent()
      .navigate(`${spUrl}/oidc/initiate-login?${new URLSearchParams(params)}`)
    expect(page.document.querySelector('#error-code')?.text).toBe(code)
  })
})

describe('key rotation at the provider (OIDF rp-key-rotation-op-sign-key)', () => {
  it('a key rotated between two sign-ins seconds apart is fetched at once', async () => {
    const pair = await pairWithFaults([], oidc)
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    await clearCookies(agent)
    await pair.idp.keys.rotate('RS256')
    pair.clock.advance('5s')
    await expectAccepted(pair, agent)
  })

  it('a staged rotation is already in the cached key set when it starts signing; an unstaged one within the cooldown is not', async () => {
    const pair = await pairWithFaults(
      [{ kind: 'jwt-key-rotation', when: 'staged', remaining: 2 }],
      oidc,
    )
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    const first = await currentKid(pair.idp, 'RS256')
    await clearCookies(agent)
    pair.clock.advance('1s')
    await expectAccepted(pair, agent)
    expect(await currentKid(pair.idp, 'RS256')).not.toBe(first)
    await clearCookies(agent)
    pair.clock.advance('1s')
    pair.idp.faults.add({ kind: 'jwt-key-rotation', when: 'before-signing', remaining: 1 })
    await expectRefused(pair, agent, 'JWT_KEY_UNKNOWN')
  })
})
