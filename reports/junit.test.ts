import type { Document, Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { parseXml } from '../core/xml/index.ts'
import { renderJunit } from './junit.ts'
import { failedStepOf, passingReport, sampleReport } from './test-support.ts'

function elements(doc: Document, name: string): Element[] {
  return Array.from(doc.getElementsByTagName(name))
}

function properties(testcase: Element): Record<string, string> {
  const list = elements(testcase as unknown as Document, 'property')
  return Object.fromEntries(list.map((p) => [p.getAttribute('name'), p.getAttribute('value')]))
}

describe('renderJunit', () => {
  it('counts every result × protocol and groups testcases into one suite per scenario file', () => {
    const doc = parseXml(renderJunit(sampleReport()))
    const root = doc.documentElement
    expect(root.tagName).toBe('testsuites')
    expect(root.getAttribute('name')).toBe('ssoproof')
    expect(root.getAttribute('tests')).toBe('5')
    expect(root.getAttribute('failures')).toBe('2')
    expect(root.getAttribute('time')).toBe('1.834')

    const suites = elements(doc, 'testsuite')
    expect(suites.map((suite) => suite.getAttribute('name'))).toEqual([
      'scenarios/catalogue/sign-in.yaml',
      'scenarios/catalogue/sessions.yaml',
      'scenarios/catalogue/logout.yaml',
      'scenarios/catalogue/mapping.yaml',
    ])
    expect(suites.map((suite) => suite.getAttribute('tests'))).toEqual(['2', '1', '1', '1'])
    expect(suites.map((suite) => suite.getAttribute('failures'))).toEqual(['0', '1', '1', '0'])
    expect(suites[0]?.getAttribute('time')).toBe('0.308')

    const testcases = elements(doc, 'testcase')
    expect(testcases.map((testcase) => testcase.getAttribute('name'))).toEqual([
      'sign-in.first-time [saml]',
      'sign-in.first-time [jwt]',
      'session.expiry-48h [saml]',
      'logout.idp-initiated [saml]',
      'mapping.missing-attribute [oidc]',
    ])
    expect(testcases[0]?.getAttribute('classname')).toBe('scenarios.catalogue.sign-in')
    expect(testcases[0]?.getAttribute('time')).toBe('0.212')
  })

  it('puts rules, tags, protocol and driver into each testcase’s properties', () => {
    const doc = parseXml(renderJunit(sampleReport()))
    const [first, , , logout] = elements(doc, 'testcase')
    expect(first && properties(first)).toMatchObject({
      scenario: 'sign-in.first-time',
      protocol: 'saml',
      driver: 'http',
      rules: 'SIGNIN-1, MAP-1',
      tags: 'sign-in, smoke',
    })
    expect(logout && properties(logout)).toMatchObject({ driver: 'browser', rules: 'LOGOUT-2' })
  })

  it('reports a failure with the step in its message, expected vs actual, the steps and the trace', () => {
    const doc = parseXml(renderJunit(sampleReport()))
    const failures = elements(doc, 'failure')
    expect(failures).toHaveLength(2)
    const [expiry] = failures
    expect(expiry?.getAttribute('message')).toBe(
      'step 3: expect signed in as alice: the visitor was not signed in after 47h59m; the SP showed SAML_SESSION_EXPIRED at /chat',
    )
    expect(expiry?.getAttribute('type')).toBe('expect')
    const body = expiry?.textContent ?? ''
    expect(body).toContain('Expected: signed in as alice (Alice Andersen)')
    expect(body).toContain(
      'Actual:   not signed in\n          the SP showed the error page SAML_SESSION_EXPIRED',
    )
    expect(body.indexOf('Expected:')).toBeLessThan(body.indexOf('Steps:'))
    expect(body).toContain('  ✓ 1. log in at the IdP as alice (login, 4 ms)')
    expect(body).toContain('  ✗ 3. expect signed in as alice (expect, 6 ms)')
    expect(body).toContain('  – 4. advance time by 1m (advance, not run)')
    expect(body).toContain('Protocol trace of step 3:')
    expect(body).toContain('GET http://127.0.0.1:7100/chat → 401 (sp, 2025-03-16T08:59:00.000Z)')
    expect(body).toContain('[json] response body: error SAML_SESSION_EXPIRED')
    expect(body).toContain('"code": "SAML_SESSION_EXPIRED"')
    // Only the failing step's trace: step 1's SAML exchange is not repeated.
    expect(body).not.toContain('AuthnRequest')
  })

  it('shows the decoded SAML of the failing step’s trace, and the screenshot path', () => {
    const report = sampleReport()
    const [, , , logout] = report.scenarios
    const failing = logout?.steps[2]
    const login = logout?.steps[0]
    if (!failing || !login) throw new Error('fixture changed')
    failing.trace = login.trace
    const body = parseXml(renderJunit(report)).getElementsByTagName('failure')[1]?.textContent
    expect(body).toContain('[saml] SAMLRequest (redirect): AuthnRequest · Issuer')
    expect(body).toContain('Location: http://127.0.0.1:7000/saml/sso?SAMLRequest=[412 chars]')
    expect(body).toContain('          <saml:NameID>alice</saml:NameID>')
    expect(body).toContain('password=[redacted]')
    expect(body).toContain('Screenshot: screenshots/logout.idp-initiated-saml.png')
  })

  it('shows the last earlier step’s trace when the failing step made no HTTP exchange', () => {
    const body = parseXml(renderJunit(sampleReport())).getElementsByTagName('failure')[1]
      ?.textContent
    expect(body).toContain(
      'Protocol trace: step 3 made no HTTP exchange; the last before it, step 2:\n  GET http://127.0.0.1:7100/saml/slo?SAMLRequest=[388 chars] → 302',
    )
    expect(body).toContain('[saml] SAMLRequest (query): LogoutRequest · Issuer')
    expect(body).not.toContain('AuthnRequest')
  })

  it('strips characters XML 1.0 forbids and ANSI colours, and escapes markup', () => {
    const report = sampleReport()
    const step = failedStepOf(report)
    const awkward =
      'bad\u0000 \u001b[31mred\u001b[0m \u0007bell \ud800lone ]]> <x a="1"> & \ufffe\u0085end'
    step.message = awkward
    step.actual = awkward
    const result = report.scenarios[2]
    if (!result?.failure) throw new Error('fixture changed')
    result.failure.message = awkward
    result.failure.actual = awkward
    result.title = 'title\u0001'

    const xml = renderJunit(report)
    const doc = parseXml(xml)
    const element = doc.getElementsByTagName('failure')[0]
    expect(element?.getAttribute('message')).toBe(
      'step 3: expect signed in as alice: bad red bell lone ]]> <x a="1"> & end',
    )
    expect(element?.textContent).toContain('Actual:   bad red bell lone ]]> <x a="1"> & end')
    expect(properties(doc.getElementsByTagName('testcase')[2] as Element).title).toBe('title')
    expect(xml).not.toMatch(/(?![\t\n\r])\p{Cc}|\p{Cs}/u)
  })

  it('has no failure element when every scenario passed', () => {
    const doc = parseXml(renderJunit(passingReport()))
    expect(doc.documentElement?.getAttribute('failures')).toBe('0')
    expect(elements(doc, 'testcase')).toHaveLength(3)
    expect(elements(doc, 'failure')).toHaveLength(0)
  })
})
