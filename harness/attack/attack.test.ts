import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../cli/test-support.ts'
import { createCredential, loadOrCreateCredential } from '../../core/keys/index.ts'
import type { RunReport } from '../../reports/model.ts'
import { createSp } from '../../sp/create-sp.tsx'
import { planAttack } from './plan.ts'
import { createVulnerableSp } from './vulnerable-sp.ts'

const execFileAsync = promisify(execFile)

// A run over the whole catalogue sends one sign-in per case (60 and more for SAML): about a
// second each on a busy machine, so such a test may take 10 minutes (600_000), not one.

type Handler = (request: Request) => Response | Promise<Response>

const open: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()))
})

/** Serves a handler on a loopback port; the handler may be set after the URL is known. */
async function loopback(handler?: Handler) {
  let current = handler
  const server = serve({
    fetch: (request) => current?.(request) ?? new Response('not ready', { status: 503 }),
    port: 0,
    hostname: '127.0.0.1',
  }) as Server
  await once(server, 'listening')
  open.push(
    () =>
      new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      }),
  )
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const use = (next: Handler) => {
    current = next
  }
  return { url, serve: use }
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise<void>((done) => server.close(() => done()))
  return port
}

/** Runs `ssoproof attack` in this process, capturing what it prints. */
const attack = (args: string[]) => runCli(['attack', ...args])

/** A data folder with the IdP key, and where the attack IdP will listen. */
async function attackSetup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ssoproof-attack-'))
  const credential = await loadOrCreateCredential(dataDir, 'idp-signing', {
    commonName: 'ssoproof mock IdP',
  })
  const port = await freePort()
  const idpUrl = `http://127.0.0.1:${port}`
  const outDir = join(dataDir, 'reports')
  const args = ['--idp-port', String(port), '--data', dataDir, '--out', outDir]
  const report = () => JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunReport
  return { credential, idpUrl, args, report, dataDir }
}

/** Ids of the results the SP accepted, by how the case was tagged. */
function acceptedIds(report: RunReport, tag?: string): string[] {
  return report.scenarios
    .filter((result) => tag === undefined || result.tags.includes(tag))
    .filter((result) => !result.tags.includes('not-exercised'))
    .filter((result) =>
      result.steps.some((step) => step.kind === 'expect' && step.actual?.startsWith('accepted')),
    )
    .map((result) => result.id)
    .sort()
}

/** `ssoproof attack` at a fresh vulnerable SP (vulnerable-sp.ts), IdP-initiated to its ACS. */
async function attackVulnerableSp(options: { followRelayState?: boolean; args?: string[] } = {}) {
  const setup = await attackSetup()
  const sp = await loopback()
  const acsUrl = `${sp.url}/acs`
  const idpEntityId = `${setup.idpUrl}/saml/metadata`
  const followRelayState = options.followRelayState ?? false
  sp.serve(createVulnerableSp({ acsUrl, idpEntityId, followRelayState }).fetch)
  const audience = 'https://vulnerable.example/sp'
  const run = await attack([
    '--acs',
    acsUrl,
    '--audience',
    audience,
    ...(options.args ?? []),
    ...setup.args,
  ])
  return { setup, acsUrl, run }
}

describe('ssoproof attack against a deliberately vulnerable SAML SP', () => {
  it('flags exactly its two weaknesses over the whole catalogue: KeyInfo trusted, Audience ignored', async () => {
    const { setup, acsUrl, run } = await attackVulnerableSp()

    expect(run.stderr).toBe('')
    // Both are bypasses: a message nobody with the IdP's key vouched for, one meant for another SP.
    expect(run.code).toBe(4)
    const report = setup.report()
    // Every case of the catalogue for IdP-initiated SAML POST was sent and answered.
    const planned = planAttack('saml-post', { spInitiated: false }).cases.map((c) => c.id)
    expect(planned.length).toBeGreaterThan(50)
    expect(report.scenarios.map((result) => result.id)).toEqual(expect.arrayContaining(planned))
    expect(report.scenarios.filter((result) => result.tags.includes('not-exercised'))).toEqual([])
    // What the two weaknesses let through, and nothing else:
    //   - untrusted-key: the attacker signs with their own key and puts their certificate in
    //     KeyInfo, which this SP takes as the IdP's (weakness 1).
    //   - wrong-audience: the Assertion is for another SP; this SP takes the Audience it finds
    //     as its own entity ID (weakness 2).
    // Not let through, though they touch the same things:
    //   - idp-certificate-expired / -not-yet-valid: the KeyInfo certificate is the trusted one
    //     now, and checkResponse checks a trusted certificate's dates, so they are refused.
    //   - tampered, XSW, signature-value, transform, c14n, reference, retrieval-method,
    //     DSA/HMAC/short-key cases: the key is believed, but the signature must still verify
    //     over exactly the one Assertion with an allowed algorithm and a 2048-bit key.
    //   - unsigned-*: no signature, no KeyInfo to believe; signed assertions are still wanted.
    //   - everything about time, Issuer, Destination, Recipient, Status, NameID, DOCTYPE and
    //     size: the reference SP's checks, unchanged.
    expect(acceptedIds(report, 'forged')).toEqual([
      'forged-saml-untrusted-key',
      'forged-saml-wrong-audience',
    ])
    // The valid counterparts are accepted as the reference SP accepts them.
    expect(acceptedIds(report)).toEqual(
      expect.arrayContaining([
        'baseline-valid-sign-in',
        'saml-clock-skew-within-tolerance',
        'saml-issue-instant-in-past-accepted',
      ]),
    )
    expect(
      report.scenarios
        .filter((result) => result.status === 'failed')
        .map((r) => r.id)
        .sort(),
    ).toEqual(acceptedIds(report, 'forged'))
    // The findings first, gravest first, then the rest in the order they ran.
    expect(report.scenarios.slice(0, 3).map((result) => result.id)).toEqual([
      'forged-saml-wrong-audience',
      'forged-saml-untrusted-key',
      'baseline-valid-sign-in',
    ])
    expect(report.summary.findings).toEqual({ bypass: 2, hardening: 0, info: 0 })
    expect(
      report.scenarios.find((result) => result.id === 'forged-saml-expired')?.attack?.severity,
    ).toBe('hardening')
    const audience = report.scenarios.find((result) => result.id === 'forged-saml-wrong-audience')
    expect(audience?.tags).toEqual(
      expect.arrayContaining(['forged', 'fault-saml-mismatch', 'catalogue-10']),
    )
    expect(audience?.failure?.message).toContain('weakness')
    expect(audience?.failure?.actual).toContain('200 at')
    expect(audience?.failure?.actual).toContain('a cookie set by the SP: vsp_session')
    expect(run.stdout).toContain(`IdP metadata   ${setup.idpUrl}/saml/metadata`)
    expect(run.stdout).toContain('2 bypass, 0 hardening, 0 info')
    expect(run.stdout).toMatch(/✗ accepted\s+bypass\s+forged-saml-untrusted-key \[#3\]/)
    // Who the SP signed in: this SP greets the NameID it took, the user who logged in.
    expect(audience?.attack).toMatchObject({
      severity: 'bypass',
      identity: 'the final page shows alice',
      takeover: false,
    })

    // The replay kit: a fresh Response made for it and never delivered, as posted and decoded,
    // a cookie jar and the curl line; sent by curl to the same SP (whose replay cache holds the
    // message it accepted during the run), it signs in.
    const kit = audience?.attack?.replay
    expect(kit?.fresh).toBe(true)
    expect(kit?.files).toEqual([
      'forged/forged-saml-wrong-audience.b64',
      'forged/forged-saml-wrong-audience.xml',
      'forged/forged-saml-wrong-audience.cookies',
      'forged/forged-saml-wrong-audience.curl.sh',
    ])
    const outDir = join(setup.dataDir, 'reports')
    const posted = readFileSync(join(outDir, 'forged/forged-saml-wrong-audience.b64'), 'utf8')
    expect(Buffer.from(posted, 'base64').toString('utf8')).toBe(
      readFileSync(join(outDir, 'forged/forged-saml-wrong-audience.xml'), 'utf8'),
    )
    expect(kit?.command).toContain(`'${acsUrl}'`)
    expect(run.stdout).toContain(`replay: ${kit?.command}`)
    // Asynchronously: the SP answering the kit's curl runs in this process, so a synchronous
    // child would wait on a server whose event loop it blocks.
    const { stdout: replayed } = await execFileAsync(
      'sh',
      [join(outDir, 'forged/forged-saml-wrong-audience.curl.sh')],
      { encoding: 'utf8', timeout: 120_000 },
    )
    expect(replayed).toMatch(/^HTTP\/1\.1 302/)
    expect(replayed).toContain('vsp_session=')
    expect(replayed).toContain('welcome back, alice')
    // A refused case leaves no kit.
    expect(existsSync(join(outDir, 'forged/forged-saml-expired.xml'))).toBe(false)

    // What was sent is in the report, redacted: no signature, certificate or key.
    const text = JSON.stringify(report)
    expect(text).toContain('SAMLResponse')
    expect(text).not.toContain(setup.credential.certificateBase64.slice(0, 60))
    expect(text).not.toContain('PRIVATE KEY')
    for (const name of ['junit.xml', 'report.html', 'summary.md']) {
      expect(readFileSync(join(setup.dataDir, 'reports', name), 'utf8')).toContain(
        'forged-saml-untrusted-key',
      )
    }
  }, 600_000)
})

describe('ssoproof attack with hostile return paths (catalogue case 32)', () => {
  it('reports the RelayState spellings an SP follows off its host, as hardening, and no others', async () => {
    const grep = ['--grep', 'relay-state']
    const { setup, run } = await attackVulnerableSp({ followRelayState: true, args: grep })

    expect(run.stderr).toBe('')
    // Hardening only: an open redirect after sign-in hands no one another identity.
    expect(run.code).toBe(1)
    const report = setup.report()
    const offSite = Object.fromEntries(
      report.scenarios
        .filter((result) => result.tags.includes('return-path'))
        .map((result) => [
          result.id.replace('forged-saml-relay-state-', ''),
          result.attack?.offSite,
        ]),
    )
    // The SP writes the RelayState into its Location as it came: what a browser resolves off
    // the host is found; an encoded slash or dot segments stay a path on the SP's own host.
    expect(offSite).toEqual({
      absolute: { url: 'https://evil.example/after-sign-in', how: 'Location' },
      'scheme-relative': { url: 'http://evil.example/after-sign-in', how: 'Location' },
      backslash: { url: 'http://evil.example/after-sign-in', how: 'Location' },
      'scheme-only': { url: 'https://evil.example/after-sign-in', how: 'Location' },
      tab: { url: 'http://evil.example/after-sign-in', how: 'Location' },
      'encoded-slashes': undefined,
      'dot-segments': undefined,
    })
    const absolute = report.scenarios.find((r) => r.id === 'forged-saml-relay-state-absolute')
    expect(absolute).toMatchObject({ status: 'failed', attack: { severity: 'hardening' } })
    expect(absolute?.failure?.message).toContain('off its host to https://evil.example/')
    expect(absolute?.attack?.replay?.files).toContain(
      'forged/forged-saml-relay-state-absolute.curl.sh',
    )
    expect(report.summary.findings).toEqual({ bypass: 0, hardening: 5, info: 0 })
    // The SP never went to evil.example: the browser stopped at the redirect.
    expect(absolute?.failure?.actual).toContain('evil.example is neither loopback')

    // The same SP without the weakness: every spelling stays on its host.
    const { setup: safe, run: safeRun } = await attackVulnerableSp({ args: grep })
    expect(safeRun.code).toBe(0)
    const passed = safe.report().scenarios.filter((r) => r.tags.includes('return-path'))
    expect(passed.map((r) => r.status)).toEqual(Array(7).fill('passed'))
  }, 300_000)
})

describe('ssoproof attack against the reference SP', () => {
  async function referenceSp(idpUrl: string, pem: string, extra: Record<string, unknown> = {}) {
    const server = await loopback()
    const sp = createSp({
      baseUrl: server.url,
      credential: await createCredential({ commonName: 'reference SP under attack' }),
      idp: {
        entityId: `${idpUrl}/saml/metadata`,
        ssoUrl: `${idpUrl}/saml/sso`,
        certificates: [pem],
        artifactResolutionUrl: `${idpUrl}/saml/artifact`,
      },
      log: () => {},
      ...extra,
    })
    server.serve(sp.app.fetch)
    return server.url
  }

  /** No forged case accepted, every valid counterpart accepted. */
  function expectNoWeakness(report: RunReport) {
    expect(acceptedIds(report, 'forged')).toEqual([])
    expect(report.summary.failed).toBe(0)
    expect(acceptedIds(report)).toEqual(
      expect.arrayContaining(['baseline-valid-sign-in', 'saml-clock-skew-within-tolerance']),
    )
    // Refused here: the whole NameID's account would take alice's email, which the baseline's
    // alice already owns (SP_ACCOUNT_EMAIL_CONFLICT); either answer passes.
    expect(report.scenarios.find((r) => r.id === 'saml-nameid-comment-read-whole')?.tags).toContain(
      'identity-unchecked',
    )
  }

  it('reports no weakness, IdP-initiated to its metadata, and accepts the valid counterparts', async () => {
    const setup = await attackSetup()
    const spUrl = await referenceSp(setup.idpUrl, setup.credential.certificatePem, {
      allowUnsolicited: true,
    })
    const run = await attack(['--sp-metadata', `${spUrl}/saml/metadata`, ...setup.args])

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const report = setup.report()
    expect(report.summary.total).toBeGreaterThan(30)
    expectNoWeakness(report)
    expect(report.scenarios.map((result) => result.id)).not.toContain(
      'forged-saml-in-response-to-other-request',
    )
    expect(run.stdout).toContain('0 bypass, 0 hardening, 0 info')
  }, 600_000)

  it('reports no weakness SP-initiated from its login URL, with an explicit signal', async () => {
    const setup = await attackSetup()
    const spUrl = await referenceSp(setup.idpUrl, setup.credential.certificatePem)
    const run = await attack([
      '--sp-metadata',
      `${spUrl}/saml/metadata`,
      '--start-url',
      `${spUrl}/login`,
      '--success-redirect',
      `${spUrl}/`,
      '--success-cookie',
      'ssoproof_sp_session',
      ...setup.args,
    ])

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const report = setup.report()
    expectNoWeakness(report)
    const inResponseTo = report.scenarios.find(
      (result) => result.id === 'forged-saml-in-response-to-other-request',
    )
    expect(inResponseTo?.status).toBe('passed')
    expect(inResponseTo?.tags).not.toContain('not-exercised')
  }, 600_000)

  it('reports no weakness over HTTP-Artifact, SP-initiated, and exercises the artifact faults', async () => {
    const setup = await attackSetup()
    const spUrl = await referenceSp(setup.idpUrl, setup.credential.certificatePem)
    const run = await attack([
      '--sp-metadata',
      `${spUrl}/saml/metadata`,
      '--binding',
      'artifact',
      '--start-url',
      `${spUrl}/login`,
      ...setup.args,
    ])

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const report = setup.report()
    expect(report.options.protocols).toEqual(['saml-artifact'])
    expect(report.summary.failed).toBe(0)
    expect(acceptedIds(report, 'forged')).toEqual([])
    // The hostile return paths sign in on the SP's own host (its stored return path), and are
    // refused when sent unsolicited (this SP takes none): neither leaves the host.
    const returnPaths = report.scenarios.filter((result) => result.tags.includes('return-path'))
    expect(returnPaths).toHaveLength(14)
    expect(returnPaths.filter((result) => result.attack?.offSite !== undefined)).toEqual([])
    expect(acceptedIds(report, 'return-path')).toEqual(
      returnPaths
        .filter((r) => !r.id.endsWith('-unsolicited'))
        .map((r) => r.id)
        .sort(),
    )
    expect(acceptedIds(report).filter((id) => !id.startsWith('forged-saml-relay-state-'))).toEqual([
      'baseline-valid-sign-in',
      'saml-clock-skew-within-tolerance',
    ])
    // The artifact cases of the catalogue (item 18), each refused by the SP, none skipped.
    const artifactCases = report.scenarios.filter((result) =>
      result.id.startsWith('forged-saml-artifact-'),
    )
    expect(artifactCases.map((result) => result.id).sort()).toEqual([
      'forged-saml-artifact-expired',
      'forged-saml-artifact-wrong-in-response-to',
      'forged-saml-artifact-wrong-source',
    ])
    for (const result of artifactCases) {
      expect(result.status).toBe('passed')
      expect(result.tags).not.toContain('not-exercised')
      expect(result.tags).toContain('fault-saml-artifact')
    }
    // What travelled was SAMLart, redacted in the report, never a SAMLResponse through the browser.
    const baseline = JSON.stringify(report.scenarios[0])
    expect(baseline).toContain('SAMLart=[redacted]')
    expect(baseline).not.toContain('SAMLResponse=')
    expect(JSON.stringify(report)).not.toMatch(/SAMLart=AAQ/)
    expect(run.stdout).toContain('0 bypass, 0 hardening, 0 info')
  }, 600_000)
})

describe('ssoproof attack against the reference SP signing in with a JWT', () => {
  it('reports no weakness and accepts the token within the clock skew', async () => {
    const setup = await attackSetup()
    const server = await loopback()
    const sp = createSp({
      baseUrl: server.url,
      credential: await createCredential({ commonName: 'reference SP under attack' }),
      protocol: 'jwt',
      jwt: {
        loginUrl: `${setup.idpUrl}/jwt/login`,
        certificates: [setup.credential.certificatePem],
        issuer: setup.idpUrl,
        audience: 'https://jwt-sp.example/',
      },
      log: () => {},
    })
    server.serve(sp.app.fetch)
    const run = await attack([
      '--return-url',
      `${server.url}/jwt/callback`,
      '--audience',
      'https://jwt-sp.example/',
      '--start-url',
      `${server.url}/login`,
      ...setup.args,
    ])

    expect(run.stderr).toBe('')
    expect(run.stdout).toContain(`issuer (iss)   ${setup.idpUrl}`)
    expect(run.code).toBe(0)
    const report = setup.report()
    expect(report.options.protocols).toEqual(['jwt'])
    expect(report.summary.total).toBeGreaterThan(15)
    expect(acceptedIds(report)).toEqual([
      'baseline-valid-sign-in',
      'token-clock-skew-within-tolerance',
    ])
    // The tokens are in the trace with their signatures redacted.
    expect(JSON.stringify(report)).toContain('token=[redacted]')
  }, 600_000)
})

describe('ssoproof attack against the reference SP signing in with OpenID Connect', () => {
  it('reports no weakness, SP-initiated with a client secret', async () => {
    const setup = await attackSetup()
    const server = await loopback()
    const secret = 'attack-client-secret-0123456789'
    const sp = createSp({
      baseUrl: server.url,
      credential: await createCredential({ commonName: 'reference SP under attack' }),
      protocol: 'oidc',
      oidc: { issuer: setup.idpUrl, clientId: 'attacked-client', clientSecret: secret },
      log: () => {},
    })
    server.serve(sp.app.fetch)
    const run = await attack([
      '--redirect-uri',
      `${server.url}/oidc/callback`,
      '--client-id',
      'attacked-client',
      '--client-secret',
      secret,
      '--start-url',
      `${server.url}/login`,
      ...setup.args,
    ])

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const report = setup.report()
    // The valid counterparts of the OpenID Foundation RP tests (scenarios/oidf-rp.md) too.
    expect(acceptedIds(report)).toEqual([
      'baseline-valid-sign-in',
      'oidcc-client-test-aggregated-claims',
      'oidcc-client-test-distributed-claims',
      'oidcc-client-test-kid-absent-single-jwks',
      'token-clock-skew-within-tolerance',
    ])
    // The SP fetched discovery and JWKS once, before those faults: they never reached it.
    const notExercised = report.scenarios
      .filter((result) => result.tags.includes('not-exercised'))
      .map((result) => result.id)
    expect(notExercised).toEqual(
      expect.arrayContaining(['forged-oidc-discovery-issuer', 'oidc-jwks-answers-500']),
    )
    expect(
      report.scenarios.find((result) => result.id === 'forged-oidc-userinfo-other-sub')?.tags,
    ).not.toContain('not-exercised')
    expect(JSON.stringify(report)).not.toContain(secret)
  }, 600_000)
})

describe('ssoproof attack stops rather than report false passes', () => {
  it('stops after the baseline when the SP refuses a valid sign-in', async () => {
    const setup = await attackSetup()
    const sp = await loopback((request) =>
      request.method === 'POST' ? new Response('no', { status: 403 }) : new Response('hi'),
    )
    const run = await attack(['--acs', `${sp.url}/acs`, '--audience', 'sp', ...setup.args])

    expect(run.code).toBe(3)
    expect(run.stderr).toContain('the SP did not accept a valid sign-in')
    expect(run.stderr).toContain('403')
    const report = setup.report()
    expect(report.scenarios.map((result) => [result.id, result.status])).toEqual([
      ['baseline-valid-sign-in', 'failed'],
    ])
  }, 30_000)

  it('stops when the success signal also matches a garbage message', async () => {
    const setup = await attackSetup()
    const app = new Hono()
    app.all('*', (c) => {
      c.header('Set-Cookie', 'session=yes; Path=/')
      return c.text('ok')
    })
    const sp = await loopback(app.fetch)
    const run = await attack(['--acs', `${sp.url}/acs`, '--audience', 'sp', ...setup.args])

    expect(run.code).toBe(3)
    expect(run.stderr).toContain('also matched a garbage message')
    expect(setup.report().scenarios.map((result) => result.id)).toEqual([
      'control-garbage-message',
      'baseline-valid-sign-in',
    ])
  }, 30_000)

  it('reports an SP that never answers as refused, without crashing', async () => {
    const setup = await attackSetup()
    const sp = await loopback(() => new Promise<Response>(() => {}))
    const run = await attack([
      '--acs',
      `${sp.url}/acs`,
      '--audience',
      'sp',
      '--timeout',
      '300',
      ...setup.args,
    ])

    expect(run.code).toBe(3)
    expect(run.stderr).toContain('no answer in time')
  }, 30_000)
})
