import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'
import { noIdentityText } from '../../harness/attack/identity.ts'
import type { Severity } from '../../harness/attack/severity.ts'
import type { ScenarioResult } from '../../reports/model.ts'

/**
 * What a real SP did with one case of `ssoproof attack`: `off-site` when a hostile return path
 * sent the browser off the SP's host (catalogue case 32), whether or not it signed in first.
 */
export type Verdict = 'accepted' | 'refused' | 'off-site'

const verdicts: readonly string[] = ['accepted', 'refused', 'off-site'] satisfies Verdict[]

/** One case as an attack cell attaches it (`attack` in the cell's result) for the table. */
export interface AttackLine {
  id: string
  /** The case of docs/security-catalogue.md it files under. */
  catalogue: number | undefined
  verdict: Verdict
  /** The case failed: the SP accepted a forgery, or refused a valid message. */
  finding: boolean
  severity: Severity
  /** Who the SP's own session page showed, for an accepted case. */
  identity: string | undefined
  /** The SP's final page named the user (or a forged identity): a session, not an error page. */
  identityShown: boolean
  takeover: boolean
  /** How long the case took, from the SP's login URL to its last answer (the kit's run included). */
  durationMs: number
}

/** One attack cell's run: the SP (its lab peer) and every case with its verdict. */
export interface AttackSheet {
  sp: string
  title: string
  lines: AttackLine[]
}

/** The verdicts the lab expects, per SP (peer id), case by case: kept in the repo, asserted. */
export type ExpectedVerdicts = Record<string, Record<string, Verdict>>

export const expectedPath = fileURLToPath(new URL('expected.yaml', import.meta.url))

export function readExpected(text: string = readFileSync(expectedPath, 'utf8')): ExpectedVerdicts {
  const parsed: unknown = parse(text)
  if (!parsed || typeof parsed !== 'object') throw new Error(`${expectedPath}: not a mapping`)
  for (const [sp, cases] of Object.entries(parsed)) {
    for (const [id, verdict] of Object.entries((cases ?? {}) as Record<string, unknown>)) {
      if (typeof verdict !== 'string' || !verdicts.includes(verdict)) {
        throw new Error(
          `${expectedPath}: ${sp}.${id} must be one of ${verdicts.join(', ')}, got ${verdict}`,
        )
      }
    }
  }
  return parsed as ExpectedVerdicts
}

export function lineOf(result: ScenarioResult, accepted: boolean): AttackLine {
  return {
    id: result.id,
    catalogue: result.catalogue?.[0],
    verdict: result.attack?.offSite ? 'off-site' : accepted ? 'accepted' : 'refused',
    finding: result.status === 'failed',
    severity: result.attack?.severity ?? 'info',
    identity: result.attack?.identity,
    identityShown:
      result.attack?.identity !== undefined && !result.attack.identity.startsWith(noIdentityText),
    takeover: result.attack?.takeover === true,
    durationMs: Math.round(result.durationMs),
  }
}

/** Every case whose verdict is not the expected one, or that one side lacks, as one line each. */
export function verdictDifferences(
  expected: Record<string, Verdict> | undefined,
  lines: AttackLine[],
): string[] {
  const want = expected ?? {}
  const seen = new Set(lines.map((line) => line.id))
  return [
    ...lines.flatMap((line) =>
      want[line.id] === undefined
        ? [`${line.id}: ${line.verdict}, not in the expected file`]
        : want[line.id] === line.verdict
          ? []
          : [`${line.id}: ${line.verdict}, expected ${want[line.id]}`],
    ),
    ...Object.keys(want)
      .filter((id) => !seen.has(id))
      .map((id) => `${id}: expected ${want[id]}, not sent`),
  ]
}

/** The observed verdicts in the expected file's form, to review and copy over it. */
export function renderExpected(sheets: AttackSheet[]): string {
  const body = Object.fromEntries(
    sheets.map((sheet) => [
      sheet.sp,
      Object.fromEntries(sheet.lines.map((line) => [line.id, line.verdict])),
    ]),
  )
  return `${expectedHeader}${stringify(body)}`
}

const expectedHeader = `# What each real SP of the interop lab does with every case of \`ssoproof attack\`
# (interop/cells/attack.ts asserts it: a change in ssoproof or in a peer turns the cell red).
# Written by a lab run as reports/out/interop/attack-verdicts.yaml; after checking the
# difference (docs/attack-table.md says what each acceptance means), copy it here.
`
