import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSp, startSpCommand } from '../../cli/sp.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { type LoopbackPair, startLoopbackPair } from '../../tests/fixtures/loopback-pair.ts'
import { signIn } from '../../tests/fixtures/visitor.ts'
import type { SignInAttempt } from './attempt.ts'
import { jwtCallbackSteps } from './token-steps.ts'

// `ssoproof sp --jwt-key` against the mock IdP's JWT token SSO: remote login, ?token= back.
let idp: LoopbackPair
let running: RunningSp
let data: string

beforeAll(async () => {
  idp = await startLoopbackPair()
  data = await mkdtemp(join(tmpdir(), 'ssoproof-sp-jwt-'))
  const { urls, issuer, credential } = idp.pair.idp.config
  const key = join(data, 'idp.pem')
  await writeFile(key, credential.certificatePem)
  running = await startSpCommand({
    values: {
      'jwt-key': key,
      'jwt-login-url': urls.jwtLogin,
      'jwt-issuer': issuer,
      'jwt-audience': 'http://127.0.0.1:1/wrong-audience',
      port: '0',
      data,
    },
    log: () => {},
  })
  idp.pair.idp.jwtServiceProviders.register({
    id: running.url,
    returnUrls: [`${running.url}/`],
    algorithm: 'RS256',
  })
})

afterAll(async () => {
  await running?.close()
  await idp?.close()
  if (data) await rm(data, { recursive: true, force: true })
})

describe('ssoproof sp --jwt-key', () => {
  it('prints the return URL and places a refused token at its aud check', async () => {
    expect(running.banner).toContain(`return URL    ${running.url}/jwt/callback`)
    const agent = new UserAgent()
    const page = await signIn(agent, 'alice', { base: running.url })
    expect(page.url).toMatch(new RegExp(`^${running.url}/diagnostics/[\\w-]+$`))
    const attempt = JSON.parse((await agent.request(`${page.url}.json`)).html) as SignInAttempt
    expect(attempt.binding).toBe('JWT (redirect with ?token=)')
    expect(attempt.verdict).toBe('rejected')
    expect(attempt.failure?.code).toBe('JWT_AUDIENCE_MISMATCH')
    const outcomes = Object.fromEntries(attempt.checks.map((check) => [check.check, check.outcome]))
    const order = jwtCallbackSteps.map((step) => step.check)
    const at = order.indexOf('aud')
    for (const check of order.slice(0, at)) {
      expect(['pass', 'not-checked'], check).toContain(outcomes[check])
    }
    expect(outcomes.aud).toBe('fail')
    for (const check of order.slice(at + 1)) expect(outcomes[check], check).toBe('not-reached')
    const aud = attempt.checks.find((check) => check.check === 'aud')
    expect(aud?.details).toEqual({
      received: running.url,
      expected: 'http://127.0.0.1:1/wrong-audience',
    })
    expect(attempt.checks.find((check) => check.check === 'alg')?.details.alg).toBe('RS256')
    expect(outcomes.Certificate).toBe('pass')
    const token = attempt.messages.find((message) => message.source === 'token')
    expect(token?.text).toContain('[signature redacted]')
    expect(JSON.stringify(attempt)).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/)
  })

  it('marks iss and aud "not checked", not passed, when the SP expects no issuer or audience', async () => {
    const bare = await startSpCommand({
      values: {
        'jwt-key': join(data, 'idp.pem'),
        'jwt-login-url': idp.pair.idp.config.urls.jwtLogin,
        port: '0',
        data,
      },
      log: () => {},
    })
    try {
      idp.pair.idp.jwtServiceProviders.register({
        id: bare.url,
        returnUrls: [`${bare.url}/`],
        algorithm: 'RS256',
      })
      const agent = new UserAgent()
      const page = await signIn(agent, 'alice', { base: bare.url })
      const attempt = JSON.parse((await agent.request(`${page.url}.json`)).html) as SignInAttempt
      expect(attempt.verdict).toBe('accepted')
      const byName = new Map(attempt.checks.map((check) => [check.check, check]))
      for (const name of ['iss', 'aud', 'azp']) {
        expect(byName.get(name)?.outcome, name).toBe('not-checked')
      }
      expect(byName.get('iss')?.notChecked).toBe('no issuer configured')
      expect(byName.get('Signature')?.outcome).toBe('pass')
    } finally {
      await bare.close()
    }
  })

  it('shows a look-alike sub escaped (dave\\u3000), refused at Subject with IDENTIFIER_LOOK_ALIKE', async () => {
    const bare = await startSpCommand({
      values: {
        'jwt-key': join(data, 'idp.pem'),
        'jwt-login-url': idp.pair.idp.config.urls.jwtLogin,
        port: '0',
        data,
      },
      log: () => {},
    })
    try {
      idp.pair.idp.jwtServiceProviders.register({
        id: bare.url,
        returnUrls: [`${bare.url}/`],
        algorithm: 'RS256',
      })
      idp.pair.idp.faults.add({
        kind: 'jwt-subject-look-alike',
        variant: 'ideographic-space',
        user: 'dave',
        remaining: 1,
      })
      const agent = new UserAgent()
      const page = await signIn(agent, 'dave', { base: bare.url })
      expect(page.document.querySelector('#error-code')?.text).toBe('IDENTIFIER_LOOK_ALIKE')
      // Escaped where a person reads it, the raw character nowhere on the page.
      expect(page.html).toContain('dave\\u3000')
      expect(page.html).not.toContain('dave\u3000')
      const attempt = JSON.parse((await agent.request(`${page.url}.json`)).html) as SignInAttempt
      const subject = attempt.checks.find((check) => check.check === 'Subject')
      expect(subject?.outcome).toBe('fail')
      expect(subject?.details).toEqual({ sub: 'dave\\u3000', id: 'dave\\u3000' })
      expect(subject?.failure?.evidence.value).toBe('dave\\u3000')
    } finally {
      await bare.close()
    }
  })
})
