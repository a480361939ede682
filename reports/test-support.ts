import { deflateSync } from 'node:zlib'
import type { RunReport, ScenarioResult, StepResult, TraceEntry } from './model.ts'

/**
 * A hand-built run for the writers' tests: five results over three protocols and three files,
 * two of them failed (one with a browser screenshot), traces with decoded SAML and a JWT, and
 * rules that are covered, failing and uncovered. Every call returns a fresh copy to change.
 */
export function sampleReport(): RunReport {
  const scenarios = [
    signInSaml(),
    signInJwt(),
    sessionExpirySaml(),
    idpLogoutSaml(),
    missingAttributeOidc(),
  ]
  return {
    schemaVersion: 1,
    tool: { name: 'ssoproof', version: '0.1.0' },
    startedAt: '2025-03-14T09:26:53.589Z',
    durationMs: 1834,
    options: {
      driver: 'http',
      seed: '20250314',
      workers: 4,
      shard: { index: 1, total: 2 },
      grep: 'sign-in|session|logout|mapping',
      tags: [],
      protocols: ['saml', 'jwt', 'oidc'],
      sources: ['built-in'],
    },
    summary: { total: 5, passed: 3, failed: 2, rulesCovered: 1, rulesUncovered: 6 },
    scenarios,
    rules: [
      rule(
        'SIGNIN-1',
        'A visitor signs in with the sign-in option',
        'Sign-in options',
        [scenarios[0]],
        [scenarios[1]],
      ),
      rule('MAP-1', 'Mapped attributes fill the contact fields', 'Attribute mapping', [
        scenarios[0],
      ]),
      rule(
        'MAP-3',
        'A missing attribute leaves the field empty',
        'Attribute mapping',
        [],
        [scenarios[4]],
      ),
      rule('SESSION-2', 'A session lasts 48 hours, not a second more', 'Sessions and logout', [
        scenarios[2],
      ]),
      rule('LOGOUT-2', 'IdP-initiated logout ends the visitor session', 'Sessions and logout', [
        scenarios[3],
      ]),
      rule('ROUTE-1', 'Signed-in visitors are routed to their team', 'Routing', []),
      rule('SEARCH-1', 'Transcripts are found by external ID', 'Transcripts', []),
    ],
  }
}

/** A report where every scenario passed and every rule is covered. */
export function passingReport(): RunReport {
  const report = sampleReport()
  report.scenarios = report.scenarios.filter((result) => result.status === 'passed')
  report.rules = report.rules
    .filter((entry) => entry.status === 'covered')
    .map((entry) => ({ ...entry, scenarios: entry.scenarios.filter(isPassing(report)) }))
  report.summary = {
    total: report.scenarios.length,
    passed: report.scenarios.length,
    failed: 0,
    rulesCovered: report.rules.length,
    rulesUncovered: 0,
  }
  return report
}

/** The failed step of the 48-hour scenario, to put awkward text into. */
export function failedStepOf(report: RunReport): StepResult {
  const step = report.scenarios
    .find((result) => result.status === 'failed')
    ?.steps.find((candidate) => candidate.status === 'failed')
  if (!step) throw new Error('the sample report has no failed step')
  return step
}

export const screenshotPath = 'screenshots/logout.idp-initiated-saml.png'

/** A real PNG of one colour, as a browser screenshot would arrive. */
export function samplePng(width = 48, height = 32): Uint8Array {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0xc8)])
  const pixels = Buffer.concat(Array.from({ length: height }, () => row))
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

function isPassing(report: RunReport) {
  const passing = new Set(report.scenarios.map((result) => result.id))
  return (id: string) => passing.has(id)
}

function rule(
  id: string,
  title: string,
  section: string,
  results: (ScenarioResult | undefined)[],
  negativeResults: (ScenarioResult | undefined)[] = [],
): RunReport['rules'][number] {
  const negative = negativeResults.filter((result) => result !== undefined)
  const proving = [...results.filter((result) => result !== undefined), ...negative]
  const sides = (negative.length > 0 ? 1 : 0) + (proving.length > negative.length ? 1 : 0)
  const status =
    proving.length === 0
      ? 'uncovered'
      : proving.some((result) => result.status === 'failed')
        ? 'failing'
        : sides === 2
          ? 'covered'
          : 'one-sided'
  return {
    id,
    title,
    section,
    scenarios: proving.map((result) => result.id),
    negative: negative.map((result) => result.id),
    status,
  }
}

const idp = 'http://127.0.0.1:7000'
const sp = 'http://127.0.0.1:7100'

const authnRequest = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1f0c2" Version="2.0" IssueInstant="2025-03-14T09:00:00Z" Destination="${idp}/saml/sso" AssertionConsumerServiceURL="${sp}/saml/acs" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">
  <saml:Issuer>${sp}/saml/metadata</saml:Issuer>
</samlp:AuthnRequest>`

function samlResponse(notOnOrAfter: string): string {
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r7b1" InResponseTo="_a1f0c2" Destination="${sp}/saml/acs">
  <saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${idp}/saml/metadata</saml:Issuer>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
    <ds:SignatureValue>[redacted]</ds:SignatureValue>
  </ds:Signature>
  <samlp:Status>
    <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>
  </samlp:Status>
  <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_as9" Version="2.0">
    <saml:Subject>
      <saml:NameID>alice</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData Recipient="${sp}/saml/acs" NotOnOrAfter="${notOnOrAfter}"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:AttributeStatement>
      <saml:Attribute Name="email"><saml:AttributeValue>alice@example.com</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>`
}

function signInTrace(at: string): TraceEntry[] {
  return [
    {
      at,
      method: 'GET',
      url: `${sp}/login?return_url=%2Fchat`,
      status: 302,
      location: `${idp}/saml/sso?SAMLRequest=[412 chars]&RelayState=r-5c1e`,
      party: 'sp',
      messages: [
        {
          kind: 'saml',
          source: 'SAMLRequest (redirect)',
          summary: `AuthnRequest · Issuer ${sp}/saml/metadata · unsigned`,
          text: authnRequest,
        },
      ],
    },
    {
      at,
      method: 'POST',
      url: `${idp}/login`,
      status: 200,
      party: 'idp',
      messages: [
        {
          kind: 'form',
          source: 'request form',
          summary: 'fields: username, password, action',
          text: 'username=alice\npassword=[redacted]\naction=login',
        },
        {
          kind: 'saml',
          source: 'SAMLResponse (auto-submitted form)',
          summary: `Response · Success · Issuer ${idp}/saml/metadata · InResponseTo _a1f0c2 · signed: Response · NameID alice`,
          text: samlResponse('2025-03-14T09:05:00Z'),
        },
      ],
    },
    {
      at,
      method: 'POST',
      url: `${sp}/saml/acs`,
      status: 302,
      location: '/chat',
      party: 'sp',
      messages: [],
    },
  ]
}

function step(
  index: number,
  kind: string,
  text: string,
  fields: Partial<StepResult> = {},
): StepResult {
  return { index, kind, text, status: 'passed', durationMs: 3 + index, trace: [], ...fields }
}

function signInSaml(): ScenarioResult {
  return {
    id: 'sign-in.first-time [saml]',
    scenarioId: 'sign-in.first-time',
    title: 'A first-time visitor signs in and the contact is created',
    file: 'scenarios/catalogue/sign-in.yaml',
    protocol: 'saml',
    driver: 'http',
    tags: ['sign-in', 'smoke'],
    rules: ['SIGNIN-1', 'MAP-1'],
    status: 'passed',
    durationMs: 212,
    steps: [
      step(1, 'open', 'open the messenger'),
      step(2, 'choose', 'choose sign in'),
      step(3, 'login', 'log in at the IdP as alice', {
        durationMs: 41,
        trace: signInTrace('2025-03-14T09:00:00.000Z'),
      }),
      step(4, 'expect', 'expect signed in as alice with email alice@example.com'),
    ],
  }
}

function signInJwt(): ScenarioResult {
  return {
    id: 'sign-in.first-time [jwt]',
    scenarioId: 'sign-in.first-time',
    title: 'A first-time visitor signs in and the contact is created',
    file: 'scenarios/catalogue/sign-in.yaml',
    protocol: 'jwt',
    driver: 'http',
    tags: ['sign-in', 'smoke'],
    rules: ['SIGNIN-1'],
    status: 'passed',
    durationMs: 96,
    steps: [
      step(1, 'open', 'open the messenger'),
      step(2, 'login', 'log in at the IdP as alice', {
        trace: [
          {
            at: '2025-03-14T09:00:00.000Z',
            method: 'GET',
            url: `${sp}/jwt/callback?token=[redacted]`,
            status: 302,
            location: '/',
            party: 'sp',
            messages: [
              {
                kind: 'jwt',
                source: 'token (query)',
                summary: 'JWT · RS256 · sub alice · exp 2025-03-14T09:05:00Z',
                text: '{\n  "alg": "RS256",\n  "kid": "idp-1"\n}\n.\n{\n  "sub": "alice",\n  "email": "alice@example.com",\n  "exp": 1741942800\n}\n.\n[signature redacted]',
              },
            ],
          },
        ],
      }),
      step(3, 'expect', 'expect signed in as alice'),
    ],
  }
}

function sessionExpirySaml(): ScenarioResult {
  const message =
    'the visitor was not signed in after 47h59m; the SP showed SAML_SESSION_EXPIRED at /chat'
  const expected = 'signed in as alice (Alice Andersen)'
  const actual = 'not signed in\nthe SP showed the error page SAML_SESSION_EXPIRED'
  return {
    id: 'session.expiry-48h [saml]',
    scenarioId: 'session.expiry-48h',
    title: 'A session lasts 48 hours | boundary',
    file: 'scenarios/catalogue/sessions.yaml',
    protocol: 'saml',
    driver: 'http',
    tags: ['sessions', 'time'],
    rules: ['SESSION-2'],
    status: 'failed',
    durationMs: 64,
    steps: [
      step(1, 'login', 'log in at the IdP as alice', {
        trace: signInTrace('2025-03-14T09:00:00.000Z'),
      }),
      step(2, 'advance', 'advance time by 47h59m', { durationMs: 0 }),
      step(3, 'expect', 'expect signed in as alice', {
        status: 'failed',
        message,
        expected,
        actual,
        trace: [
          {
            at: '2025-03-16T08:59:00.000Z',
            method: 'GET',
            url: `${sp}/chat`,
            status: 401,
            party: 'sp',
            messages: [
              {
                kind: 'json',
                source: 'response body',
                summary: 'error SAML_SESSION_EXPIRED',
                text: '{\n  "error": {\n    "code": "SAML_SESSION_EXPIRED",\n    "check": "session"\n  }\n}',
              },
            ],
          },
        ],
      }),
      step(4, 'advance', 'advance time by 1m', { status: 'not-run', durationMs: 0 }),
      step(5, 'expect', 'expect not signed in', { status: 'not-run', durationMs: 0 }),
    ],
    failure: { step: 3, text: 'expect signed in as alice', message, expected, actual },
  }
}

function idpLogoutSaml(): ScenarioResult {
  const message = 'the messenger still shows Alice Andersen after the IdP-initiated logout'
  return {
    id: 'logout.idp-initiated [saml]',
    scenarioId: 'logout.idp-initiated',
    title: 'IdP-initiated logout ends the visitor session',
    file: 'scenarios/catalogue/logout.yaml',
    protocol: 'saml',
    driver: 'browser',
    tags: ['logout'],
    rules: ['LOGOUT-2'],
    status: 'failed',
    durationMs: 1290,
    steps: [
      step(1, 'login', 'log in at the IdP as alice', {
        trace: signInTrace('2025-03-14T09:00:00.000Z'),
      }),
      step(2, 'idp-logout', 'IdP-initiated logout', {
        trace: [
          {
            at: '2025-03-14T09:01:00.000Z',
            method: 'GET',
            url: `${sp}/saml/slo?SAMLRequest=[388 chars]`,
            status: 302,
            location: `${idp}/saml/slo?SAMLResponse=[301 chars]`,
            party: 'sp',
            messages: [
              {
                kind: 'saml',
                source: 'SAMLRequest (query)',
                summary: `LogoutRequest · Issuer ${idp}/saml/metadata · unsigned · NameID alice`,
                text: '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l1">\n  <saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">alice</saml:NameID>\n</samlp:LogoutRequest>',
              },
            ],
          },
        ],
      }),
      step(3, 'expect', 'expect not signed in', {
        status: 'failed',
        message,
        expected: 'not signed in',
        actual: 'signed in as alice',
        screenshot: screenshotPath,
      }),
    ],
    failure: {
      step: 3,
      text: 'expect not signed in',
      message,
      expected: 'not signed in',
      actual: 'signed in as alice',
    },
  }
}

function missingAttributeOidc(): ScenarioResult {
  return {
    id: 'mapping.missing-attribute [oidc]',
    scenarioId: 'mapping.missing-attribute',
    title: 'A user without an email address signs in; the email field stays empty',
    file: 'scenarios/catalogue/mapping.yaml',
    protocol: 'oidc',
    driver: 'http',
    tags: ['mapping'],
    rules: ['MAP-3'],
    status: 'passed',
    durationMs: 88,
    steps: [
      step(1, 'login', 'log in at the IdP as dave'),
      step(2, 'expect', 'expect contact field email is empty'),
    ],
  }
}
