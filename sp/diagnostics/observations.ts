import { isoInstant } from '../../core/clock/index.ts'
import { type Finding, SsoError } from '../../core/errors/index.ts'
import { parseCertificate } from '../../core/keys/index.ts'
import type { MappingOutcome } from '../accounts/map-profile.ts'
import { idField, type Mapping } from '../campaigns/settings.ts'
import type { DiagnosticCheck } from './attempt.ts'

const dayMs = 86_400_000

/** A certificate expiring within this long is a warning (as agent SSO's admin view warns). */
export const certificateWarningMs = 30 * dayMs

/**
 * Observation: each configured IdP certificate's validity window and days to expiry at `now`;
 * a warning when one expires within 30 days, has expired, or is not valid yet.
 */
export function certificateCheck(certificates: readonly string[], now: number): DiagnosticCheck {
  const details: Record<string, string> = {}
  const warnings: Finding[] = []
  certificates.forEach((text, index) => {
    const label = certificates.length > 1 ? `certificate ${index + 1}` : 'certificate'
    let parsed: ReturnType<typeof parseCertificate>
    try {
      parsed = parseCertificate(text)
    } catch (error) {
      if (!(error instanceof SsoError)) throw error
      details[label] = `unreadable: ${error.reason}`
      return
    }
    const left = parsed.notAfter.getTime() - now
    const days = Math.floor(left / dayMs)
    details[label] =
      `${parsed.subject}, valid ${isoInstant(parsed.notBefore.getTime())} to ${isoInstant(parsed.notAfter.getTime())}, ` +
      (left > 0 ? `${days} day${days === 1 ? '' : 's'} left` : 'expired')
    const notYet = parsed.notBefore.getTime() > now
    if (left <= certificateWarningMs || notYet) {
      warnings.push({
        code: 'SP_IDP_CERTIFICATE_EXPIRING',
        check: 'Certificate',
        reason: notYet
          ? `the IdP ${label} is not valid until ${isoInstant(parsed.notBefore.getTime())}`
          : left > 0
            ? `the IdP ${label} expires in ${days} day${days === 1 ? '' : 's'}`
            : `the IdP ${label} expired ${Math.floor(-left / dayMs)} days ago`,
        evidence: {
          subject: parsed.subject,
          notAfter: isoInstant(parsed.notAfter.getTime()),
          daysLeft: days,
          fingerprintSha256: parsed.fingerprintSha256,
        },
      })
    }
  })
  return {
    check: 'Certificate',
    enforces: 'diagnostics: every configured IdP certificate valid now, more than 30 days left',
    source: 'diagnostics',
    outcome: warnings.length > 0 ? 'warning' : 'pass',
    warnings,
    details,
  }
}

/**
 * Observation: the IdP's clock against the SP's, from the instant the IdP stamped on the message
 * (SAML IssueInstant, a token's iat) and the SP clock when it arrived. Positive: the IdP is
 * ahead. Transit time and whole-second stamps add a second or so. A warning past half the skew.
 */
export function clockOffsetCheck(
  stamp: string,
  value: string | number | undefined,
  now: number,
  clockSkewMs: number,
): DiagnosticCheck {
  const check = 'Clock offset'
  const enforces = `diagnostics: ${stamp} against the SP clock, within half the allowed skew`
  const issued =
    typeof value === 'number' ? value * 1000 : value === undefined ? Number.NaN : Date.parse(value)
  if (!Number.isFinite(issued)) {
    return {
      check,
      enforces,
      source: 'diagnostics',
      outcome: 'not-checked',
      notChecked: `the message carries no readable ${stamp}`,
      warnings: [],
      details: {},
    }
  }
  const offsetMs = issued - now
  const seconds = Math.round(offsetMs / 1000)
  const details = {
    [stamp]: isoInstant(issued),
    'SP clock': isoInstant(now),
    'IdP clock offset': `${seconds > 0 ? '+' : ''}${seconds} s (${seconds === 0 ? 'in step' : seconds > 0 ? 'IdP ahead' : 'IdP behind'})`,
    'allowed skew': `${clockSkewMs / 1000} s`,
  }
  const warnings: Finding[] =
    Math.abs(offsetMs) > clockSkewMs / 2
      ? [
          {
            code: 'SP_CLOCK_OFFSET',
            check,
            reason: `the IdP clock is ${Math.abs(seconds)} s ${seconds > 0 ? 'ahead of' : 'behind'} the SP clock`,
            evidence: { offsetSeconds: seconds, skewSeconds: clockSkewMs / 1000 },
          },
        ]
      : []
  return {
    check,
    enforces,
    source: 'diagnostics',
    outcome: warnings.length > 0 ? 'warning' : 'pass',
    warnings,
    details,
  }
}

/**
 * Observation: which mapped attributes (claims) arrived and which are missing, from the SP's own
 * mapping outcome (accounts/map-profile.ts). Missing optional ones are a warning; a missing
 * required one is the SP's own refusal (SP_REQUIRED_ATTRIBUTE_MISSING), shown as a failure.
 */
export function mappingCheck(
  mappings: readonly Mapping[],
  outcome: MappingOutcome | undefined,
  refusal: Finding | undefined,
): DiagnosticCheck {
  const check = 'Data mapping'
  const enforces = 'mapped attributes present; required ones refuse the sign-in when missing'
  if (!outcome) {
    return {
      check,
      enforces,
      source: 'diagnostics',
      outcome: 'not-reached',
      warnings: [],
      details: {},
    }
  }
  const missing = new Map(outcome.missing.map((entry) => [entry.attribute, entry]))
  const sentAs = (names: readonly string[]) =>
    names.length > 0 ? `; sent as ${names.map((name) => clip(name)).join(', ')}?` : ''
  const details: Record<string, string> = {}
  for (const mapping of mappings) {
    const absent = missing.get(mapping.attribute)
    details[`${mapping.attribute} → ${mapping.field}`] = absent
      ? `missing${mapping.required ? ' (required)' : ''}${sentAs(absent.nearMisses)}`
      : mapping.field === idField && outcome.id === undefined
        ? 'not sent (needed only with a transient NameID)'
        : 'present'
  }
  const warnings: Finding[] = outcome.missing
    .filter((entry) => !entry.required)
    .map((entry) => ({
      code: 'SP_MAPPED_ATTRIBUTE_MISSING',
      check,
      reason: `the IdP did not send ${entry.attribute} (mapped to ${entry.field}); the field stays empty${entry.nearMisses.length > 0 ? `. It sent ${entry.nearMisses.map((name) => clip(name)).join(', ')}: map that name instead?` : ''}`,
      evidence: {
        attribute: entry.attribute,
        field: entry.field,
        ...(entry.nearMisses.length > 0 ? { sentUnderAnotherName: entry.nearMisses } : {}),
      },
    }))
  return {
    check,
    enforces,
    source: 'diagnostics',
    outcome: refusal ? 'fail' : warnings.length > 0 ? 'warning' : 'pass',
    ...(refusal ? { failure: refusal } : {}),
    warnings,
    details,
  }
}

function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
