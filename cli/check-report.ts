import { errorCodes, type Finding } from '../core/errors/index.ts'
import { stripControlChars } from '../reports/control-chars.ts'
import type { CheckReport } from '../sp/acs/validate-response.ts'

/**
 * What `ssoproof check` prints, as text or as JSON (the same object). It never holds a secret:
 * no SignatureValue, no key, no whole token; evidence is the SP's own redacted evidence.
 */
export interface CheckSummary {
  kind: 'saml' | 'jwt'
  verdict: 'accepted' | 'rejected'
  /** The instant the check ran at (ISO 8601). */
  at: string
  /** How the input was read (`XML`, `base64`, `SAMLResponse field`, `compact JWS`, …). */
  input: string | null
  checks: CheckReport[]
  /** The failure that rejected the input, with the hint of its code. */
  failure: (Finding & { hint: string }) | null
  /** Every warning, in check order. */
  warnings: Finding[]
  /** On acceptance: who signed in, as the SP would record it. */
  identity: Record<string, string | null> | null
  attributes: Record<string, string[]> | null
  /** JWT only: the decoded protected header and claims (unverified when rejected), never the signature. */
  token?: { header: Record<string, unknown> | null; claims: Record<string, unknown> | null }
}

export function withHint(finding: Finding | undefined): (Finding & { hint: string }) | null {
  return finding ? { ...finding, hint: errorCodes[finding.code].hint } : null
}

const labels: Record<CheckReport['outcome'], string> = {
  pass: 'pass',
  warning: 'warning',
  fail: 'FAIL',
  'not-checked': 'not checked',
  'not-reached': 'not reached',
}

/** The summary as lines for a terminal; every value from the input is stripped of controls. */
export function renderText(summary: CheckSummary): string {
  const lines: string[] = []
  const warnings = summary.warnings.length
  const verdict =
    summary.verdict === 'accepted'
      ? `ACCEPTED${warnings > 0 ? ` with ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`
      : `REJECTED: ${summary.failure?.code ?? 'unknown'} at ${summary.failure?.check ?? '?'}`
  lines.push(`ssoproof check ${summary.kind}: ${verdict}`)
  lines.push(`checked at ${summary.at}${summary.input ? ` · input: ${summary.input}` : ''}`, '')
  const width = Math.max(...summary.checks.map((report) => report.check.length))
  const indent = ' '.repeat(2 + 13 + width + 2)
  for (const report of summary.checks) {
    const head = `  ${labels[report.outcome].padEnd(13)}${report.check.padEnd(width)}  `
    if (report.outcome === 'fail' && report.failure) {
      lines.push(`${head}${findingLine(report.failure)}`)
      lines.push(`${indent}hint: ${errorCodes[report.failure.code].hint}`)
      const evidence = evidenceLine(report.failure)
      if (evidence) lines.push(`${indent}evidence: ${evidence}`)
    } else if (report.outcome === 'not-checked') {
      lines.push(`${head}${clean(report.notChecked ?? '')}`)
    } else if (report.outcome === 'not-reached') {
      lines.push(head.trimEnd())
    } else {
      lines.push(`${head}${report.enforces}`)
    }
    for (const warning of report.warnings) {
      lines.push(`${indent}warning ${findingLine(warning)}`)
    }
  }
  if (summary.identity) {
    lines.push('', 'Identity')
    for (const [name, value] of Object.entries(summary.identity)) {
      if (value !== null) lines.push(`  ${name.padEnd(16)} ${clean(value)}`)
    }
  }
  if (summary.attributes && Object.keys(summary.attributes).length > 0) {
    lines.push('', 'Attributes')
    for (const [name, values] of Object.entries(summary.attributes)) {
      lines.push(`  ${clean(name).padEnd(16)} ${values.map(clean).join(', ')}`)
    }
  }
  if (summary.token) {
    lines.push('', `Token${summary.verdict === 'accepted' ? '' : ' (unverified)'}`)
    lines.push(`  header           ${clean(JSON.stringify(summary.token.header))}`)
    lines.push(`  claims           ${clean(JSON.stringify(summary.token.claims))}`)
  }
  return `${lines.join('\n')}\n`
}

function findingLine(finding: Finding): string {
  return `${finding.code} (${clean(finding.check)}): ${clean(finding.reason)}`
}

function evidenceLine(finding: Finding): string {
  return Object.entries(finding.evidence)
    .map(
      ([name, value]) =>
        `${name}=${clean(typeof value === 'string' ? value : JSON.stringify(value))}`,
    )
    .join(', ')
}

function clean(text: string): string {
  return stripControlChars(text).replace(/[\r\n\t]+/g, ' ')
}
