import { fileURLToPath } from 'node:url'
import type { LabReport } from '../lab/report.ts'
import type { AttackLine, AttackSheet } from './verdicts.ts'

export const attackTablePath = fileURLToPath(new URL('../../docs/attack-table.md', import.meta.url))

/** The attack cells' sheets in a lab report, in matrix order. */
export function attackSheets(report: LabReport): AttackSheet[] {
  return report.cells.flatMap((cell) => {
    const sheet = cell.attachments?.attack as AttackSheet | undefined
    return sheet ? [sheet] : []
  })
}

/** What one SP did with one case, as the table shows it. */
export function mark(line: AttackLine | undefined): string {
  if (!line) return '–'
  if (line.finding) {
    if (line.verdict === 'refused') return 'too strict'
    if (line.verdict === 'off-site') return `${line.severity} (off-site)`
    return line.severity === 'bypass'
      ? `**bypass**${line.takeover ? ' (takeover)' : ''}`
      : line.severity
  }
  return line.verdict === 'accepted' ? '✓' : '·'
}

/**
 * "Which real SP accepts which forgery": one row per case, one column per SP, the severity of
 * every forgery an SP accepted; then each SP's findings counted, and the bypasses spelled out.
 */
export function renderAttackTable(sheets: AttackSheet[], when: { date: string }): string {
  const ids = [...new Set(sheets.flatMap((sheet) => sheet.lines.map((line) => line.id)))]
  const bySp = sheets.map((sheet) => new Map(sheet.lines.map((line) => [line.id, line])))
  const catalogue = new Map(
    sheets.flatMap((sheet) => sheet.lines.map((line) => [line.id, line.catalogue] as const)),
  )
  const counts = sheets.map((sheet) => {
    const findings = sheet.lines.filter((line) => line.finding)
    const count = (severity: string) => findings.filter((l) => l.severity === severity).length
    return `${count('bypass')} bypass, ${count('hardening')} hardening`
  })
  const lines = [
    '# Which real SP accepts which forgery',
    '',
    `\`ssoproof attack\` against every real SAML SP of the interop lab, SP-initiated, HTTP-POST,`,
    `as the lab's \`*/attack\` cells run it (${when.date}; \`npm run interop -- --write-readme\``,
    'writes this file, `interop/attack/expected.yaml` holds the verdicts the cells assert).',
    'Accepted means the SP opened a session: its own session page (not an error page) was the',
    'final page, and it showed the signed-in user.',
    '',
    '`·` refused · `✓` accepted, as it should be (the baseline and valid counterparts) ·',
    '**bypass** / hardening: a forgery accepted, with its severity (README, `ssoproof attack`) ·',
    '*too strict*: a valid message refused · *(off-site)*: a hostile RelayState sent the',
    "browser off the SP's host (catalogue case 32: an open redirect after sign-in, hardening) ·",
    '`–` not sent to that SP.',
    '',
    `| case | # | ${sheets.map((sheet) => sheet.title).join(' | ')} |`,
    `| --- | ---: | ${sheets.map(() => ':---:').join(' | ')} |`,
    `| **findings** | | ${counts.join(' | ')} |`,
    ...ids.map(
      (id) =>
        `| \`${id}\` | ${catalogue.get(id) ?? ''} | ${bySp.map((lines) => mark(lines.get(id))).join(' | ')} |`,
    ),
  ]
  const bypasses = sheets.flatMap((sheet) =>
    sheet.lines
      .filter((line) => line.finding && line.severity === 'bypass')
      .map((line) => `- ${sheet.title}: \`${line.id}\` — ${line.identity ?? 'no identity shown'}`),
  )
  lines.push('', '## Bypasses', '', ...(bypasses.length > 0 ? bypasses : ['None.']))
  return `${lines.join('\n')}\n`
}
