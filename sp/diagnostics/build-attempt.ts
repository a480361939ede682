import { isoInstant } from '../../core/clock/index.ts'
import { errorCodes, type Finding } from '../../core/errors/index.ts'
import { escapeInvisible } from '../accounts/exact-identifier.ts'
import { acsChecks } from '../acs/validate-response.ts'
import type { SpContext } from '../context.ts'
import type { JwtExpectations } from '../jwt/token-steps.ts'
import { idTokenRequiredClaims } from '../oidc/validate-id-token.ts'
import { artifactMessages, artifactRows } from './artifact-rows.ts'
import type { DiagnosticCheck, SignInAttempt } from './attempt.ts'
import { certificateCheck, clockOffsetCheck, mappingCheck } from './observations.ts'
import { type Draft, validatedResponseSource } from './recorder.ts'
import { samlDetails, samlObservations } from './saml-details.ts'
import { jwtCallbackSteps, oidcCallbackSteps, type TokenStep } from './token-steps.ts'

export interface AttemptInput {
  id: string
  binding: string
  draft: Draft
  failure: Finding | undefined
  continueTo: string | null
  /** OIDC: whether the authorization response carried `iss`. */
  issInResponse?: boolean
}

/** The attempt as the diagnostics pages show it, from what the hooks recorded and how it ended. */
export function buildAttempt(ctx: SpContext, input: AttemptInput): SignInAttempt {
  const { draft, failure } = input
  const protocol = ctx.options.protocol
  const validation =
    protocol === 'saml'
      ? samlChecks(draft, failure)
      : tokenChecks(ctx, draft, failure, input.issInResponse ?? false)
  const placed = validation.some((row) => row.outcome === 'fail')
  const refusedAtMapping = failure?.code === 'SP_REQUIRED_ATTRIBUTE_MISSING' ? failure : undefined
  const checks: DiagnosticCheck[] = [
    ...validation,
    mappingCheck(ctx.campaign.mappings, draft.mapping, refusedAtMapping),
    signInCheck(draft, placed || refusedAtMapping !== undefined ? undefined : failure, input),
  ]
  if (
    failure &&
    !placed &&
    refusedAtMapping === undefined &&
    draft.subject === undefined &&
    !checks.some((row) => row.failure === failure)
  ) {
    checks.splice(validation.length, 0, failedRow(failure, 'sp'))
  }
  const subject = draft.subject
  return {
    id: input.id,
    kind: 'sign-in',
    protocol,
    binding: input.binding,
    at: isoInstant(draft.at),
    verdict: failure ? 'rejected' : 'accepted',
    failure: failure ? { ...failure, hint: errorCodes[failure.code].hint } : null,
    checks,
    warnings: checks.flatMap((row) => row.warnings),
    identity: subject
      ? {
          'external ID / NameID': escapeInvisible(subject.nameId),
          'NameID Format': subject.nameIdFormat ?? null,
          Issuer: subject.issuer,
          SessionIndex: subject.sessionIndex ?? null,
        }
      : null,
    attributes: subject ? { ...subject.attributes } : null,
    messages: draft.artifact ? withArtifactMessages(draft) : draft.messages,
    continueTo: input.continueTo,
  }
}

/**
 * SAML: for HTTP-Artifact the resolution steps first (artifact-rows.ts), then the ACS's own
 * CheckReport list with what the Response said, then the observations.
 */
function samlChecks(draft: Draft, failure: Finding | undefined): DiagnosticCheck[] {
  const details = draft.saml ? samlDetails(draft.saml, draft.at) : {}
  const artifact = draft.artifact ? artifactRows(draft.artifact, failure) : []
  if (draft.reports === undefined) {
    // Refused while reading the message (binding, base64, XML) or resolving the artifact.
    const atMessage = failure !== undefined && !artifact.some((row) => row.outcome === 'fail')
    return [
      {
        check: 'Message',
        enforces: 'SAMLResponse (HTTP-POST) or SAMLart (HTTP-Artifact); well-formed XML',
        source: 'sp',
        outcome: atMessage ? 'fail' : 'pass',
        ...(atMessage ? { failure } : {}),
        warnings: [],
        details: {},
      },
      ...artifact,
      ...acsChecks.map(([check, , enforces]) => ({
        check,
        enforces,
        source: 'sp' as const,
        outcome: 'not-reached' as const,
        warnings: [],
        details: {},
      })),
    ]
  }
  return [
    ...artifact,
    ...draft.reports.map((report) => ({
      ...report,
      source: 'sp' as const,
      details: details[report.check] ?? {},
    })),
    ...(draft.saml ? samlObservations(draft.saml, draft.at) : []),
  ]
}

/** JWT and OIDC: the callback's steps placed by its one failure, with the token's values. */
function tokenChecks(
  ctx: SpContext,
  draft: Draft,
  failure: Finding | undefined,
  issInResponse: boolean,
): DiagnosticCheck[] {
  const oidc = ctx.options.protocol === 'oidc' ? ctx.oidc?.settings : undefined
  const oidcAlgorithms = ctx.oidc?.provider.knownIdTokenAlgorithms() ?? []
  const jwt = ctx.options.jwt
  const steps = oidc ? oidcCallbackSteps : jwtCallbackSteps
  const claims = draft.token?.claims ?? {}
  const header = draft.token?.header ?? {}
  const expectations: JwtExpectations = oidc
    ? {
        algorithms: oidcAlgorithms,
        issuer: oidc.issuer,
        audience: oidc.clientId,
        maxBytes: oidc.maxIdTokenBytes,
        requiredClaims: idTokenRequiredClaims,
      }
    : {
        algorithms: jwt?.algorithms ?? [],
        issuer: jwt?.issuer,
        audience: jwt?.audience,
        maxBytes: jwt?.maxTokenBytes ?? 0,
      }
  const failedAt = failure
    ? steps.findIndex((step) => step.owns(failure, expectations, claims))
    : -1
  // A failure no step owns came after validation (account rules) when a subject was reached.
  const unplaced = failure !== undefined && failedAt === -1 && draft.subject === undefined
  const expected = oidc
    ? { iss: oidc.issuer, aud: oidc.clientId, alg: oidcAlgorithms.join(', ') }
    : { iss: jwt?.issuer, aud: jwt?.audience, alg: jwt?.algorithms.join(', ') }
  const rows = steps.map((step, index): DiagnosticCheck => {
    const row = {
      check: step.check,
      enforces: step.enforces(expectations),
      source: 'sp' as const,
      warnings: [],
      details: tokenDetails(step, header, claims, expected, draft),
    }
    if (unplaced) {
      return { ...row, outcome: 'not-checked', notChecked: 'the failure could not be placed' }
    }
    if (failure && index === failedAt) return { ...row, outcome: 'fail', failure }
    if (failure && failedAt !== -1 && index > failedAt) return { ...row, outcome: 'not-reached' }
    const skipped = notApplicable(step, claims, draft, oidc?.mode, issInResponse, expected)
    return skipped
      ? { ...row, outcome: 'not-checked', notChecked: skipped }
      : { ...row, outcome: 'pass' }
  })
  const stamp = typeof claims.iat === 'number' ? claims.iat : undefined
  const observations = [
    clockOffsetCheck('iat', stamp, draft.at, ctx.options.clockSkewMs),
    ...(jwt && !oidc
      ? [
          certificateCheck(
            jwt.certificates.filter((text) => !text.includes('PUBLIC KEY')),
            draft.at,
          ),
        ]
      : []),
  ]
  return [...rows, ...observations]
}

function notApplicable(
  step: TokenStep,
  claims: Record<string, unknown>,
  draft: Draft,
  mode: 'oidc' | 'oauth2' | undefined,
  issInResponse: boolean,
  expected: { iss: string | undefined; aud: string | undefined },
): string | undefined {
  // A JWT SP may leave the issuer or audience unset: those checks then did not run.
  const bare = step.check.replace(/^ID token /, '')
  if (bare === 'iss' && expected.iss === undefined) return 'no issuer configured'
  if ((bare === 'aud' || bare === 'azp') && expected.aud === undefined)
    return 'no audience configured'
  if (
    mode === 'oauth2' &&
    (step.check.startsWith('ID token') || ['azp', 'nonce', 'at_hash'].includes(step.check))
  )
    return 'OAuth2 mode: no ID token'
  if (step.check === 'iss (authorization response)' && !issInResponse)
    return 'the authorization response carries no iss'
  if (step.check === 'at_hash' && claims.at_hash === undefined)
    return 'the ID token carries no at_hash'
  if ((step.check === 'userinfo' || step.check === 'userinfo sub') && draft.userinfo === undefined)
    return 'no userinfo endpoint'
  if (step.check.endsWith('nbf') && claims.nbf === undefined) return 'no nbf claim'
  return undefined
}

function tokenDetails(
  step: TokenStep,
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  expected: { iss: string | undefined; aud: string | undefined; alg: string | undefined },
  draft: Draft,
): Record<string, string> {
  // Text as a person can read it: a look-alike `sub` shows as dave\u3000 (exact-identifier.ts).
  const show = (value: unknown) =>
    value === undefined
      ? '(absent)'
      : typeof value === 'string'
        ? escapeInvisible(value.slice(0, 200))
        : JSON.stringify(value).slice(0, 200)
  const time = (value: unknown) =>
    typeof value === 'number' ? `${value} (${isoInstant(value * 1000)})` : show(value)
  const name = step.check.replace(/^ID token /, '').toLowerCase()
  switch (name) {
    case 'alg':
      return { alg: show(header.alg), allowed: expected.alg ?? '(any)' }
    case 'key':
      return { kid: show(header.kid) }
    case 'iss':
      return { received: show(claims.iss), expected: expected.iss ?? '(not checked)' }
    case 'aud':
      return { received: show(claims.aud), expected: expected.aud ?? '(not checked)' }
    case 'azp':
      return { received: show(claims.azp) }
    case 'exp':
    case 'nbf':
    case 'iat':
      return { [name]: time(claims[name]), 'SP clock': isoInstant(draft.at) }
    case 'nonce':
      return { nonce: claims.nonce === undefined ? '(absent)' : 'present' }
    case 'at_hash':
      return { at_hash: claims.at_hash === undefined ? '(absent)' : 'present' }
    case 'userinfo sub':
      return { 'ID token sub': show(claims.sub), 'userinfo sub': show(draft.userinfo?.sub) }
    case 'subject':
      return { sub: show(claims.sub ?? draft.userinfo?.sub), id: show(claims.id) }
    default:
      return {}
  }
}

/** The account rules after validation (completeSignIn): a session starts, or why not. */
function signInCheck(
  draft: Draft,
  failure: Finding | undefined,
  input: AttemptInput,
): DiagnosticCheck {
  const row = {
    check: 'Sign-in',
    enforces: 'account rules (one account per external ID, no email clash), then a session',
    source: 'sp' as const,
    warnings: [],
  }
  if (failure && draft.subject !== undefined)
    return { ...row, outcome: 'fail', failure, details: {} }
  if (draft.subject === undefined || input.failure)
    return { ...row, outcome: 'not-reached', details: {} }
  return {
    ...row,
    outcome: 'pass',
    details: input.continueTo ? { 'then to': input.continueTo } : {},
  }
}

function failedRow(failure: Finding, source: 'sp' | 'diagnostics'): DiagnosticCheck {
  return {
    check: failure.check,
    enforces: '',
    source,
    outcome: 'fail',
    failure,
    warnings: [],
    details: {},
  }
}

/** The request's messages, then the ArtifactResolve and its SOAP answer, then the Response. */
function withArtifactMessages(draft: Draft) {
  const trace = draft.artifact ? artifactMessages(draft.artifact) : []
  const at = draft.messages.findIndex((message) => message.source === validatedResponseSource)
  return at === -1
    ? [...draft.messages, ...trace]
    : [...draft.messages.slice(0, at), ...trace, ...draft.messages.slice(at)]
}
