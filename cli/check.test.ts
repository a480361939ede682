import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UnsecuredJWT } from 'jose'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createManualClock } from '../core/clock/index.ts'
import { signJwt } from '../core/jwt/sign.ts'
import { createInProcessPair, idpUrl, spUrl } from '../tests/fixtures/in-process.ts'
import { runCheck } from './check.ts'
import { type CheckIo, processIo } from './check-input.ts'
import type { CheckSummary } from './check-report.ts'
import { runCli } from './test-support.ts'

const at = '2030-01-01T12:00:00Z'
const dir = mkdtempSync(join(tmpdir(), 'ssoproof-check-'))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** Runs `ssoproof check` in-process; stdout is captured, stdin and fetch are the test's. */
async function check(args: string[], options: { stdin?: string; fetch?: typeof fetch } = {}) {
  let stdout = ''
  const io: CheckIo = {
    ...processIo,
    stdout: (text) => {
      stdout += text
    },
    readStdin: async () => options.stdin ?? '',
    clock: createManualClock(at),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }
  const code = await runCheck(args, io)
  return { code, stdout, json: () => JSON.parse(stdout) as CheckSummary }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('ssoproof check saml', () => {
  let response: { xml: string; base64: string; requestId: string }
  let idpCert: string
  let samlArgs: (input: string, ...extra: string[]) => string[]

  beforeAll(async () => {
    // A real sign-in at the built-in IdP (SP-initiated, so the Response answers a request).
    const pair = await createInProcessPair()
    const agent = pair.agent()
    const loginPage = await agent.navigate(`${spUrl}/login`)
    const form = await agent.submitOnce(loginPage, '#login-form', {
      username: 'alice',
      action: 'login',
    })
    const base64 =
      form.document.querySelector('input[name=SAMLResponse]')?.getAttribute('value') ?? ''
    const xml = Buffer.from(base64, 'base64').toString('utf8')
    const requestId = /InResponseTo="([^"]+)"/.exec(xml)?.[1] ?? ''
    response = { xml, base64, requestId }
    idpCert = file('idp.pem', pair.keys.idp.certificatePem)
    samlArgs = (input, ...extra) => [
      'saml',
      input,
      '--idp-cert',
      idpCert,
      '--idp-entity-id',
      `${idpUrl}/saml/metadata`,
      '--sp-entity-id',
      `${spUrl}/saml/metadata`,
      '--acs',
      `${spUrl}/saml/acs`,
      '--at',
      at,
      ...extra,
    ]
  })

  it('accepts the IdP’s Response as posted (base64), listing every check and who signed in', async () => {
    const { code, stdout } = await check(samlArgs(file('response.b64', response.base64)))
    expect(code).toBe(0)
    expect(stdout).toMatch(/^ssoproof check saml: ACCEPTED\n/)
    expect(stdout).toContain('input: base64')
    for (const name of [
      'Message',
      'Signature (Response)',
      'Subject',
      'Conditions',
      'Replay (Assertion)',
    ]) {
      expect(stdout).toMatch(
        new RegExp(`\\n {2}(pass|not checked) +${name.replace(/[()]/g, '\\$&')} `),
      )
    }
    expect(stdout).toMatch(
      /not checked +InResponseTo +no AuthnRequest to bind to; the Response answers "/,
    )
    expect(stdout).toMatch(/NameID +alice\n/)
    expect(stdout).toMatch(/email +alice@example\.com/)
    // No secret: the signature value never reaches the output.
    const signatureValue = /<ds:SignatureValue>([^<]{20})/.exec(response.xml)?.[1] ?? 'none'
    expect(stdout).not.toContain(signatureValue)
  })

  it('reads raw XML, a SAMLResponse form body, and standard input', async () => {
    expect((await check(samlArgs(file('response.xml', response.xml)))).stdout).toContain(
      'input: XML',
    )
    const form = `SAMLResponse=${encodeURIComponent(response.base64)}&RelayState=%2F`
    const fromForm = await check(samlArgs(file('form.txt', form)))
    expect(fromForm.code).toBe(0)
    expect(fromForm.stdout).toContain('input: SAMLResponse field')
    const fromStdin = await check(samlArgs('-'), { stdin: `${response.base64}\n` })
    expect(fromStdin.code).toBe(0)
  })

  it('checks InResponseTo against --in-response-to: the right ID passes, another fails', async () => {
    const input = file('response.b64', response.base64)
    const answered = await check(
      samlArgs(input, '--in-response-to', response.requestId, '--format', 'json'),
    )
    expect(answered.code).toBe(0)
    expect(answered.json().checks.at(-1)).toMatchObject({ check: 'InResponseTo', outcome: 'pass' })

    const other = await check(samlArgs(input, '--in-response-to', '_another-request'))
    expect(other.code).toBe(1)
    expect(other.stdout).toMatch(/FAIL +InResponseTo +SAML_IN_RESPONSE_TO_UNKNOWN/)
  })

  it('rejects a Response changed after signing with the signature code (exit 1)', async () => {
    const tampered = response.xml.replace('alice@example.com', 'mallory@example.com')
    const { code, stdout } = await check(samlArgs(file('tampered.xml', tampered)))
    expect(code).toBe(1)
    expect(stdout).toMatch(/^ssoproof check saml: REJECTED: SAML_SIGNATURE_INVALID at DigestValue/)
    expect(stdout).toMatch(/FAIL +Signature \(Response\) +SAML_SIGNATURE_INVALID/)
    expect(stdout).toMatch(/hint: The signature does not verify/)
    expect(stdout).toMatch(/not reached +Assertion\n/)
    expect(stdout).not.toContain('Identity')
  })

  it('rejects a Response that has expired at --at with the time-window code', async () => {
    const { code, json } = await check(
      samlArgs(
        file('response.b64', response.base64),
        '--at',
        '2030-01-01T13:00:00Z',
        '--format',
        'json',
      ),
    )
    expect(code).toBe(1)
    expect(json().failure).toMatchObject({
      code: 'SAML_EXPIRED',
      check: 'SubjectConfirmationData NotOnOrAfter',
    })
  })

  it('refuses an IdP certificate past its notAfter, unless --ignore-cert-validity (then a warning)', async () => {
    // The test IdP certificate is valid for ten years from 2029-12-31.
    const late = ['--at', '2045-01-01T00:00:00Z', '--format', 'json']
    const input = file('response.b64', response.base64)
    const refused = (await check(samlArgs(input, ...late))).json()
    expect(refused.failure?.code).toBe('SAML_IDP_CERTIFICATE_EXPIRED')
    const ignored = (await check(samlArgs(input, ...late, '--ignore-cert-validity'))).json()
    expect(ignored.warnings.map((warning) => warning.code)).toContain(
      'SAML_IDP_CERTIFICATE_EXPIRED',
    )
    // The certificate passes with a warning; the 2030 Response itself has long expired.
    expect(ignored.failure?.code).toBe('SAML_EXPIRED')
  })

  it('prints JSON of a fixed shape', async () => {
    const { json } = await check(
      samlArgs(file('response.b64', response.base64), '--format', 'json'),
    )
    const summary = json()
    expect(Object.keys(summary)).toEqual([
      'kind',
      'verdict',
      'at',
      'input',
      'checks',
      'failure',
      'warnings',
      'identity',
      'attributes',
    ])
    expect(summary).toMatchObject({
      kind: 'saml',
      verdict: 'accepted',
      at: '2030-01-01T12:00:00.000Z',
      failure: null,
      identity: { NameID: 'alice', Issuer: `${idpUrl}/saml/metadata` },
    })
    expect(summary.checks.map((report) => report.check)).toEqual([
      'Message',
      'Response',
      'Destination',
      'Issuer (Response)',
      'Replay (Response)',
      'Pending request',
      'Status',
      'Signature (Response)',
      'Assertion',
      'Issuer (Assertion)',
      'Signature (Assertion)',
      'Subject',
      'Conditions',
      'IssueInstant',
      'AuthnStatement',
      'AuthnContext',
      'Replay (Assertion)',
      'InResponseTo',
    ])
    expect(summary.attributes?.email).toEqual(['alice@example.com'])
  })

  it('refuses a 2014 RSA-SHA1 response by default and accepts it with the allowances, warning', async () => {
    const corpus = new URL('../../shared/corpus/python3-saml/', import.meta.url)
    const args = [
      'saml',
      new URL('valid_response.xml.base64', corpus).pathname,
      '--idp-cert',
      new URL('idp-cert-settings1.pem', corpus).pathname,
      '--idp-entity-id',
      'http://idp.example.com/',
      '--sp-entity-id',
      'http://stuff.com/endpoints/metadata.php',
      '--acs',
      'https://pitbulk.no-ip.org/newonelogin/demo1/index.php?acs',
      '--at',
      '2014-02-19T01:39:01Z',
      '--format',
      'json',
    ]
    const refused = await check(args)
    expect([refused.code, refused.json().failure?.code]).toEqual([1, 'SAML_SIGNATURE_SHA1'])
    const allowed = await check([...args, '--legacy-crypto', '--ignore-cert-validity'])
    expect(allowed.code).toBe(0)
    expect(new Set(allowed.json().warnings.map((warning) => warning.code))).toEqual(
      new Set([
        'SAML_SIGNATURE_SHA1',
        'SAML_DIGEST_SHA1',
        'SAML_SIGNING_KEY_TOO_SHORT',
        'SAML_IDP_CERTIFICATE_EXPIRED',
      ]),
    )
  })

  it('reports input that is neither XML nor base64 at the Message check', async () => {
    const { code, json } = await check(
      samlArgs(file('junk.txt', 'not *base64*'), '--format', 'json'),
    )
    expect(code).toBe(1)
    const summary = json()
    expect(summary.checks[0]).toMatchObject({ check: 'Message', outcome: 'fail' })
    expect(summary.failure?.code).toBe('SAML_BINDING_INVALID')
    expect(summary.checks.slice(1).every((report) => report.outcome === 'not-reached')).toBe(true)
  })
})

describe('ssoproof check jwt', () => {
  let token: string
  let keyFile: string
  let jwksFile: string
  let es256: { token: string; fetch: typeof fetch }
  const jwtArgs = (input: string, ...extra: string[]) => [
    'jwt',
    input,
    '--iss',
    idpUrl,
    '--aud',
    spUrl,
    '--at',
    at,
    ...extra,
  ]

  async function signInAndTakeToken(pair: Awaited<ReturnType<typeof createInProcessPair>>) {
    const agent = pair.agent()
    const form = await agent.navigate(`${spUrl}/login`)
    await agent.submit(
      form,
      '#login-form',
      { username: 'alice' },
      { name: 'action', value: 'login' },
    )
    const callback = agent.history.find((entry) => entry.url.startsWith(`${spUrl}/jwt/callback?`))
    return new URL(callback?.url ?? 'http://x/').searchParams.get('token') ?? ''
  }

  beforeAll(async () => {
    const pair = await createInProcessPair({ protocol: 'jwt' })
    token = await signInAndTakeToken(pair)
    keyFile = file('idp-jwt.pem', pair.keys.idp.certificatePem)
    const es = await createInProcessPair({ protocol: 'jwt', jwt: { algorithm: 'ES256' } })
    const jwks = await (await es.idp.app.fetch(new Request(`${idpUrl}/jwt/jwks.json`))).text()
    jwksFile = file('jwks.json', jwks)
    es256 = {
      token: await signInAndTakeToken(es),
      fetch: async (input, init) => es.idp.app.fetch(new Request(input, init)),
    }
  })

  it('accepts the built-in IdP’s RS256 token with --key, printing header and claims, never the signature', async () => {
    const { code, stdout } = await check(jwtArgs(token, '--key', keyFile))
    expect(code).toBe(0)
    expect(stdout).toMatch(/^ssoproof check jwt: ACCEPTED\n/)
    expect(stdout).toMatch(/pass +Signature +verifies with that key/)
    expect(stdout).toMatch(/not checked +Replay/)
    expect(stdout).toMatch(/Subject +alice\n/)
    expect(stdout).toContain('"alg":"RS256"')
    expect(stdout).toContain('"sub":"alice"')
    const [, , signature] = token.split('.')
    expect(stdout).not.toContain(signature)
    expect(stdout).not.toContain(token)
  })

  it('accepts an ES256 token with --jwks FILE and with --jwks URL', async () => {
    expect((await check(jwtArgs(es256.token, '--jwks', jwksFile, '--alg', 'ES256'))).code).toBe(0)
    const fromUrl = await check(
      jwtArgs(es256.token, '--jwks', `${idpUrl}/jwt/jwks.json`, '--alg', 'ES256'),
      { fetch: es256.fetch },
    )
    expect(fromUrl.code).toBe(0)
  })

  it('fails at the Key check when the JWKS URL answers 500', async () => {
    const down: typeof fetch = async () => new Response('down', { status: 500 })
    const { code, json } = await check(
      jwtArgs(
        es256.token,
        '--jwks',
        `${idpUrl}/jwt/jwks.json`,
        '--alg',
        'ES256',
        '--format',
        'json',
      ),
      { fetch: down },
    )
    expect(code).toBe(1)
    expect(json().checks.find((report) => report.outcome === 'fail')).toMatchObject({
      check: 'Key',
      failure: { code: 'JWT_JWKS_UNAVAILABLE' },
    })
  })

  it('accepts an HS256 token with --secret', async () => {
    const secret = 'a-shared-secret-of-at-least-32-bytes!'
    const now = Date.parse(at) / 1000
    const hs256 = await signJwt(
      { iss: idpUrl, aud: spUrl, sub: 'bob', iat: now, exp: now + 300 },
      { alg: 'HS256', key: new TextEncoder().encode(secret) },
    )
    const { code, stdout } = await check(jwtArgs(hs256, '--secret', secret))
    expect(code).toBe(0)
    expect(stdout).not.toContain(secret)
  })

  it('reads the token from a file, and from standard input', async () => {
    expect((await check(jwtArgs(file('token.txt', `${token}\n`), '--key', keyFile))).code).toBe(0)
    expect((await check(jwtArgs('-', '--key', keyFile), { stdin: `Bearer ${token}` })).code).toBe(0)
  })

  it.each([
    ['wrong aud', ['--aud', 'https://other.example'], 'JWT_AUDIENCE_MISMATCH', 'aud'],
    ['expired', ['--at', '2030-01-01T13:00:00Z'], 'JWT_EXPIRED', 'exp'],
    ['an unexpected alg', ['--alg', 'ES256'], 'JWT_ALGORITHM_FORBIDDEN', 'alg'],
  ])('rejects the token for %s', async (_, extra, failureCode, step) => {
    const { code, json } = await check([
      ...jwtArgs(token, '--key', keyFile),
      ...extra,
      '--format',
      'json',
    ])
    expect(code).toBe(1)
    const summary = json()
    expect(summary.failure?.code).toBe(failureCode)
    const failed = summary.checks.findIndex((report) => report.outcome === 'fail')
    expect(summary.checks[failed]?.check).toBe(step)
    expect(summary.checks.slice(0, failed).every((report) => report.outcome === 'pass')).toBe(true)
    expect(
      summary.checks.slice(failed + 1).every((report) => report.outcome === 'not-reached'),
    ).toBe(true)
    expect(summary.token?.claims).toMatchObject({ sub: 'alice' })
    expect(summary.identity).toBeNull()
  })

  it('rejects alg none at the alg check', async () => {
    const now = Date.parse(at) / 1000
    const none = new UnsecuredJWT({ iss: idpUrl, aud: spUrl, sub: 'alice', exp: now + 60 }).encode()
    const { code, stdout } = await check(jwtArgs(none, '--key', keyFile))
    expect(code).toBe(1)
    expect(stdout).toMatch(/FAIL +alg +JWT_ALGORITHM_FORBIDDEN/)
  })

  it('prints JSON of a fixed shape', async () => {
    const summary = (await check(jwtArgs(token, '--key', keyFile, '--format', 'json'))).json()
    expect(Object.keys(summary)).toEqual([
      'kind',
      'verdict',
      'at',
      'input',
      'checks',
      'failure',
      'warnings',
      'identity',
      'attributes',
      'token',
    ])
    expect(summary).toMatchObject({
      kind: 'jwt',
      verdict: 'accepted',
      input: 'compact JWS',
      identity: { Subject: 'alice', Issuer: idpUrl, alg: 'RS256' },
      token: { header: { alg: 'RS256' }, claims: { iss: idpUrl, aud: spUrl } },
    })
    expect(summary.attributes?.email).toEqual(['alice@example.com'])
  })
})

describe('ssoproof check: usage', () => {
  const viaMain = (args: string[]) => runCli(['check', ...args])

  it('--help prints the usage of both forms and exits 0', async () => {
    const { code, stdout } = await viaMain(['--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('ssoproof check saml <FILE|->')
    expect(stdout).toContain('ssoproof check jwt <TOKEN|FILE|->')
  })

  it.each([
    [[], 'say what to check'],
    [['xml', 'f'], 'cannot check "xml"'],
    [['saml'], 'give the Response'],
    [['saml', 'f', '--idp-entity-id', 'x'], '--idp-cert is required'],
    [['saml', 'f', '--iss', 'x'], '--iss does not apply to check saml'],
    [['jwt', 'a.b.c', '--iss', 'i', '--aud', 'a'], 'give exactly one of --key'],
    [['jwt', 'a.b.c', '--iss', 'i', '--aud', 'a', '--secret', 'short'], 'at least 32'],
    [
      ['jwt', 'a.b.c', '--iss', 'i', '--aud', 'a', '--secret', 'x'.repeat(32), '--alg', 'RS256'],
      'HS256, HS384 or HS512 only',
    ],
    [
      ['jwt', 'a.b.c', '--iss', 'i', '--aud', 'a', '--key', 'k.pem', '--alg', 'none'],
      '"none" is not one',
    ],
    [['jwt', 'a.b.c', '--aud', 'a', '--key', 'k.pem'], '--iss is required'],
    [
      ['jwt', 'no-such-file', '--iss', 'i', '--aud', 'a', '--secret', 'x'.repeat(32)],
      'neither a compact JWS',
    ],
    [['saml', 'f', '--at', 'yesterday'], '--at must be an ISO 8601 instant'],
    [['saml', 'f', '--format', 'yaml'], '--format must be text or json'],
    [['saml', 'f', '--bogus'], 'unknown option "--bogus"'],
  ])('%j exits 2: %s', async (args, message) => {
    const { code, stderr } = await viaMain(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  })

  it('a missing input file is a usage error, naming the file', async () => {
    const certificate = readFileSync(
      new URL('../../shared/corpus/python3-saml/idp-cert-settings2.pem', import.meta.url),
      'utf8',
    )
    const { code, stderr } = await viaMain([
      'saml',
      join(dir, 'absent.xml'),
      '--idp-cert',
      file('cert.pem', certificate),
      '--idp-entity-id',
      'i',
      '--sp-entity-id',
      's',
      '--acs',
      'https://sp.example/acs',
    ])
    expect(code).toBe(2)
    expect(stderr).toContain('cannot read the input file')
  })
})
