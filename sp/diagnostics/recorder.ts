import type { Context } from 'hono'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { DecodedMessage } from '../../core/trace/decode.ts'
import { decodeSamlXml } from '../../core/trace/decode.ts'
import { serializeXml } from '../../core/xml/index.ts'
import type { MappingOutcome } from '../accounts/map-profile.ts'
import type { ResponseValidationSettings } from '../acs/settings.ts'
import type { CheckReport } from '../acs/validate-response.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import { samlDetails, samlObservations } from './saml-details.ts'

/**
 * The hooks the SP's sign-in handlers call when `ssoproof sp` turned diagnostics on
 * (SpContext.diagnostics); unset, the handlers behave exactly as without them. Each hook only
 * records what the handler already has; none changes a decision.
 */
export interface SignInHooks {
  /** ACS: the parsed Response before validation; returns validateResponse's listener. */
  samlResponse(
    c: Context,
    doc: Document,
    settings: ResponseValidationSettings,
  ): (report: CheckReport) => void
  /** JWT and OIDC: a token as received (`token`, `id_token`), decoded for display only. */
  token(c: Context, source: string, token: string): void
  /** OIDC: the userinfo claims, once fetched. */
  userinfo(c: Context, claims: Record<string, unknown>): void
  /** completeSignIn: who signed in and what the campaign's mapping made of it. */
  signedIn(c: Context, subject: SignedInSubject, mapping: MappingOutcome): void
}

/** What one request's sign-in attempt has told the hooks so far. */
export interface Draft {
  at: number
  reports?: CheckReport[]
  samlDetails?: Record<string, Record<string, string>>
  samlObservations?: ReturnType<typeof samlObservations>
  messages: DecodedMessage[]
  token?: { header: Record<string, unknown>; claims: Record<string, unknown> }
  userinfo?: Record<string, unknown>
  subject?: SignedInSubject
  mapping?: MappingOutcome
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
      const response = doc.documentElement as Element
      draft.reports = []
      draft.samlDetails = samlDetails(response, settings, draft.at)
      draft.samlObservations = samlObservations(response, settings, draft.at)
      draft.messages.push(decodeSamlXml(serializeXml(response), 'SAML Response (as validated)'))
      const reports = draft.reports
      return (report) => reports.push(report)
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
