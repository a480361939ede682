import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from '../../harness/http-driver/user-agent.ts'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import { formToken } from '../fixtures/visitor.ts'
import { type FuzzPair, fuzzPair } from './fuzz-pair.ts'
import { type Exchange, keySecrets, recordedPair, secretsOf } from './recorded-traffic.ts'

/**
 * House style rule 3: no token, assertion, password or key in an error page or a log line.
 * Sign-ins and refusals in every protocol run through the real IdP and SP with every exchange
 * recorded (browser and back channel); the secrets are read from that traffic and the keys and
 * settings, and no error answer (4xx/5xx) and no log line may contain one.
 */
function errorCode(exchange: Exchange): string {
  return (
    /id="error-code">([A-Z0-9_]+)</.exec(exchange.body)?.[1] ??
    /"error":"([a-z_]+)"/.exec(exchange.body)?.[1] ??
    (exchange.body.includes('id="login-error"') ? 'login form error' : String(exchange.status))
  )
}

/** Every secret absent from every error answer and log line; what was checked, for the caller. */
function expectNoSecretsShown(
  exchanges: readonly Exchange[],
  log: readonly string[],
  extra: Record<string, string[]>,
) {
  const secrets = secretsOf(exchanges)
  for (const [kind, values] of Object.entries(extra)) {
    for (const value of values) {
      if (!secrets.has(kind)) secrets.set(kind, new Set())
      secrets.get(kind)?.add(value)
    }
  }
  const shown = [
    ...exchanges
      .filter((exchange) => exchange.status >= 400)
      .map((exchange) => ({ where: `${exchange.status} ${exchange.url}`, text: exchange.body })),
    ...log.map((line) => ({ where: 'log', text: line })),
  ]
  const leaks: string[] = []
  for (const [kind, values] of secrets) {
    for (const value of values) {
      for (const { where, text } of shown) {
        if (text.includes(value)) leaks.push(`${kind} (${value.slice(0, 24)}…) in ${where}`)
      }
    }
  }
  expect(leaks).toEqual([])
  return {
    kinds: [...secrets.keys()],
    codes: exchanges.filter((exchange) => exchange.status >= 400).map(errorCode),
  }
}

function flipLast(value: string): string {
  const index = value.length - 5
  return `${value.slice(0, index)}${value[index] === 'A' ? 'B' : 'A'}${value.slice(index + 1)}`
}

function hidden(page: Page, name: string): string {
  return page.document.querySelector(`input[name="${name}"]`)?.getAttribute('value') ?? ''
}

describe('no secret in an error page, an error JSON or a log line', () => {
  let keys: FuzzPair['keys']
  beforeAll(async () => {
    keys = (await fuzzPair()).keys
  })

  it('SAML: a wrong password at the IdP, sign-in, forged, expired and replayed Responses, logout', async () => {
    const { pair, exchanges, agent } = await recordedPair()
    const browser = agent()
    // carol has a password: first a wrong one, then hers.
    const form = await browser.navigate(`${spUrl}/login`)
    const retry = await browser.submit(form, '#login-form', {
      username: 'carol',
      password: 'not-carols-password',
    })
    expect(retry.status).toBe(401)
    const home = await browser.submit(retry, '#login-form', {
      username: 'carol',
      password: 'carol-secret',
    })
    expect(home.url).toBe(`${spUrl}/`)

    // Responses captured at the IdP's form, then delivered changed.
    const deliver = async (change: (value: string) => string) => {
      const other = agent()
      pair.idp.queueLogin('alice')
      const toIdp = await other.request(`${spUrl}/login`)
      const post = await other.request(toIdp.headers.get('location') ?? '', { from: spUrl })
      const value = hidden(post, 'SAMLResponse')
      const relayState = hidden(post, 'RelayState')
      const send = (samlResponse: string) =>
        other.request(`${spUrl}/saml/acs`, {
          method: 'POST',
          form: { SAMLResponse: samlResponse, RelayState: relayState },
          from: `${idpUrl}/`,
        })
      return { send, value, changed: change(value) }
    }
    const forged = await deliver((value) => {
      const xml = Buffer.from(value, 'base64').toString('utf8')
      return Buffer.from(xml.replace('alice', 'admin')).toString('base64')
    })
    expect((await forged.send(forged.changed)).status).toBe(403)
    const expired = await deliver((value) => value)
    pair.clock.advance(2 * 3_600_000)
    expect((await expired.send(expired.value)).status).toBe(403)
    const replayed = await deliver((value) => value)
    expect((await replayed.send(replayed.value)).status).toBe(303)
    expect((await replayed.send(replayed.value)).status).toBe(403)
    // Single logout, and a LogoutRequest with a broken signature.
    await browser.navigate(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(browser) },
      from: `${spUrl}/`,
    })
    const signedIn = agent()
    pair.idp.queueLogin('alice')
    await signedIn.navigate(`${spUrl}/login`)
    const logout = await signedIn.request(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(signedIn) },
      from: spUrl,
    })
    const request = new URL(logout.headers.get('location') ?? '')
    request.searchParams.set('Signature', flipLast(request.searchParams.get('Signature') ?? ''))
    expect((await signedIn.navigate(request.href)).status).toBe(403)

    const checked = expectNoSecretsShown(exchanges, pair.log, {
      password: ['carol-secret', 'not-carols-password'],
      'private key': [...keySecrets(keys.idp.privateKeyPem), ...keySecrets(keys.sp.privateKeyPem)],
    })
    expect(checked.kinds).toEqual(
      expect.arrayContaining([
        'SAMLResponse',
        'Assertion XML',
        'SignatureValue',
        'SAMLRequest',
        'Signature',
        'cookie',
        'password',
        'private key',
      ]),
    )
    expect(checked.codes).toEqual(
      expect.arrayContaining([
        'IDP_LOGIN_FAILED',
        'SAML_SIGNATURE_INVALID',
        'SAML_EXPIRED',
        'SAML_REPLAY',
        'SAML_LOGOUT_SIGNATURE_INVALID',
      ]),
    )
  })

  it('SAML artifact: sign-in, then the spent artifact again', async () => {
    const { pair, exchanges, agent } = await recordedPair({
      spRegistration: { responseBinding: 'artifact' },
    })
    const browser = agent()
    pair.idp.queueLogin('alice')
    await browser.navigate(`${spUrl}/login`)
    const acs = browser.history.find((visit) => visit.url.includes('SAMLart='))
    expect(acs).toBeDefined()
    expect((await agent().navigate(acs?.url ?? '')).status).toBe(403)
    const checked = expectNoSecretsShown(exchanges, pair.log, {
      'private key': [...keySecrets(keys.idp.privateKeyPem), ...keySecrets(keys.sp.privateKeyPem)],
    })
    expect(checked.kinds).toEqual(expect.arrayContaining(['SAMLart', 'Assertion XML']))
    expect(checked.codes).toContain('SAML_ARTIFACT_NOT_RESOLVED')
  })

  it('JWT: sign-in, a bad signature, a replayed token, logout', async () => {
    const { pair, exchanges, agent } = await recordedPair({ protocol: 'jwt' })
    const browser = agent()
    pair.idp.queueLogin('alice')
    const home = await browser.navigate(`${spUrl}/login`)
    expect(home.url).toBe(`${spUrl}/`)
    const callback = browser.history.find((visit) => visit.url.includes('token='))?.url ?? ''
    const token = new URL(callback).searchParams.get('token') ?? ''
    const other = agent()
    const forged = `${spUrl}/jwt/callback?token=${flipLast(token)}`
    expect((await other.navigate(forged)).status).toBe(403)
    expect((await other.navigate(callback)).status).toBe(403)
    await browser.navigate(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(browser) },
      from: `${spUrl}/`,
    })
    const checked = expectNoSecretsShown(exchanges, pair.log, {
      'private key': keySecrets(keys.idp.privateKeyPem),
    })
    expect(checked.kinds).toEqual(expect.arrayContaining(['token', 'JWT segment', 'cookie']))
    expect(checked.codes).toEqual(expect.arrayContaining(['JWT_SIGNATURE_INVALID', 'JWT_REPLAY']))
  })

  it('OIDC: sign-in, a bad state, a changed code, a forged ID token, logout', async () => {
    const { pair, exchanges, agent } = await recordedPair({ protocol: 'oidc' })
    const browser = agent()
    pair.idp.queueLogin('alice')
    expect((await browser.navigate(`${spUrl}/login`)).url).toBe(`${spUrl}/`)
    const redirectTo = async (change: (url: URL) => void) => {
      const other = agent()
      pair.idp.queueLogin('alice')
      const toIdp = await other.request(`${spUrl}/login`)
      const back = await other.request(toIdp.headers.get('location') ?? '', { from: spUrl })
      const url = new URL(back.headers.get('location') ?? '')
      change(url)
      return other.navigate(url.href, { from: `${idpUrl}/` })
    }
    expect((await redirectTo((url) => url.searchParams.set('state', 'forged'))).status).toBe(403)
    const code = (url: URL) => url.searchParams.set('code', `${url.searchParams.get('code')}x`)
    expect((await redirectTo(code)).status).toBe(403)
    const rewrite = pair.backChannel.rewrite
    pair.backChannel.rewrite = async (sent, answer) => {
      const recorded = await rewrite?.(sent, answer)
      if (!recorded || !sent.url.endsWith('/oidc/token')) return recorded ?? answer
      const json = (await recorded.json()) as Record<string, string>
      return Response.json({ ...json, id_token: flipLast(json.id_token ?? '') })
    }
    expect((await redirectTo(() => {})).status).toBe(403)
    pair.backChannel.rewrite = rewrite
    await browser.navigate(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(browser) },
      from: `${spUrl}/`,
    })
    const checked = expectNoSecretsShown(exchanges, pair.log, {
      'private key': keySecrets(keys.idp.privateKeyPem),
      client_secret: [pair.sp.config.oidc?.clientSecret ?? 'missing'],
    })
    expect(checked.kinds).toEqual(
      expect.arrayContaining([
        'code',
        'id_token',
        'access_token',
        'refresh_token',
        'id_token_hint',
        'client_secret',
        'code_verifier',
        'cookie',
      ]),
    )
    expect(checked.codes).toEqual(
      expect.arrayContaining([
        'OIDC_STATE_MISMATCH',
        'OIDC_TOKEN_REQUEST_FAILED',
        'invalid_grant',
        'JWT_SIGNATURE_INVALID',
      ]),
    )
  })
})
