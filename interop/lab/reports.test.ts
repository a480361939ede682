import { describe, expect, it } from 'vitest'
import type { CellResult, LabReport } from './report.ts'
import { renderLabHtml } from './report-html.tsx'
import { renderLabJunit } from './report-junit.ts'
import { renderMatrix } from './report-markdown.ts'

function cell(row: string, flow: string, status: 'passed' | 'failed'): CellResult {
  return {
    id: `${row}/${flow}`,
    row,
    flow,
    title: `${row} ${flow}`,
    status,
    durationMs: 1200,
    observations: [
      {
        what: 'eppn',
        expected: 'alice@lab',
        actual: status === 'passed' ? 'alice@lab' : '',
        ok: status === 'passed',
      },
    ],
    failure: status === 'failed' ? 'eppn: expected alice@lab, observed <script>' : undefined,
    logs:
      status === 'failed' ? [{ file: 'shibd.log', text: 'ERROR <b>unable to resolve</b>' }] : [],
  }
}

const report: LabReport = {
  startedAt: '2030-01-01T00:00:00.000Z',
  durationMs: 61_000,
  filters: { peers: [], cells: [] },
  peers: [
    {
      id: 'shibboleth',
      title: 'Shibboleth SP',
      version: '3.4.1',
      started: true,
      startMs: 900,
      error: undefined,
    },
  ],
  rows: [
    { id: 'shibboleth', title: 'Shibboleth SP' },
    { id: 'xmlsec1', title: 'xmlsec1' },
  ],
  cells: [
    cell('shibboleth', 'post', 'passed'),
    cell('shibboleth', 'artifact', 'failed'),
    cell('xmlsec1', 'response', 'passed'),
  ],
  summary: { passed: 2, failed: 1, total: 3 },
}

describe('the lab reports', () => {
  it('draws the matrix: a row per peer, a column per flow, – where a flow does not apply', () => {
    expect(renderMatrix(report)).toBe(
      [
        '| peer | post | artifact | response |',
        '| --- | :---: | :---: | :---: |',
        '| Shibboleth SP (3.4.1) | ✓ | ✗ | – |',
        '| xmlsec1 | – | – | ✓ |',
        '',
        '2 of 3 cells passed, 1 failed.',
        '',
        '- ✗ `shibboleth/artifact`: eppn: expected alice@lab, observed <script>',
        '',
      ].join('\n'),
    )
  })

  it('writes JUnit with one suite per row, the failure and the peer log of that moment', () => {
    const junit = renderLabJunit(report)
    expect(junit).toContain('<testsuites name="ssoproof interop lab" tests="3" failures="1"')
    expect(junit).toContain('<testsuite name="shibboleth" tests="2" failures="1"')
    expect(junit).toContain('<failure message="eppn: expected alice@lab, observed &lt;script&gt;">')
    expect(junit).toContain('ERROR &lt;b&gt;unable to resolve&lt;/b&gt;')
  })

  it('writes an HTML page that escapes what peers said and opens failed cells', () => {
    const html = renderLabHtml(report)
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>unable')
    expect(html).toContain('&lt;b&gt;unable to resolve&lt;/b&gt;')
    expect(html).toMatch(/<details id="shibboleth\/artifact" open/)
    expect(html).toMatch(/<details id="shibboleth\/post">/)
  })
})
