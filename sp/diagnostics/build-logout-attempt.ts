import { isoInstant } from '../../core/clock/index.ts'
import { errorCodes, type Finding } from '../../core/errors/index.ts'
import { attr, firstChildElement, ns, textContent } from '../../core/xml/index.ts'
import { escapeInvisible } from '../accounts/exact-identifier.ts'
import type { SpContext } from '../context.ts'
import { logoutRequestChecks } from '../slo/receive-logout-request.ts'
import { logoutResponseChecks } from '../slo/receive-logout-response.ts'
import type { DiagnosticCheck, SignInAttempt } from './attempt.ts'
import type { Draft } from './recorder.ts'

/** A LogoutRequest this SP sent (slo/start-logout.ts), as the diagnostics remember it. */
export interface SentLogout {
  id: string
  at: number
  destination: string
  nameId: string
  nameIdFormat: string | undefined
  sessionIndexes: string[]
}

export interface LogoutAttemptInput {
  id: string
  binding: string
  draft: Draft
  failure: Finding | undefined
  /** The LogoutRequest this SP sent that a LogoutResponse names, when it is remembered. */
  sent: (id: string) => SentLogout | undefined
}

/**
 * A logout message the SP received, as the diagnostics pages show it: each check of its table in
 * order (slo/receive-logout-*.ts), then what followed — for a LogoutResponse, the LogoutRequest
 * it answers (first) and the sign-out; for a LogoutRequest, the sessions ended and the
 * LogoutResponse sent back.
 */
export function buildLogoutAttempt(ctx: SpContext, input: LogoutAttemptInput): SignInAttempt {
  const { draft, failure } = input
  const decoded = draft.logout?.decoded
  const root = decoded?.document.documentElement ?? undefined
  const message = decoded?.param === 'SAMLRequest' ? 'LogoutRequest' : 'LogoutResponse'
  const table = message === 'LogoutRequest' ? logoutRequestChecks : logoutResponseChecks
  const inResponseTo = (root && attr(root, 'InResponseTo')) ?? null
  const validation: DiagnosticCheck[] =
    draft.reports === undefined
      ? [
          row('Message', 'SAMLRequest or SAMLResponse, once; decoded; well-formed XML', failure),
          ...table.map(([check, , enforces]) => ({
            ...row(check, enforces, undefined),
            outcome: 'not-reached' as const,
          })),
        ]
      : draft.reports.map((report) => ({ ...report, source: 'sp' as const, details: {} }))
  const passed = failure === undefined
  const checks =
    message === 'LogoutResponse'
      ? [sentRow(inResponseTo, input.sent), ...validation, signedOutRow(passed)]
      : [...validation, ...answerRows(draft, passed)]
  const nameIdEl = root && firstChildElement(root, ns.saml, 'NameID')
  return {
    id: input.id,
    kind: 'logout',
    protocol: ctx.options.protocol,
    binding: input.binding,
    at: isoInstant(draft.at),
    verdict: failure ? 'rejected' : 'accepted',
    failure: failure ? { ...failure, hint: errorCodes[failure.code].hint } : null,
    checks,
    warnings: checks.flatMap((check) => check.warnings),
    identity: nameIdEl
      ? {
          // As the sessions were keyed, exact, invisible characters escaped (carol\u3000).
          NameID: escapeInvisible(textContent(nameIdEl).slice(0, 200)),
          'NameID Format': attr(nameIdEl, 'Format') ?? null,
          NameQualifier: attr(nameIdEl, 'NameQualifier') ?? null,
          SPNameQualifier: attr(nameIdEl, 'SPNameQualifier') ?? null,
        }
      : null,
    attributes: null,
    messages: draft.messages,
    continueTo: null,
    logout: { message, inResponseTo },
  }
}

function row(check: string, enforces: string, failure: Finding | undefined): DiagnosticCheck {
  return {
    check,
    enforces,
    source: 'sp',
    outcome: failure ? 'fail' : 'pass',
    ...(failure ? { failure } : {}),
    warnings: [],
    details: {},
  }
}

/** Observation: the LogoutRequest of this SP that the response says it answers. */
function sentRow(inResponseTo: string | null, sent: LogoutAttemptInput['sent']): DiagnosticCheck {
  const request = inResponseTo === null ? undefined : sent(inResponseTo)
  const base = {
    check: 'LogoutRequest (sent)',
    enforces: 'diagnostics: the LogoutRequest this SP sent that the LogoutResponse answers',
    source: 'diagnostics' as const,
    warnings: [],
  }
  if (!request) {
    return {
      ...base,
      outcome: 'not-checked',
      notChecked:
        inResponseTo === null
          ? 'the LogoutResponse names no request'
          : 'no LogoutRequest of this SP (since it started) has this ID',
      details: {},
    }
  }
  return {
    ...base,
    outcome: 'pass',
    details: {
      ID: request.id,
      sent: isoInstant(request.at),
      to: request.destination,
      NameID: request.nameId.slice(0, 200),
      'NameID Format': request.nameIdFormat ?? '(absent)',
      SessionIndex: request.sessionIndexes.join(', ') || '(none)',
    },
  }
}

function signedOutRow(passed: boolean): DiagnosticCheck {
  return {
    check: 'Signed out',
    enforces: 'the SP session ended when the logout started; the IdP confirmed it',
    source: 'sp',
    outcome: passed ? 'pass' : 'not-reached',
    warnings: [],
    details: passed ? { 'single logout': 'confirmed by the IdP' } : {},
  }
}

/** A LogoutRequest that passed: the sessions it ended and the LogoutResponse sent back. */
function answerRows(draft: Draft, passed: boolean): DiagnosticCheck[] {
  const answer = draft.logout?.answer
  const reached = passed && answer !== undefined
  const base = { source: 'sp' as const, warnings: [] }
  return [
    {
      ...base,
      check: 'Sessions',
      enforces: 'the sessions with this IdP, NameID and SessionIndex end (saml-core §3.7.3.2)',
      outcome: reached ? 'pass' : 'not-reached',
      details: reached ? { ended: String(answer.ended) } : {},
    },
    {
      ...base,
      check: 'LogoutResponse (sent)',
      enforces: 'a signed LogoutResponse back to the IdP: Success, or UnknownPrincipal',
      outcome: reached ? 'pass' : 'not-reached',
      details: reached ? { Status: answer.status, to: answer.to } : {},
    },
  ]
}
