import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown.ts'
import { failedStepOf, passingReport, sampleReport } from './test-support.ts'

/** The rows of the first Markdown table after `header`, split into cells (escaped `\|` kept). */
function tableAfter(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n')
  const start = lines.indexOf(header)
  const rows: string[][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    )
  }
  return rows
}

const failedHeader = '| scenario | protocol | failing step | message |'

describe('renderMarkdown', () => {
  it('opens with the verdict and counts, then a row per failed result', () => {
    const markdown = renderMarkdown(sampleReport())
    expect(markdown.split('\n')[0]).toBe('## ❌ ssoproof: 2 of 5 scenarios failed')
    expect(markdown).toContain(
      '3 passed · 2 failed · 5 total in 1.8 s · driver `http` · seed `20250314` · shard 1/2',
    )
    expect(tableAfter(markdown, failedHeader)).toEqual([
      [
        '`session.expiry-48h [saml]`',
        'saml',
        '3. expect signed in as alice',
        'the visitor was not signed in after 47h59m; the SP showed SAML\\_SESSION\\_EXPIRED at /chat',
      ],
      [
        '`logout.idp-initiated [saml]`',
        'saml',
        '3. expect not signed in',
        'the messenger still shows Alice Andersen after the IdP-initiated logout',
      ],
    ])
  })

  it('escapes pipes, line breaks and markup so a message cannot break the table', () => {
    const report = sampleReport()
    const step = failedStepOf(report)
    const result = report.scenarios[2]
    if (!result?.failure) throw new Error('fixture changed')
    result.failure.message = 'left | right\nsecond line <script>alert(1)</script> *bold* [link](x)'
    step.message = result.failure.message
    result.id = 'odd|id `tick`'

    const markdown = renderMarkdown(report)
    const [row] = tableAfter(markdown, failedHeader)
    expect(row).toHaveLength(4)
    expect(row?.[0]).toBe('`` odd\\|id `tick` ``')
    expect(row?.[3]).toBe(
      'left \\| right<br>second line \\<script\\>alert(1)\\</script\\> \\*bold\\* \\[link\\](x)',
    )
    expect(markdown).not.toContain('<script>')
  })

  it('states rules coverage: covered needs + and −; the one-sided, failing and uncovered ids', () => {
    const markdown = renderMarkdown(sampleReport())
    expect(markdown).toContain(
      '**Rules:** 1 of 7 covered · + only: `MAP-1` · − only: `MAP-3` · failing: `SESSION-2`, `LOGOUT-2` · uncovered: `ROUTE-1`, `SEARCH-1`\n',
    )
  })

  it('states the rules proven by mutation and those whose mutants survived', () => {
    const report = sampleReport()
    const [signIn, map] = report.rules
    if (!signIn || !map) throw new Error('fixture changed')
    signIn.mutation = { mutants: 2, killed: 2, survivors: [], invalid: [], proven: true }
    map.mutation = {
      mutants: 1,
      killed: 0,
      survivors: [{ file: 'sp/x.ts', why: 'drops a field' }],
      invalid: [],
      proven: false,
    }
    report.summary.rulesProven = 1
    expect(renderMarkdown(report)).toContain(
      '**Rules:** 1 of 7 covered · 1 of 7 proven by mutation · + only',
    )
    expect(renderMarkdown(report)).toContain('· not proven by mutation: `MAP-1`\n')
  })

  it('totals the results by protocol', () => {
    const markdown = renderMarkdown(sampleReport())
    expect(tableAfter(markdown, '| protocol | passed | failed | total |')).toEqual([
      ['jwt', '1', '0', '1'],
      ['oidc', '1', '0', '1'],
      ['saml', '1', '2', '3'],
    ])
  })

  it('stays short when everything passed: no failure table', () => {
    const markdown = renderMarkdown(passingReport())
    expect(markdown.split('\n')[0]).toBe('## ✅ ssoproof: all 3 scenarios passed')
    expect(markdown).not.toContain(failedHeader)
    expect(markdown).toContain('**Rules:** 1 of 1 covered\n')
    expect(markdown).toContain('**By protocol:** jwt 1 · oidc 1 · saml 1, all passed\n')
    expect(markdown.trim().split('\n')).toHaveLength(7)
  })

  it('cuts a very long message and a very long failure list', () => {
    const report = sampleReport()
    const template = report.scenarios[2]
    if (!template?.failure) throw new Error('fixture changed')
    template.failure.message = 'x'.repeat(1000)
    report.scenarios = Array.from({ length: 60 }, (_, i) => ({ ...template, id: `s${i} [saml]` }))
    const markdown = renderMarkdown(report)
    const rows = tableAfter(markdown, failedHeader)
    expect(rows).toHaveLength(50)
    expect(rows[0]?.[3]).toBe(`${'x'.repeat(299)}…`)
    expect(markdown).toContain('…and 10 more failed; see the HTML report.')
  })
})
