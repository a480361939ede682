import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseHtml } from 'node-html-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSp, startSpCommand } from '../../cli/sp.ts'
import { parseXml } from '../../core/xml/index.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { registrationFromMetadata } from '../../idp/service-providers/from-metadata.ts'
import { type LoopbackPair, startLoopbackPair } from '../../tests/fixtures/loopback-pair.ts'
import { signIn } from '../../tests/fixtures/visitor.ts'
import { acsChecks } from '../acs/validate-response.ts'
import type { SignInAttempt } from './attempt.ts'

// `ssoproof sp` configured from the mock IdP's own metadata (served over loopback), a visitor
// signing in through the real IdP login page, then the diagnostics page and its downloads.
let idp: LoopbackPair
let running: RunningSp
let data: string
const lines: string[] = []

beforeAll(async () => {
  idp = await startLoopbackPair()
  data = await mkdtemp(join(tmpdir(), 'ssoproof-sp-'))
  const mapping = join(data, 'mapping.yaml')
  await writeFile(
    mapping,
    [
      'campaigns:',
      '  - mappings:',
      '      - { attribute: email, field: email }',
      '      - { attribute: membershipLevel, field: "variable:membershipLevel" }',
      '      - { attribute: loyaltyId, field: "variable:loyaltyId" }',
      '      - { attribute: "urn:example:claims:Company", field: company }',
      '',
    ].join('\n'),
  )
  running = await startSpCommand({
    values: {
      'saml-metadata': `${idp.idpUrl}/saml/metadata`,
      mapping,
      port: '0',
      host: '127.0.0.1',
      data,
    },
    log: (line) => lines.push(line),
  })
  idp.pair.idp.serviceProviders.register(registrationFromMetadata(running.sp.metadata()))
})

afterAll(async () => {
  await running?.close()
  await idp?.close()
  if (data) await rm(data, { recursive: true, force: true })
})

async function json(agent: UserAgent, url: string): Promise<SignInAttempt> {
  const page = await agent.request(url)
  expect(page.status).toBe(200)
  return JSON.parse(page.html) as SignInAttempt
}

describe('ssoproof sp --saml-metadata', () => {
  it('prints what to register at the IdP', () => {
    expect(running.banner).toContain(`SP metadata   ${running.url}/saml/metadata`)
    expect(running.banner).toContain(`ACS URL       ${running.url}/saml/acs`)
    expect(running.banner).toContain(`SAML IdP ${idp.idpUrl}`)
  })

  it('answers an attempt it does not know, or a bad download name, with SP_DIAGNOSTICS_NOT_FOUND (404)', async () => {
    for (const name of ['no-such-attempt', 'no-such-attempt.json', '..%2Fsp.sqlite']) {
      const page = await new UserAgent().request(`${running.url}/diagnostics/${name}`)
      expect(page.status).toBe(404)
      expect(page.document.querySelector('#error-code')?.text).toBe('SP_DIAGNOSTICS_NOT_FOUND')
    }
  })

  it('shows every check of an accepted sign-in, and the downloads match', async () => {
    const agent = new UserAgent()
    const page = await signIn(agent, 'alice', { base: running.url })
    expect(page.url).toMatch(new RegExp(`^${running.url}/diagnostics/[\\w-]+$`))
    expect(page.document.querySelector('#verdict')?.getAttribute('data-verdict')).toBe('accepted')
    const rows = page.document.querySelectorAll('#checks tbody tr')
    const outcomes = Object.fromEntries(
      rows.map((row) => [row.getAttribute('data-check'), row.getAttribute('data-outcome')]),
    )
    for (const [check] of acsChecks) expect(outcomes[check]).toBe('pass')
    expect(outcomes).toMatchObject({
      Certificate: 'pass',
      'Clock offset': 'pass',
      'NameID format': 'pass',
      'Data mapping': 'warning',
      'Sign-in': 'pass',
    })
    // The session started: the SP knows alice.
    const session = JSON.parse((await agent.request(`${running.url}/api/session`)).html)
    expect(session.subject.nameId).toBe('alice')

    const attempt = await json(agent, `${page.url}.json`)
    expect(attempt.verdict).toBe('accepted')
    expect(attempt.binding).toBe('HTTP-POST')
    expect(attempt.checks.map((check) => check.check)).toEqual([
      ...acsChecks.map(([check]) => check),
      'Certificate',
      'Clock offset',
      'NameID format',
      'Data mapping',
      'Sign-in',
    ])
    const byName = Object.fromEntries(attempt.checks.map((check) => [check.check, check]))
    const notPassed = attempt.checks.filter((check) => check.outcome !== 'pass')
    expect(notPassed.map((check) => check.check)).toEqual(['Data mapping'])
    expect(byName['Data mapping']?.details).toEqual({
      'email → email': 'present',
      'membershipLevel → variable:membershipLevel': 'present',
      'loyaltyId → variable:loyaltyId': 'missing',
      // A near miss: the IdP sends `company`, the mapping's last URN segment.
      'urn:example:claims:Company → company': 'missing; sent as company?',
    })
    expect(byName['Data mapping']?.warnings.map((warning) => warning.code)).toEqual([
      'SP_MAPPED_ATTRIBUTE_MISSING',
      'SP_MAPPED_ATTRIBUTE_MISSING',
    ])
    expect(byName['Data mapping']?.warnings[1]?.reason).toContain(
      'It sent company: map that name instead?',
    )
    expect(byName['Data mapping']?.warnings[1]?.evidence.sentUnderAnotherName).toEqual(['company'])
    expect(byName.Conditions?.details['expected Audience']).toBe(running.sp.config.entityId)
    expect(byName.Conditions?.details.Audience).toBe(running.sp.config.entityId)
    expect(byName['Signature (Assertion)']?.details.SignatureMethod).toMatch(/rsa-sha256$/)
    expect(byName.Certificate?.details.certificate).toMatch(/days left/)
    expect(byName['Clock offset']?.details['IdP clock offset']).toMatch(/^[+-]?\d+ s/)
    expect(attempt.identity?.['external ID / NameID']).toBe('alice')
    expect(attempt.continueTo).toBe('/')
    // The decoded Response is there, with its signature values and certificates redacted.
    const response = attempt.messages.find((message) => message.source.startsWith('SAML Response'))
    expect(response?.text).toContain('[redacted')
    const raw = JSON.stringify(attempt)
    expect(raw).not.toMatch(/<ds:SignatureValue>[A-Za-z0-9+/=\s]{40,}/)
    expect(raw).not.toContain(idp.pair.idp.config.credential.certificateBase64.slice(0, 60))

    const junit = await agent.request(`${page.url}.xml`)
    expect(junit.headers.get('content-type')).toContain('application/xml')
    const suite = parseXml(junit.html).documentElement
    expect(suite.localName).toBe('testsuites')
    expect(suite.getAttribute('tests')).toBe(String(attempt.checks.length))
    expect(suite.getAttribute('failures')).toBe('0')

    const html = await agent.request(`${page.url}.html`)
    expect(html.headers.get('content-disposition')).toContain('.html')
    const document = parseHtml(html.html)
    expect(document.querySelectorAll('#checks tbody tr')).toHaveLength(attempt.checks.length)
    expect(document.querySelector('#downloads')).toBeNull()

    const index = await agent.request(`${running.url}/diagnostics`)
    expect(index.document.querySelector(`tr[data-attempt="${attempt.id}"]`)).not.toBeNull()
  })

  it('shows which check failed and why when the IdP sends a wrong Audience', async () => {
    idp.pair.idp.faults.add({
      kind: 'saml-mismatch',
      field: 'Audience',
      value: 'https://someone-else.example/sp',
      remaining: 1,
    })
    const agent = new UserAgent()
    const page = await signIn(agent, 'bob', { base: running.url })
    expect(page.status).toBe(200)
    expect(page.document.querySelector('#verdict')?.getAttribute('data-verdict')).toBe('rejected')
    expect(page.document.querySelector('#error-code')?.text).toBe('SAML_AUDIENCE_MISMATCH')
    expect(
      page.document.querySelector('tr[data-check="Conditions"]')?.getAttribute('data-outcome'),
    ).toBe('fail')

    const attempt = await json(agent, `${page.url}.json`)
    expect(attempt.verdict).toBe('rejected')
    expect(attempt.failure?.code).toBe('SAML_AUDIENCE_MISMATCH')
    const byName = Object.fromEntries(attempt.checks.map((check) => [check.check, check]))
    expect(byName.Conditions?.outcome).toBe('fail')
    expect(byName.Conditions?.failure?.code).toBe('SAML_AUDIENCE_MISMATCH')
    expect(byName.Conditions?.details.Audience).toBe('https://someone-else.example/sp')
    expect(byName.Subject?.outcome).toBe('pass')
    expect(byName.AuthnStatement?.outcome).toBe('not-reached')
    expect(byName['Sign-in']?.outcome).toBe('not-reached')
    expect(byName['Data mapping']?.outcome).toBe('not-reached')
    const session = JSON.parse((await agent.request(`${running.url}/api/session`)).html)
    expect(session.signedIn).toBe(false)

    const junit = parseXml((await agent.request(`${page.url}.xml`)).html)
    const failures = [...junit.getElementsByTagName('failure')]
    expect(failures).toHaveLength(1)
    expect(failures[0]?.getAttribute('type')).toBe('SAML_AUDIENCE_MISMATCH')
    expect(lines.some((line) => line.includes('SAML_AUDIENCE_MISMATCH'))).toBe(true)
  })

  it('shows a look-alike NameID escaped (dave\\u3000), refused at Subject with IDENTIFIER_LOOK_ALIKE', async () => {
    idp.pair.idp.faults.add({
      kind: 'saml-nameid-look-alike',
      variant: 'ideographic-space',
      user: 'dave',
      remaining: 1,
    })
    const agent = new UserAgent()
    const page = await signIn(agent, 'dave', { base: running.url })
    expect(page.document.querySelector('#verdict')?.getAttribute('data-verdict')).toBe('rejected')
    expect(page.document.querySelector('#error-code')?.text).toBe('IDENTIFIER_LOOK_ALIKE')
    expect(
      page.document.querySelector('tr[data-check="Subject"]')?.getAttribute('data-outcome'),
    ).toBe('fail')
    // Escaped where a person reads it, the raw character nowhere on the page.
    expect(page.document.querySelector('tr[data-check="Subject"]')?.text).toContain('dave\\u3000')
    expect(page.html).not.toContain('dave\u3000')

    const attempt = await json(agent, `${page.url}.json`)
    const subject = attempt.checks.find((check) => check.check === 'Subject')
    expect(subject?.details.NameID).toBe('dave\\u3000')
    expect(subject?.failure?.evidence.value).toBe('dave\\u3000')
    const session = JSON.parse((await agent.request(`${running.url}/api/session`)).html)
    expect(session.signedIn).toBe(false)
  })
})

describe('ssoproof sp diagnostics of encrypted assertions and HTTP-Artifact', () => {
  const row = (attempt: SignInAttempt, check: string) =>
    attempt.checks.find((candidate) => candidate.check === check)

  it('show the values inside an EncryptedAssertion, as the SP decrypted them', async () => {
    idp.pair.idp.serviceProviders.register(
      registrationFromMetadata(running.sp.metadata(), { encryptAssertion: true }),
    )
    try {
      const agent = new UserAgent()
      const page = await signIn(agent, 'alice', { base: running.url })
      const attempt = await json(agent, `${page.url}.json`)
      expect(attempt.verdict).toBe('accepted')
      expect(row(attempt, 'Assertion')?.details.form).toBe('EncryptedAssertion, decrypted')
      expect(row(attempt, 'Subject')?.details).toMatchObject({
        NameID: 'alice',
        Recipient: `${running.url}/saml/acs`,
      })
      expect(row(attempt, 'Conditions')?.details.Audience).toBe(running.sp.config.entityId)
      expect(row(attempt, 'Signature (Assertion)')?.details.signed).toBe('yes')
      expect(row(attempt, 'NameID format')?.outcome).toBe('pass')
      expect(row(attempt, 'NameID format')?.details).toMatchObject({
        Format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        'external ID': 'the NameID',
      })
      expect(JSON.stringify(attempt)).not.toContain('inside the EncryptedAssertion')
      const decrypted = attempt.messages.find(
        (message) => message.source === 'Assertion (decrypted by the SP)',
      )
      expect(decrypted?.text).toContain('>alice<')
      expect(decrypted?.text).toContain('[redacted')
      expect(JSON.stringify(attempt)).not.toMatch(/<ds:SignatureValue>[A-Za-z0-9+/=\s]{40,}/)
    } finally {
      idp.pair.idp.serviceProviders.register(registrationFromMetadata(running.sp.metadata()))
    }
  })

  const artifactSignIn = async (agent: UserAgent, base: string) => {
    const login = await agent.navigate(`${base}/login?binding=artifact`)
    const page = login.document.querySelector('#login-form')
      ? await agent.submit(
          login,
          '#login-form',
          { username: 'bob' },
          { name: 'action', value: 'login' },
        )
      : login
    return json(agent, `${page.url}.json`)
  }

  it('give HTTP-Artifact attempts rows for the artifact, the ArtifactResolve and the ArtifactResponse', async () => {
    const attempt = await artifactSignIn(new UserAgent(), running.url)
    expect(attempt.verdict).toBe('accepted')
    expect(attempt.binding).toBe('HTTP-Artifact')
    expect(attempt.checks.slice(0, 3).map((check) => [check.check, check.outcome])).toEqual([
      ['Artifact', 'pass'],
      ['ArtifactResolve', 'pass'],
      ['ArtifactResponse', 'pass'],
    ])
    expect(row(attempt, 'Artifact')?.details).toMatchObject({
      TypeCode: '0x0004',
      EndpointIndex: '0',
    })
    expect(row(attempt, 'Artifact')?.details.SourceID).toBe(
      row(attempt, 'Artifact')?.details['expected SourceID'],
    )
    const resolve = row(attempt, 'ArtifactResolve')?.details
    expect(resolve).toMatchObject({ to: `${idp.idpUrl}/saml/artifact`, signed: 'yes (the SP key)' })
    expect(row(attempt, 'ArtifactResponse')?.details).toMatchObject({
      'HTTP status': '200',
      element: 'ArtifactResponse',
      signed: 'yes',
      Issuer: `${idp.idpUrl}/saml/metadata`,
      InResponseTo: resolve?.ID,
      'expected InResponseTo': resolve?.ID,
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
    })
    expect(attempt.messages.map((message) => message.source)).toEqual(
      expect.arrayContaining([
        'ArtifactResolve (sent by the SP)',
        'ArtifactResponse (SOAP answer, HTTP 200)',
        'SAML Response (as validated)',
      ]),
    )
    expect(JSON.stringify(attempt)).not.toMatch(/<ds:SignatureValue>[A-Za-z0-9+/=\s]{40,}/)
  })

  it('place an artifact failure on the step it stopped at', async () => {
    idp.pair.idp.faults.add({
      kind: 'saml-artifact',
      fault: 'wrong-in-response-to',
      remaining: 1,
    })
    const refused = await artifactSignIn(new UserAgent(), running.url)
    expect(refused.failure?.code).toBe('SAML_ARTIFACT_RESPONSE_INVALID')
    expect(refused.checks.slice(0, 4).map((check) => [check.check, check.outcome])).toEqual([
      ['Message', 'pass'],
      ['Artifact', 'pass'],
      ['ArtifactResolve', 'pass'],
      ['ArtifactResponse', 'fail'],
    ])
    expect(row(refused, 'ArtifactResponse')?.details.InResponseTo).not.toBe(
      row(refused, 'ArtifactResponse')?.details['expected InResponseTo'],
    )
    expect(row(refused, 'Response')?.outcome).toBe('not-reached')

    idp.pair.idp.faults.add({
      kind: 'saml-artifact',
      fault: 'wrong-source-id',
      remaining: 1,
    })
    const unknown = await artifactSignIn(new UserAgent(), running.url)
    expect(unknown.failure?.code).toBe('SAML_ARTIFACT_UNKNOWN_SOURCE')
    expect(unknown.checks.slice(0, 4).map((check) => [check.check, check.outcome])).toEqual([
      ['Message', 'pass'],
      ['Artifact', 'fail'],
      ['ArtifactResolve', 'not-reached'],
      ['ArtifactResponse', 'not-reached'],
    ])
  })
})

describe('ssoproof sp --allow-unsolicited', () => {
  const idpInitiated = async (sp: RunningSp) => {
    const agent = new UserAgent()
    const entityId = encodeURIComponent(sp.sp.config.entityId)
    const login = await agent.navigate(
      `${idp.idpUrl}/saml/idp-initiated?sp=${entityId}&RelayState=/welcome`,
    )
    const page = await agent.submit(
      login,
      '#login-form',
      { username: 'alice' },
      { name: 'action', value: 'login' },
    )
    return json(agent, `${page.url}.json`)
  }

  it('is off by default: an IdP-initiated Response is refused at InResponseTo', async () => {
    const attempt = await idpInitiated(running)
    expect(attempt.verdict).toBe('rejected')
    expect(attempt.failure?.code).toBe('SAML_UNSOLICITED_NOT_ALLOWED')
    expect(attempt.failure?.hint).toContain('--allow-unsolicited')
  })

  it('on, the same IdP-initiated sign-in is accepted and goes on to RelayState', async () => {
    const open = await startSpCommand({
      values: {
        'saml-metadata': `${idp.idpUrl}/saml/metadata`,
        'allow-unsolicited': true,
        port: '0',
        data,
      },
      log: () => {},
    })
    try {
      idp.pair.idp.serviceProviders.register(registrationFromMetadata(open.sp.metadata()))
      const attempt = await idpInitiated(open)
      expect(attempt.verdict).toBe('accepted')
      expect(attempt.checks.find((check) => check.check === 'InResponseTo')?.outcome).toBe('pass')
      expect(attempt.identity?.['external ID / NameID']).toBe('alice')
      expect(attempt.continueTo).toBe('/welcome')
    } finally {
      await open.close()
    }
  })

  it('does not apply to OIDC or JWT IdPs (usage error)', async () => {
    await expect(
      startSpCommand({
        values: {
          'oidc-issuer': idp.idpUrl,
          'client-id': 'x',
          'client-secret': 'y',
          'allow-unsolicited': true,
          port: '0',
          data,
        },
      }),
    ).rejects.toThrow('--allow-unsolicited does not apply to --oidc-issuer')
  })
})

describe('ssoproof sp --check-all', () => {
  it('walks through sign-in, single logout and sign-in over HTTP-Artifact: all three pass', async () => {
    const guided = await startSpCommand({
      values: {
        'saml-metadata': `${idp.idpUrl}/saml/metadata`,
        port: '0',
        data,
        'check-all': true,
      },
      log: () => {},
    })
    try {
      idp.pair.idp.serviceProviders.register(registrationFromMetadata(guided.sp.metadata()))
      expect(guided.banner).toContain(`${guided.url}/check-all`)
      const agent = new UserAgent()
      const status = async () => {
        const page = await agent.request(`${guided.url}/check-all`)
        return {
          page,
          steps: Object.fromEntries(
            page.document
              .querySelectorAll('#steps tr')
              .map((row) => [row.getAttribute('data-step'), row.getAttribute('data-status')]),
          ),
        }
      }
      const start = await status()
      expect(start.steps).toEqual({ 'sign-in': 'pending', logout: 'pending', artifact: 'pending' })
      const next = start.page.document.querySelector('#next')?.getAttribute('href') ?? ''
      expect(next).toBe('/login?return_url=%2Fcheck-all')

      // Step 1: sign in; the diagnostics page leads back to the guide.
      const diagnostics = await signIn(agent, 'carol', {
        base: guided.url,
        returnUrl: '/check-all',
        password: 'carol-secret',
      })
      expect(diagnostics.document.querySelector('#verdict')?.getAttribute('data-verdict')).toBe(
        'accepted',
      )
      expect(diagnostics.document.querySelector('#continue')?.getAttribute('href')).toBe(
        '/check-all',
      )
      const afterSignIn = await status()
      expect(afterSignIn.steps['sign-in']).toBe('passed')

      // Step 2: single logout through the IdP, back to the guide.
      const back = await agent.submit(afterSignIn.page, 'form[action="/check-all/logout"]')
      expect(back.url).toBe(`${guided.url}/check-all`)
      const afterLogout = await status()
      expect(afterLogout.steps.logout).toBe('passed')
      expect(afterLogout.page.html).toContain(
        'the IdP answered this browser’s LogoutRequest with a LogoutResponse that passed every check',
      )
      // The step links the logout's own diagnostics: the LogoutResponse and each of its checks.
      const logoutId = JSON.parse(
        (await agent.request(`${guided.url}/check-all/summary.json`)).html,
      ).steps.find((step: { id: string }) => step.id === 'logout').attemptId
      const logoutAttempt = await json(agent, `${guided.url}/diagnostics/${logoutId}.json`)
      expect(logoutAttempt).toMatchObject({
        kind: 'logout',
        verdict: 'accepted',
        binding: 'HTTP-Redirect',
        logout: { message: 'LogoutResponse' },
      })
      expect(logoutAttempt.checks.map((check) => [check.check, check.outcome])).toEqual([
        ['LogoutRequest (sent)', 'pass'],
        ['LogoutResponse', 'pass'],
        ['Issuer', 'pass'],
        ['Destination', 'pass'],
        ['Signature', 'pass'],
        ['InResponseTo', 'pass'],
        ['Status', 'pass'],
        ['Signed out', 'pass'],
      ])
      expect(logoutAttempt.checks[0]?.details).toMatchObject({
        ID: logoutAttempt.logout?.inResponseTo,
        NameID: 'carol',
      })
      expect(logoutAttempt.messages.map((message) => message.source)).toContain(
        'LogoutResponse (as checked)',
      )

      // Step 3: the AuthnRequest asks for the Response over HTTP-Artifact.
      const artifactLink = afterLogout.page.document.querySelector('#next')?.getAttribute('href')
      expect(artifactLink).toBe('/login?binding=artifact&return_url=%2Fcheck-all')
      const redirect = await agent.request(`${guided.url}${artifactLink}`)
      const request = new URL(redirect.headers.get('location') ?? '').searchParams.get(
        'SAMLRequest',
      )
      const { inflateRawSync } = await import('node:zlib')
      const xml = inflateRawSync(Buffer.from(request ?? '', 'base64')).toString('utf8')
      expect(xml).toContain('ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"')
      const incomplete = JSON.parse(
        (await agent.request(`${guided.url}/check-all/summary.json`)).html,
      )
      expect(incomplete.verdict).toBe('incomplete')
      expect(incomplete.attempts.map((attempt: SignInAttempt) => attempt.kind)).toEqual([
        'sign-in',
        'logout',
      ])

      // The IdP session ended with the logout: the login form again, then SAMLart to the ACS,
      // resolved by the SP over SOAP at the IdP.
      const login = await agent.navigate(redirect.headers.get('location') ?? '')
      expect(login.document.querySelector('#login-form')).not.toBeNull()
      const artifactDiagnostics = await agent.submit(
        login,
        '#login-form',
        { username: 'carol', password: 'carol-secret' },
        { name: 'action', value: 'login' },
      )
      expect(
        artifactDiagnostics.document.querySelector('#verdict')?.getAttribute('data-verdict'),
      ).toBe('accepted')
      const artifactAttempt = await json(agent, `${artifactDiagnostics.url}.json`)
      expect(artifactAttempt.binding).toBe('HTTP-Artifact')
      expect(artifactAttempt.checks.filter((check) => check.outcome === 'fail')).toEqual([])

      const done = await status()
      expect(done.steps).toEqual({ 'sign-in': 'passed', logout: 'passed', artifact: 'passed' })
      expect(done.page.document.querySelector('#verdict')?.getAttribute('data-verdict')).toBe(
        'passed',
      )
      expect(done.page.document.querySelector('#downloads')).not.toBeNull()
      const summary = JSON.parse((await agent.request(`${guided.url}/check-all/summary.json`)).html)
      expect(summary.verdict).toBe('passed')
      expect(summary.attempts.map((attempt: SignInAttempt) => attempt.binding)).toEqual([
        'HTTP-POST',
        'HTTP-Redirect',
        'HTTP-Artifact',
      ])
      expect(summary.attempts.map((attempt: SignInAttempt) => attempt.verdict)).toEqual([
        'accepted',
        'accepted',
        'accepted',
      ])
      const junit = parseXml((await agent.request(`${guided.url}/check-all/summary.xml`)).html)
      expect(junit.documentElement?.getAttribute('failures')).toBe('0')
    } finally {
      await guided.close()
    }
  })
  it('keeps one progress per browser, by an httpOnly SameSite=Lax cookie', async () => {
    const guided = await startSpCommand({
      values: {
        'saml-metadata': `${idp.idpUrl}/saml/metadata`,
        port: '0',
        data,
        'check-all': true,
      },
      log: () => {},
    })
    try {
      idp.pair.idp.serviceProviders.register(registrationFromMetadata(guided.sp.metadata()))
      const first = new UserAgent()
      const second = new UserAgent()
      const progress = async (agent: UserAgent) =>
        JSON.parse((await agent.request(`${guided.url}/check-all/summary.json`)).html) as {
          verdict: string
          steps: Array<{ id: string; status: string }>
          attempts: SignInAttempt[]
        }
      const signInStatus = async (agent: UserAgent) =>
        (await progress(agent)).steps.find((step) => step.id === 'sign-in')?.status

      const opened = await first.request(`${guided.url}/check-all`)
      const cookie = opened.headers
        .getSetCookie()
        .find((line) => line.startsWith('ssoproof_check_all='))
      expect(cookie).toMatch(/; HttpOnly/i)
      expect(cookie).toMatch(/; SameSite=Lax/i)
      expect(cookie).toMatch(/; Path=\//i)
      const reopened = await first.request(`${guided.url}/check-all`)
      expect(
        reopened.headers.getSetCookie().filter((line) => line.startsWith('ssoproof_check_all=')),
      ).toEqual([])
      const other = (await second.request(`${guided.url}/check-all`)).headers
        .getSetCookie()
        .find((line) => line.startsWith('ssoproof_check_all='))
      expect(other?.split(';')[0]).toMatch(/^ssoproof_check_all=[\w-]{20,}$/)
      expect(other?.split(';')[0]).not.toBe(cookie?.split(';')[0])

      // The first browser signs in: its step passes, the second's is still waiting.
      await signIn(first, 'alice', { base: guided.url, returnUrl: '/check-all' })
      expect(await signInStatus(first)).toBe('passed')
      expect(await signInStatus(second)).toBe('pending')
      expect((await progress(second)).attempts).toEqual([])

      // A browser that never opened /check-all signs in: nobody's step.
      await signIn(new UserAgent(), 'carol', { base: guided.url, password: 'carol-secret' })
      expect(await signInStatus(second)).toBe('pending')

      await signIn(second, 'bob', { base: guided.url, returnUrl: '/check-all' })
      const [mine, theirs] = [await progress(first), await progress(second)]
      expect(theirs.steps.find((step) => step.id === 'sign-in')?.status).toBe('passed')
      expect(mine.attempts).toHaveLength(1)
      expect(theirs.attempts).toHaveLength(1)
      expect(mine.attempts[0]?.identity?.['external ID / NameID']).toBe('alice')
      expect(theirs.attempts[0]?.identity?.['external ID / NameID']).toBe('bob')

      // Starting over is the first browser's own.
      await first.submit(await first.navigate(`${guided.url}/check-all`), 'form[action$="/reset"]')
      expect(await signInStatus(first)).toBe('pending')
      expect(await signInStatus(second)).toBe('passed')
    } finally {
      await guided.close()
    }
  })
})
