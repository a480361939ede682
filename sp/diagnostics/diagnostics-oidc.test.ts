import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSp, startSpCommand } from '../../cli/sp.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import type { SignInAttempt } from './attempt.ts'
import { createThirdPartyProvider } from './third-party-provider.ts'
import { oidcCallbackSteps } from './token-steps.ts'

// `ssoproof sp` against a third-party OpenID provider (panva's oidc-provider) on a loopback
// port: discovery, its own login and consent pages, code flow with PKCE, ID token, userinfo.
let server: Server
let running: RunningSp
let data: string
let providerErrors: unknown[] = []
const clientSecret = 'a-client-secret-for-the-diagnostics-test'

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'ssoproof-sp-oidc-'))
  let handler: ((req: never, res: never) => void) | undefined
  server = createServer((req, res) => handler?.(req as never, res as never))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // The SP's port is needed for the client's redirect URI: start the SP first, on port 0.
  running = await startSpCommand({
    values: {
      'oidc-issuer': issuer,
      'client-id': 'ssoproof-sp',
      'client-secret': clientSecret,
      port: '0',
      data,
    },
    log: () => {},
  })
  const provider = createThirdPartyProvider(issuer, {
    clientId: 'ssoproof-sp',
    clientSecret,
    redirectUri: running.sp.config.urls.oidcCallback,
  })
  providerErrors = provider.errors
  handler = provider.handle as never
})

afterAll(async () => {
  await running?.close()
  if (server) {
    server.closeAllConnections()
    await new Promise((done) => server.close(done))
  }
  if (data) await rm(data, { recursive: true, force: true })
})

describe('ssoproof sp --oidc-issuer against oidc-provider', () => {
  it('prints the redirect URI to register', () => {
    expect(running.banner).toContain(`redirect URI  ${running.url}/oidc/callback`)
  })

  it('signs in through the provider login and consent pages and lists every check', async () => {
    const agent = new UserAgent()
    const login = await agent.navigate(`${running.url}/login`)
    expect(login.document.querySelector('input[name="login"]')).not.toBeNull()
    const consent = await agent.submit(login, 'form', { login: 'olivia', password: 'any' })
    expect(consent.document.querySelector('input[name="prompt"]')?.getAttribute('value')).toBe(
      'consent',
    )
    const page = await agent.submit(consent, 'form')
    expect(page.url).toMatch(new RegExp(`^${running.url}/diagnostics/[\\w-]+$`))
    expect(page.document.querySelector('#verdict')?.getAttribute('data-verdict')).toBe('accepted')

    const attempt = JSON.parse((await agent.request(`${page.url}.json`)).html) as SignInAttempt
    expect(attempt.verdict).toBe('accepted')
    expect(attempt.binding).toBe('OIDC authorization code flow')
    const byName = Object.fromEntries(attempt.checks.map((check) => [check.check, check]))
    for (const step of oidcCallbackSteps) expect(byName[step.check]).toBeDefined()
    for (const name of [
      'state',
      'code',
      'token request',
      'ID token alg',
      'ID token signature',
      'ID token iss',
      'ID token aud',
      'ID token exp',
      'ID token iat',
      'nonce',
      'userinfo',
      'userinfo sub',
      'subject',
      'Sign-in',
    ]) {
      expect(byName[name]?.outcome, name).toBe('pass')
    }
    // oidc-provider answers with iss (RFC 9207); it puts no at_hash in a code-flow ID token.
    expect(byName['iss (authorization response)']?.outcome).toBe('pass')
    expect(byName['ID token alg']?.details.alg).toBe('RS256')
    expect(byName['ID token iss']?.details).toEqual({
      received: running.sp.config.oidc?.issuer,
      expected: running.sp.config.oidc?.issuer,
    })
    expect(byName['ID token aud']?.details.expected).toBe('ssoproof-sp')
    expect(byName['userinfo sub']?.details).toEqual({
      'ID token sub': 'olivia',
      'userinfo sub': 'olivia',
    })
    expect(byName['Clock offset']?.outcome).toBe('pass')
    expect(byName['Data mapping']?.details['email → email']).toBe('present')
    expect(attempt.identity?.['external ID / NameID']).toBe('olivia')
    // The ID token is shown decoded, never whole; no code or access token appears.
    const idToken = attempt.messages.find((message) => message.source === 'id_token')
    expect(idToken?.text).toContain('[signature redacted]')
    expect(JSON.stringify(attempt)).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/)
    expect(providerErrors).toEqual([])
  })
})
