import { create } from 'xmlbuilder2'
import { stripControlChars } from '../../reports/control-chars.ts'
import type { DiagnosticCheck, SignInAttempt } from './attempt.ts'

/**
 * Sign-in attempts as JUnit XML, one `<testsuite>` per attempt and one `<testcase>` per check:
 * a failed check is a `<failure>` (code and reason, hint and evidence in the text), a check not
 * reached or with nothing to check against is `<skipped>`, a warning is a passing testcase whose
 * `<system-out>` carries it. CI tools read it like the `ssoproof run` report.
 */
export function renderAttemptsJunit(attempts: readonly SignInAttempt[], name: string): string {
  const all = attempts.flatMap((attempt) => attempt.checks)
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: clean(name),
    tests: String(all.length),
    failures: String(all.filter((check) => check.outcome === 'fail').length),
    errors: '0',
  })
  for (const attempt of attempts) {
    const suite = root.ele('testsuite', {
      name: clean(`${attempt.protocol} ${attempt.kind} ${attempt.id} (${attempt.binding})`),
      tests: String(attempt.checks.length),
      failures: String(attempt.checks.filter((check) => check.outcome === 'fail').length),
      errors: '0',
      skipped: String(attempt.checks.filter((check) => isSkipped(check)).length),
      timestamp: clean(attempt.at),
    })
    const properties = suite.ele('properties')
    for (const [key, value] of [
      ['verdict', attempt.verdict],
      ['protocol', attempt.protocol],
      ['binding', attempt.binding],
      ['kind', attempt.kind],
    ] as const) {
      properties.ele('property', { name: key, value: clean(value) })
    }
    for (const check of attempt.checks) {
      const testcase = suite.ele('testcase', {
        name: clean(check.check),
        classname: clean(`ssoproof.sp.${attempt.protocol}.${check.source}`),
      })
      if (check.outcome === 'fail' && check.failure) {
        const { code, reason, evidence } = check.failure
        testcase
          .ele('failure', { message: clean(`${code}: ${reason}`), type: clean(code) })
          .txt(
            stripControlChars(
              [
                reason,
                ...Object.entries(evidence).map(([k, v]) => `${k}: ${JSON.stringify(v)}`),
              ].join('\n'),
            ),
          )
      } else if (isSkipped(check)) {
        testcase.ele('skipped', {
          message: clean(
            check.outcome === 'not-reached' ? 'not reached' : (check.notChecked ?? ''),
          ),
        })
      }
      const out = [
        ...Object.entries(check.details).map(([key, value]) => `${key}: ${value}`),
        ...check.warnings.map((warning) => `warning ${warning.code}: ${warning.reason}`),
      ]
      if (out.length > 0) testcase.ele('system-out').txt(stripControlChars(out.join('\n')))
    }
  }
  return root.end({ prettyPrint: true })
}

function isSkipped(check: DiagnosticCheck): boolean {
  return check.outcome === 'not-reached' || check.outcome === 'not-checked'
}

function clean(value: string): string {
  return stripControlChars(value).replace(/[\r\n\t]+/g, ' ')
}
