import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { signJwt } from '../../core/jwt/sign.ts'
import type { Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import type { PairOptions } from '../../harness/pair.ts'
import type { Idp } from '../../idp/create-idp.tsx'
import { idpRs256Signer } from '../fixtures/idp-keys.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'

type Rewrite = (path: string, body: Record<string, unknown>, idp: Idp) => Promise<unknown> | unknown

/**
 * The pair, with the SP's back channel to the IdP (discovery, token, userinfo, JWKS) going
 * through `rewrite`, which may change the IdP's JSON answers: an IdP that misbehaves.
 */
async function pairWith(rewrite?: Rewrite, overrides: Partial<PairOptions> = {}) {
  let idp: Idp | undefined
  const pair = await createInProcessPair({
    protocol: 'oidc',
    ...(rewrite
      ? {
          spFetch: async (input, init) => {
            const request = new Request(input, init)
            if (!idp) throw new TypeError('fetch failed')
            const answer = await idp.app.fetch(request)
            if (!answer.headers.get('content-type')?.includes('json')) return answer
            const body = (await answer.json()) as Record<string, unknown>
            const changed = await rewrite(new URL(request.url).pathname, body, idp)
            return Response.json(changed, { status: answer.status })
          },
        }
      : {}),
    ...overrides,
  })
  idp = pair.idp
  return pair
}

/** Starts a sign-in and stops at the IdP's login form, for a test to tamper with what follows. */
async function toLoginForm(agent: UserAgent) {
  return agent.navigate(`${spUrl}/login?return_url=/`)
}

async function finish(agent: UserAgent, form: Page) {
  return agent.submit(
    form,
    '#login-form',
    { username: 'alice' },
    { name: 'action', value: 'login' },
  )
}

async function expectRefused(page: Page, agent: UserAgent, code: string, log: string[]) {
  expect(page.document.querySelector('#error-code')?.text).toBe(code)
  expect(page.status).toBeGreaterThanOrEqual(400)
  expect(page.status).toBeLessThan(500)
  expect(JSON.parse((await agent.request(`${spUrl}/api/session`)).html)).toEqual({
    signedIn: false,
  })
  // No token of any kind on the page or in the log.
  expect(page.html).not.toMatch(/eyJ[\w-]{10,}\./)
  expect(log.join('\n')).not.toMatch(/eyJ[\w-]{10,}\./)
}

/** The callback URL the IdP sent the browser to, the request stopped there. */
async function callbackUrl(agent: UserAgent, form: Page): Promise<URL> {
  const answer = await agent.submitOnce(form, '#login-form', { username: 'alice', action: 'login' })
  return new URL(answer.headers.get('location') ?? '')
}

describe('the reference SP refuses OIDC answers that do not check out', () => {
  it('a state that differs → OIDC_STATE_MISMATCH', async () => {
    const { agent: newAgent, log } = await pairWith()
    const agent = newAgent()
    const back = await callbackUrl(agent, await toLoginForm(agent))
    back.searchParams.set('state', 'forged-state')
    await expectRefused(await agent.navigate(back.href), agent, 'OIDC_STATE_MISMATCH', log)
  })

  it('no state at all → OIDC_STATE_MISMATCH', async () => {
    const { agent: newAgent, log } = await pairWith()
    const agent = newAgent()
    const back = await callbackUrl(agent, await toLoginForm(agent))
    expect(back.searchParams.get('code')).toBeTruthy()
    back.searchParams.delete('state')
    await expectRefused(await agent.navigate(back.href), agent, 'OIDC_STATE_MISMATCH', log)
  })

  it('an answer in another browser (no pre-login cookie), or used twice → OIDC_STATE_MISMATCH', async () => {
    const { agent: newAgent, log } = await pairWith()
    const victim = newAgent()
    const attacker = newAgent()
    const back = await callbackUrl(attacker, await toLoginForm(attacker))
    await expectRefused(await victim.navigate(back.href), victim, 'OIDC_STATE_MISMATCH', log)

    const agent = newAgent()
    const own = await callbackUrl(agent, await toLoginForm(agent))
    expect((await agent.navigate(own.href)).url).toBe(`${spUrl}/`)
    await agent.jar.removeAllCookies()
    await expectRefused(await agent.navigate(own.href), agent, 'OIDC_STATE_MISMATCH', log)
  })

  it('an ID token for another nonce → OIDC_NONCE_MISMATCH', async () => {
    const { agent: newAgent, log } = await pairWith()
    const agent = newAgent()
    const form = await toLoginForm(agent)
    // Someone swapped the nonce on the way to the IdP: the ID token carries theirs.
    const tampered = new URL(form.url)
    tampered.searchParams.set('nonce', 'attacker-nonce')
    const page = await finish(agent, await agent.navigate(tampered.href))
    await expectRefused(page, agent, 'OIDC_NONCE_MISMATCH', log)
  })

  it('an iss parameter of another issuer → OIDC_ISSUER_MISMATCH', async () => {
    const { agent: newAgent, log } = await pairWith()
    const agent = newAgent()
    const back = await callbackUrl(agent, await toLoginForm(agent))
    back.searchParams.set('iss', 'https://evil.example')
    await expectRefused(await agent.navigate(back.href), agent, 'OIDC_ISSUER_MISMATCH', log)
  })

  it('no code → OIDC_CODE_MISSING', async () => {
    const { agent: newAgent, log } = await pairWith()
    const agent = newAgent()
    const back = await callbackUrl(agent, await toLoginForm(agent))
    back.searchParams.delete('code')
    await expectRefused(await agent.navigate(back.href), agent, 'OIDC_CODE_MISSING', log)
  })

  it('userinfo about another user → OIDC_USERINFO_SUB_MISMATCH', async () => {
    const { agent: newAgent, log } = await pairWith((path, body) =>
      path === '/oidc/userinfo' ? { ...body, sub: 'bob' } : body,
    )
    const agent = newAgent()
    await expectRefused(
      await finish(agent, await toLoginForm(agent)),
      agent,
      'OIDC_USERINFO_SUB_MISMATCH',
      log,
    )
  })

  it.each([
    ['no ID token', (body: Record<string, unknown>) => ({ ...body, id_token: undefined })],
    ['a MAC token', (body: Record<string, unknown>) => ({ ...body, token_type: 'mac' })],
    ['no access token', (body: Record<string, unknown>) => ({ ...body, access_token: '' })],
  ])('a token response with %s → OIDC_TOKEN_RESPONSE_INVALID', async (_, change) => {
    const { agent: newAgent, log } = await pairWith((path, body) =>
      path === '/oidc/token' ? change(body) : body,
    )
    const agent = newAgent()
    await expectRefused(
      await finish(agent, await toLoginForm(agent)),
      agent,
      'OIDC_TOKEN_RESPONSE_INVALID',
      log,
    )
  })

  it('OAuth2 mode, userinfo naming no user → OIDC_SUBJECT_MISSING', async () => {
    const { agent: newAgent, log } = await pairWith(
      (path, body) => {
        if (path !== '/oidc/userinfo') return body
        const { user_id: _, sub: __, ...rest } = body
        return rest
      },
      { oidc: { mode: 'oauth2' } },
    )
    const agent = newAgent()
    await expectRefused(
      await finish(agent, await toLoginForm(agent)),
      agent,
      'OIDC_SUBJECT_MISSING',
      log,
    )
  })

  it('a discovery document naming another issuer → OIDC_DISCOVERY_ISSUER_MISMATCH', async () => {
    const { agent: newAgent, log } = await pairWith((path, body) =>
      path === '/.well-known/openid-configuration' ? { ...body, issuer: `${idpUrl}/` } : body,
    )
    const agent = newAgent()
    await expectRefused(await toLoginForm(agent), agent, 'OIDC_DISCOVERY_ISSUER_MISMATCH', log)
  })

  it('an unreachable IdP → OIDC_DISCOVERY_FAILED', async () => {
    const { agent: newAgent, log } = await pairWith(undefined, {
      spFetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
      },
    })
    const agent = newAgent()
    const page = await toLoginForm(agent)
    await expectRefused(page, agent, 'OIDC_DISCOVERY_FAILED', log)
    expect(page.html).toContain('ECONNREFUSED')
  })

  it('an access token swapped under the ID token → OIDC_AT_HASH_MISMATCH', async () => {
    const { agent: newAgent, log } = await pairWith((path, body) =>
      path === '/oidc/token' ? { ...body, access_token: 'swapped-access-token' } : body,
    )
    const agent = newAgent()
    await expectRefused(
      await finish(agent, await toLoginForm(agent)),
      agent,
      'OIDC_AT_HASH_MISMATCH',
      log,
    )
  })

  it('a changed ID token → JWT_SIGNATURE_INVALID', async () => {
    const { agent: newAgent, log } = await pairWith((path, body) => {
      if (path !== '/oidc/token') return body
      const [header, , signature] = String(body.id_token).split('.')
      const claims = { ...decodeJwt(String(body.id_token)), sub: 'admin' }
      return {
        ...body,
        id_token: `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`,
      }
    })
    const agent = newAgent()
    await expectRefused(
      await finish(agent, await toLoginForm(agent)),
      agent,
      'JWT_SIGNATURE_INVALID',
      log,
    )
  })

  it.each([
    ['another audience', { aud: 'someone-else' }, 'JWT_AUDIENCE_MISMATCH'],
    ['another issuer', { iss: 'https://evil.example' }, 'JWT_ISSUER_MISMATCH'],
    ['an expired token', { iat: 1_893_499_000, exp: 1_893_499_100 }, 'JWT_EXPIRED'],
    ['no iat', { iat: undefined }, 'JWT_CLAIM_MISSING'],
    ['several audiences and no azp', { aud: [spUrl, 'https://api.example'] }, 'OIDC_AZP_MISMATCH'],
    ['another azp', { azp: 'someone-else' }, 'OIDC_AZP_MISMATCH'],
  ])('an ID token, signed by the IdP key, with %s → %s', async (_, change, code) => {
    const { agent: newAgent, log } = await pairWith(async (path, body, idp) => {
      if (path !== '/oidc/token') return body
      const claims = { ...decodeJwt(String(body.id_token)), ...change }
      return { ...body, id_token: await signJwt(claims, await idpRs256Signer(idp)) }
    })
    const agent = newAgent()
    await expectRefused(await finish(agent, await toLoginForm(agent)), agent, code, log)
  })

  it('a wrong client secret → OIDC_TOKEN_REQUEST_FAILED with the OAuth error', async () => {
    const { agent: newAgent, log } = await pairWith(undefined, {
      sp: { oidc: { clientSecret: 'not-the-secret', issuer: idpUrl, clientId: spUrl } },
    })
    const agent = newAgent()
    const page = await finish(agent, await toLoginForm(agent))
    await expectRefused(page, agent, 'OIDC_TOKEN_REQUEST_FAILED', log)
    expect(page.html).toContain('invalid_client')
    expect(page.html).not.toContain('not-the-secret')
  })
})
