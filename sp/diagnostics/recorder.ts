import type { Document } from '@xmldom/xmldom'
import type { Context } from 'hono'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { DecodedLogout } from '../../core/saml/logout-binding.ts'
import type { DecodedMessage } from '../../core/trace/decode.ts'
import { decodeSamlXml } from '../../core/trace/decode.ts'
import { rootElement, serializeXml } from '../../core/xml/index.ts'
import type { MappingOutcome } from '../accounts/map-profile.ts'
import type { AcsContext } from '../acs/context.ts'
import type { ResponseValidationSettings } from '../acs/settings.ts'
import type { CheckReport } from '../acs/validate-response.ts'
import type { ArtifactTrace } from '../artifact/receive-artifact.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import type { SamlSeen } from './saml-details.ts'

/**
 * The hooks the SP's sign-in handlers call when `ssoproof sp` turned diagnostics on
 * (SpContext.diagnostics); unset, the handlers behave exactly as without them. Each hook only
 * records what the handler already has; none changes a decision.
 */
export interface SignInHooks {
  /**
   * ACS: the parsed Response before validation; returns validateResponse's listener, which also
   * keeps what the checks decrypted (EncryptedAssertion, EncryptedID) for the details.
   */
  samlResponse(
    c: Context,
    doc: Document,
    settings: ResponseValidationSettings,
  ): (report: CheckReport, ctx: Readonly<AcsContext>) => void
  /** ACS, HTTP-Artifact: the trace receiveArtifact fills in as the artifact is resolved. */
  artifact(c: Context): ArtifactTrace
  /** JWT and OIDC: a token as received (`token`, `id_token`), decoded for display only. */
  token(c: Context, source: string, token: string): void
  /** OIDC: the userinfo claims, once fetched. */
  userinfo(c: Context, claims: Record<string, unknown>): void
  /** completeSignIn: who signed in and what the campaign's mapping made of it. */
  signedIn(c: Context, subject: SignedInSubject, mapping: MappingOutcome): void
  /** /saml/slo: the decoded logout message before its checks; returns their listener. */
  logoutChecks(c: Context, decoded: DecodedLogout): (report: CheckReport) => void
  /** /saml/slo, a LogoutRequest that passed: how many sessions ended, the status answered. */
  logoutAnswered(c: Context, answer: LogoutAnswer): void
}

/** What the SP did with an IdP's LogoutRequest that passed its checks. */
export interface LogoutAnswer {
  ended: number
  status: string
  to: string
}

/** How the diagnostics name the Response the ACS validated among an attempt's messages. */
export const validatedResponseSource = 'SAML Response (as validated)'

/** What one request's sign-in attempt has told the hooks so far. */
export interface Draft {
  at: number
  reports?: CheckReport[]
  /** The Response as received and what the ACS checks read from it, decrypted. */
  saml?: SamlSeen
  /** HTTP-Artifact: how far resolution got, what was sent and answered. */
  artifact?: ArtifactTrace
  messages: DecodedMessage[]
  token?: { header: Record<string, unknown>; claims: Record<string, unknown> }
  userinfo?: Record<string, unknown>
  subject?: SignedInSubject
  mapping?: MappingOutcome
  /** /saml/slo: the logout message as decoded, and the answer to a LogoutRequest. */
  logout?: { decoded: DecodedLogout; answer?: LogoutAnswer }
}

/** Per-request drafts, keyed by the request, so concurrent sign-ins never mix. */
export function createRecorder(now: () => number): SignInHooks & {
  begin(c: Context): Draft
  take(c: Context): Draft | undefined
} {
  const drafts = new WeakMap<Request, Draft>()
  const draftOf = (c: Context) => {
    let draft = drafts.get(c.req.raw)
    if (!draft) {
      draft = { at: now(), messages: [] }
      drafts.set(c.req.raw, draft)
    }
    return draft
  }
  return {
    begin: draftOf,
    take(c) {
      const draft = drafts.get(c.req.raw)
      drafts.delete(c.req.raw)
      return draft
    },
    samlResponse(c, doc, settings) {
      const draft = draftOf(c)
      const response = rootElement(doc)
      const reports: CheckReport[] = []
      const seen: SamlSeen = { response, settings }
      draft.reports = reports
      draft.saml = seen
      draft.messages.push(decodeSamlXml(serializeXml(response), validatedResponseSource))
      return (report, ctx) => {
        reports.push(report)
        if (ctx.assertion && ctx.assertion.ownerDocument !== response.ownerDocument) {
          if (seen.decryptedAssertion === undefined) {
            draft.messages.push(
              decodeSamlXml(serializeXml(ctx.assertion), 'Assertion (decrypted by the SP)'),
            )
          }
          seen.decryptedAssertion = ctx.assertion
        }
        if (ctx.nameId !== undefined) seen.nameId = { value: ctx.nameId, format: ctx.nameIdFormat }
      }
    },
    artifact(c) {
      const trace: ArtifactTrace = { stage: 'artifact' }
      draftOf(c).artifact = trace
      return trace
    },
    token(c, source, token) {
      const draft = draftOf(c)
      const decoded = decodeToken(token)
      if (decoded) draft.token = decoded
      draft.messages.push({
        kind: 'jwt',
        source,
        summary: decoded
          ? `JWT ${String(decoded.header.alg)}${decoded.header.kid ? ` · kid ${String(decoded.header.kid)}` : ''}`
          : 'not a decodable JWT',
        text: decoded
          ? `${JSON.stringify(decoded.header, null, 2)}\n.\n${JSON.stringify(decoded.claims, null, 2)}\n.\n[signature redacted]`
          : '',
      })
    },
    userinfo(c, claims) {
      const draft = draftOf(c)
      draft.userinfo = claims
      draft.messages.push({
        kind: 'json',
        source: 'userinfo',
        summary: `claims: ${Object.keys(claims).join(', ')}`,
        text: JSON.stringify(claims, null, 2),
      })
    },
    signedIn(c, subject, mapping) {
      const draft = draftOf(c)
      draft.subject = subject
      draft.mapping = mapping
    },
    logoutChecks(c, decoded) {
      const draft = draftOf(c)
      const reports: CheckReport[] = []
      draft.reports = reports
      draft.logout = { decoded }
      draft.messages.push(
        decodeSamlXml(serializeXml(rootElement(decoded.document)), logoutSource(decoded)),
      )
      return (report) => reports.push(report)
    },
    logoutAnswered(c, answer) {
      const logout = draftOf(c).logout
      if (logout) logout.answer = answer
    },
  }
}

function decodeToken(
  token: string,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  try {
    return {
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      claims: decodeJwt(token) as Record<string, unknown>,
    }
  } catch {
    return undefined
  }
}

function logoutSource(decoded: DecodedLogout): string {
  return `${decoded.param === 'SAMLRequest' ? 'LogoutRequest' : 'LogoutResponse'} (as checked)`
}
