import { gunzipSync } from 'node:zlib'
import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { renderHtml } from './html.tsx'
import type { ScenarioResult } from './model.ts'
import { rerunCommand } from './rerun-command.ts'
import {
  failedStepOf,
  passingReport,
  samplePng,
  sampleReport,
  screenshotPath,
} from './test-support.ts'

function page(html: string) {
  const document = parse(html)
  const text = (selector: string) => document.querySelector(selector)?.text.trim()
  return { document, text }
}

describe('renderHtml', () => {
  it('shows the summary counts and how the run was made under stable ids', () => {
    const { document, text } = page(renderHtml(sampleReport()))
    expect(document.querySelector('body')?.getAttribute('data-verdict')).toBe('failed')
    expect(text('#count-total')).toBe('5')
    expect(text('#count-passed')).toBe('3')
    expect(text('#count-failed')).toBe('2')
    expect(text('#count-rules-covered')).toBe('1 of 7')
    expect(text('#run-duration')).toBe('1.8 s')
    expect(text('#run-driver')).toBe('http')
    expect(text('#run-seed')).toBe('20250314')
    expect(text('#run-shard')).toBe('1/2')
    expect(text('#run-filters')).toContain('grep sign-in|session|logout|mapping')
    expect(text('#verdict')).toBe('Failed: 2 of 5 scenarios')
  })

  it('renders one block per result, failed ones open, with the data the filters read', () => {
    const { document } = page(renderHtml(sampleReport()))
    const blocks = document.querySelectorAll('details.scenario')
    expect(blocks.map((block) => block.getAttribute('data-result-id'))).toEqual([
      'sign-in.first-time [saml]',
      'sign-in.first-time [jwt]',
      'session.expiry-48h [saml]',
      'logout.idp-initiated [saml]',
      'mapping.missing-attribute [oidc]',
    ])
    expect(blocks.map((block) => block.hasAttribute('open'))).toEqual([
      false,
      false,
      true,
      true,
      false,
    ])
    const [first] = blocks
    expect(first?.getAttribute('data-status')).toBe('passed')
    expect(first?.getAttribute('data-protocol')).toBe('saml')
    expect(JSON.parse(first?.getAttribute('data-tags') ?? '')).toEqual(['sign-in', 'smoke'])
    const options = document.querySelectorAll('#filter-protocol option')
    expect(options.map((option) => option.getAttribute('value'))).toEqual([
      '',
      'jwt',
      'oidc',
      'saml',
    ])
    expect(document.querySelector('#filters')?.hasAttribute('hidden')).toBe(true)
  })

  it('lists the steps with marks, expected vs actual on the failing one, and its trace open', () => {
    const { document } = page(renderHtml(sampleReport()))
    const expiry = document.querySelector('#result-3')
    const steps = expiry?.querySelectorAll('li.step') ?? []
    expect(steps.map((step) => step.querySelector('.mark')?.text)).toEqual([
      '✓',
      '✓',
      '✗',
      '–',
      '–',
    ])
    expect(steps.map((step) => step.classList.value[1])).toEqual([
      'passed',
      'passed',
      'failed',
      'not-run',
      'not-run',
    ])
    const failing = steps[2]
    expect(failing?.querySelector('.message')?.text).toContain('not signed in after 47h59m')
    expect(failing?.querySelector('.expected pre')?.text).toBe(
      'signed in as alice (Alice Andersen)',
    )
    expect(failing?.querySelector('.actual pre')?.text).toBe(
      'not signed in\nthe SP showed the error page SAML_SESSION_EXPIRED',
    )
    expect(failing?.querySelector('details.trace')?.hasAttribute('open')).toBe(true)
    expect(failing?.querySelector('.exchange .method')?.text).toBe('GET')
    expect(failing?.querySelector('.exchange .url')?.text).toBe('http://127.0.0.1:7100/chat')
    expect(failing?.querySelector('.exchange .http-status')?.text).toBe('401')
    expect(failing?.querySelector('.exchange .party')?.text).toBe('sp')
    // A passing step's trace is there but closed, its decoded SAML in a <pre>.
    const login = steps[0]
    expect(login?.querySelector('details.trace')?.hasAttribute('open')).toBe(false)
    const decoded = login?.querySelectorAll('.decoded pre').map((pre) => pre.text) ?? []
    expect(decoded.some((text) => text.includes('<saml:NameID>alice</saml:NameID>'))).toBe(true)
  })

  it('opens the last earlier trace when the failing step made no HTTP exchange', () => {
    const { document } = page(renderHtml(sampleReport()))
    const steps = document.querySelectorAll('#result-4 li.step')
    expect(steps.map((step) => step.querySelector('details.trace')?.hasAttribute('open'))).toEqual([
      false,
      true,
      undefined,
    ])
  })

  it('embeds a screenshot it was handed as a PNG data URL, and links one it was not', () => {
    const png = samplePng()
    const embedded = page(renderHtml(sampleReport(), { screenshots: { [screenshotPath]: png } }))
    const src = embedded.document.querySelector('#result-4 figure img')?.getAttribute('src')
    expect(src).toBe(`data:image/png;base64,${Buffer.from(png).toString('base64')}`)

    const linked = page(renderHtml(sampleReport()))
    expect(linked.document.querySelector('#result-4 .screenshot a')?.getAttribute('href')).toBe(
      screenshotPath,
    )
  })

  it('never turns a screenshot path into a javascript: link', () => {
    const report = sampleReport()
    const step = report.scenarios[3]?.steps[2]
    if (!step) throw new Error('fixture changed')
    step.screenshot = 'javascript:alert(1)'
    const { document } = page(renderHtml(report))
    expect(document.querySelector('#result-4 .screenshot a')).toBeNull()
    expect(document.querySelector('#result-4 .screenshot code')?.text).toBe('javascript:alert(1)')
  })

  it('tables every rule with the results proving it, and marks the ones without any', () => {
    const { document } = page(renderHtml(sampleReport()))
    const rows = document.querySelectorAll('#rules tbody tr')
    expect(rows.map((row) => row.getAttribute('data-rule-id'))).toEqual([
      'SIGNIN-1',
      'MAP-1',
      'MAP-3',
      'SESSION-2',
      'LOGOUT-2',
      'ROUTE-1',
      'SEARCH-1',
    ])
    const uncovered = document.querySelectorAll('#rules tr.rule-uncovered')
    expect(uncovered.map((row) => row.getAttribute('data-rule-id'))).toEqual([
      'ROUTE-1',
      'SEARCH-1',
    ])
    expect(uncovered[0]?.querySelectorAll('td').map((cell) => cell.text)).toEqual([
      'ROUTE-1',
      'Signed-in visitors are routed to their team',
      'Routing',
      'no scenario',
      'none',
      'none',
    ])
    const oneSided = document.querySelectorAll('#rules tr.rule-one-sided')
    expect(oneSided.map((row) => row.getAttribute('data-rule-id'))).toEqual(['MAP-1', 'MAP-3'])
    const [positive, negative] = rows[0]?.querySelectorAll('td').slice(4) ?? []
    expect(positive?.querySelectorAll('a').map((link) => link.getAttribute('href'))).toEqual([
      '#result-1',
    ])
    expect(negative?.querySelectorAll('a').map((link) => link.text)).toEqual([
      'sign-in.first-time [jwt]',
    ])
    expect(document.querySelector('#rules tr.rule-failing')?.getAttribute('data-rule-id')).toBe(
      'SESSION-2',
    )
  })

  it("keeps a passed result's traces packed, gzipped, and a failed one's inline", () => {
    const report = sampleReport()
    const { document } = page(renderHtml(report))
    const packed = document.querySelector('#trace-data')?.text ?? ''
    const traces: string[] = JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString())
    const passed = document.querySelector('#result-1 details.trace')
    expect(passed?.querySelector('.exchange')).toBeNull()
    const number = Number(passed?.getAttribute('data-trace'))
    expect(traces[number]).toContain('class="exchange"')
    expect(document.querySelector('#result-3 details.trace')?.hasAttribute('data-trace')).toBe(
      false,
    )
    expect(document.querySelector('#result-3 .rerun code')?.text).toBe(
      rerunCommand(report.scenarios[2] as ScenarioResult, report.options),
    )
    expect(document.querySelector('#result-1 .rerun')).toBeNull()
  })

  it('groups the results by scenario file, each with its counts', () => {
    const { document } = page(renderHtml(sampleReport()))
    const groups = document.querySelectorAll('.file-group')
    expect(groups.map((group) => group.getAttribute('data-file'))).toEqual([
      'scenarios/catalogue/sign-in.yaml',
      'scenarios/catalogue/sessions.yaml',
      'scenarios/catalogue/logout.yaml',
      'scenarios/catalogue/mapping.yaml',
    ])
    expect(groups[0]?.querySelectorAll('details.scenario')).toHaveLength(2)
    expect(groups[1]?.querySelector('h3')?.text).toContain('1 run · 1 failed')
  })

  it('escapes markup in report content: a <script> in a step message stays text', () => {
    const report = sampleReport()
    const step = failedStepOf(report)
    step.message = '<script>alert("pwned")</script> & <img src=x onerror=alert(1)>'
    step.expected = '</pre><b>bold</b>'
    const [first] = report.scenarios
    if (!first) throw new Error('fixture changed')
    first.title = '"><svg onload=alert(1)>'
    first.tags.push('" onmouseover="alert(1)')
    const html = renderHtml(report)

    // One script of the report's own; the packed traces are a data block, never run.
    expect(html.match(/<script(?! type="application\/gzip;base64")/g)).toHaveLength(1)
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<svg')
    expect(html).not.toContain('<b>bold</b>')
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;')
    const { document } = page(html)
    expect(document.querySelector('#result-3 li.step.failed .message')?.text).toBe(step.message)
    expect(document.querySelector('#result-3 li.step.failed .expected pre')?.text).toBe(
      '</pre><b>bold</b>',
    )
    expect(
      JSON.parse(document.querySelector('#result-1')?.getAttribute('data-tags') ?? ''),
    ).toEqual(['sign-in', 'smoke', '" onmouseover="alert(1)'])
    expect(document.querySelector('#result-1')?.hasAttribute('onmouseover')).toBe(false)
  })

  it('is self-contained: no external stylesheet, script, image or font', () => {
    const html = renderHtml(sampleReport(), { screenshots: { [screenshotPath]: samplePng() } })
    const { document } = page(html)
    expect(document.querySelectorAll('link')).toHaveLength(0)
    expect(document.querySelectorAll('script[src]')).toHaveLength(0)
    const sources = document.querySelectorAll('[src]').map((element) => element.getAttribute('src'))
    expect(sources.every((src) => src?.startsWith('data:image/png;base64,'))).toBe(true)
    expect(html).not.toMatch(/url\(|@import/)
  })

  it('says so when every scenario passed', () => {
    const { document, text } = page(renderHtml(passingReport()))
    expect(document.querySelector('body')?.getAttribute('data-verdict')).toBe('passed')
    expect(text('#verdict')).toBe('Passed: all 3 scenarios')
    expect(text('#count-failed')).toBe('0')
    expect(document.querySelectorAll('details.scenario[open]')).toHaveLength(0)
    expect(document.querySelectorAll('#rules tr.rule-uncovered')).toHaveLength(0)
  })
})
