import type { Finding } from '../../core/errors/index.ts'
import type { DecodedMessage } from '../../core/trace/decode.ts'
import type { CheckReport } from '../acs/validate-response.ts'
import type { SpProtocol } from '../options.ts'

/**
 * One row of a diagnostics page. `source: 'sp'` rows are the SP's own validation, exactly as it
 * ran (the ACS's CheckReport list, or the step a callback's first failure ended at);
 * `source: 'diagnostics'` rows only observe (certificate expiry, clock offset, data mapping) and
 * never decide a sign-in, except where the SP itself refused (a required attribute).
 */
export interface DiagnosticCheck extends CheckReport {
  source: 'sp' | 'diagnostics'
  /** What the message said for this check, read from it (redacted), for a person to compare. */
  details: Record<string, string>
}

/**
 * One attempt at `ssoproof sp`, accepted or not: what the diagnostics pages show. Mostly a
 * sign-in; `kind: 'logout'` for a logout message the SP received at its SingleLogoutService.
 */
export interface SignInAttempt {
  id: string
  kind: 'sign-in' | 'logout'
  protocol: SpProtocol
  /** How the message arrived: `HTTP-POST`, `HTTP-Artifact`, `JWT redirect`, `OIDC code flow`, … */
  binding: string
  /** When the SP received it (ISO 8601, the SP's clock). */
  at: string
  verdict: 'accepted' | 'rejected'
  /** The failure that refused the sign-in, with the hint of its code. */
  failure: (Finding & { hint: string }) | null
  checks: DiagnosticCheck[]
  /** Every warning, in check order. */
  warnings: Finding[]
  /** Who signed in (accepted), as the SP recorded it. */
  identity: Record<string, string | null> | null
  /** The attributes or claims the SP read (accepted or mapped). */
  attributes: Record<string, string[]> | null
  /** The messages as received, decoded, with signatures, keys, tokens and codes redacted. */
  messages: DecodedMessage[]
  /** Where the SP would have sent the visitor next (accepted). */
  continueTo: string | null
  /** Logout: which message came in, and (LogoutResponse) the request it answers. */
  logout?: { message: 'LogoutRequest' | 'LogoutResponse'; inResponseTo: string | null }
}

/** How pages and reports name an attempt's kind. */
export const attemptKindTitle: Record<SignInAttempt['kind'], string> = {
  'sign-in': 'Sign-in',
  logout: 'Logout',
}

/** `1 warning`, `2 warnings`: a count with its noun, as every page and summary writes it. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/**
 * The one line every page writes about an attempt's checks: the outcomes that occurred, then the
 * warnings (every warning finding, which is also what `--check-all` counts).
 */
export function outcomeLine(attempt: SignInAttempt): string {
  const counts = countOutcomes(attempt)
  const labels: [CheckReport['outcome'], string][] = [
    ['pass', 'passed'],
    ['warning', 'passed with a warning'],
    ['fail', 'failed'],
    ['not-checked', 'not checked'],
    ['not-reached', 'not reached'],
  ]
  const outcomes = labels
    .filter(([outcome]) => counts[outcome] > 0)
    .map(([outcome, label]) => `${counts[outcome]} ${label}`)
  return `${outcomes.join(', ')} · ${counted(attempt.warnings.length, 'warning')}`
}

/** The attempt's pass/fail/warning counts, for an index line or a summary. */
export function countOutcomes(attempt: SignInAttempt): Record<CheckReport['outcome'], number> {
  const counts = { pass: 0, warning: 0, fail: 0, 'not-checked': 0, 'not-reached': 0 }
  for (const check of attempt.checks) counts[check.outcome]++
  return counts
}
