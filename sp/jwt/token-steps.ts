import type { RequestedContext } from '../../core/authn-context/requested-context.ts'
import type { Finding } from '../../core/errors/index.ts'
import { defaultRequiredClaims, type JwtPolicy } from '../../core/jwt/verify.ts'
import type { TokenValidationSettings } from './validate-token.ts'

/** What the steps' texts and the placing of a failure depend on: the expectations of a token. */
export type JwtExpectations = Pick<
  JwtPolicy,
  'algorithms' | 'issuer' | 'audience' | 'maxBytes' | 'requiredClaims'
> & { requiredAuthnContext?: RequestedContext | undefined }

/** One check of a token, named as reports show it; `enforces` reads the expectations. */
export interface JwtStep {
  check: string
  enforces(expected: JwtExpectations): string
}

/**
 * core/jwt/verify.ts's checks in the order a token fails them. After the signature, jose
 * (jwt_claims_set) checks the claims set is an object, the required claims are there, `iss`,
 * `aud`, then reads `iat` as a number, then `nbf`, then `exp`; verify.ts then checks the claim
 * types jose leaves alone and, last, that `iat` is not in the future.
 */
export const verifyJwtSteps: readonly JwtStep[] = [
  { check: 'Size', enforces: (e) => `at most ${e.maxBytes} bytes` },
  { check: 'JWS', enforces: () => 'three base64url parts, a JSON header' },
  {
    check: 'Encoding',
    enforces: () => 'each part canonical base64url: no padding, no unused bits set',
  },
  { check: 'alg', enforces: (e) => `on the allow-list (${e.algorithms.join(', ')}), never none` },
  { check: 'Header keys', enforces: () => 'no jwk, jku, x5u or x5c: keys come from configuration' },
  { check: 'crit', enforces: () => 'no crit extensions' },
  { check: 'Key', enforces: () => 'a configured key fits alg (and kid)' },
  { check: 'Signature', enforces: () => 'verifies with that key' },
  {
    check: 'Claims',
    enforces: (e) => `a JSON object carrying ${requiredClaims(e).join(', ')}`,
  },
  {
    check: 'iss',
    enforces: (e) =>
      e.issuer === undefined ? 'not checked: no issuer configured' : `equals "${e.issuer}"`,
  },
  {
    check: 'aud',
    enforces: (e) =>
      e.audience === undefined ? 'not checked: no audience configured' : `names "${e.audience}"`,
  },
  { check: 'iat type', enforces: () => 'a number (NumericDate)' },
  { check: 'nbf', enforces: () => 'absent, or a number passed, with the skew' },
  { check: 'exp', enforces: () => 'a number not passed, with the skew' },
  {
    check: 'Claim types',
    enforces: () => 'iss, sub and jti strings; aud a string or strings (RFC 7519 §4.1)',
  },
  { check: 'iat', enforces: () => 'not in the future beyond the skew' },
]

/**
 * A sign-in token's checks (verifySignInToken in validate-token.ts): verify.ts's, then azp,
 * the subject, then the replay cache. `ssoproof check jwt` and the /jwt/callback diagnostics
 * both list these.
 */
export const signInTokenSteps: readonly JwtStep[] = [
  ...verifyJwtSteps,
  {
    check: 'azp',
    enforces: (e) =>
      e.audience === undefined
        ? 'not checked: no audience configured'
        : `absent or "${e.audience}"; required with several audiences`,
  },
  {
    check: 'acr',
    enforces: (e) =>
      e.requiredAuthnContext === undefined
        ? 'not checked: no authentication context required'
        : `meets ${e.requiredAuthnContext.comparison} ${e.requiredAuthnContext.classRefs.join(' ')}`,
  },
  {
    check: 'Subject',
    enforces: () => 'a non-empty id or sub, exact: no white space at its ends, nothing invisible',
  },
  { check: 'Replay', enforces: () => 'jti (else the signed header and claims) not used before' },
]

/** A sign-in token's expectations from the SP's token settings. */
export function expectationsOf(settings: TokenValidationSettings): JwtExpectations {
  return {
    algorithms: settings.algorithms,
    issuer: settings.issuer,
    audience: settings.audience,
    maxBytes: settings.maxTokenBytes,
    requiredAuthnContext: settings.requiredAuthnContext,
  }
}

/**
 * The step a thrown failure ends: the steps before it passed, those after it were not reached.
 * `claims` (decoded, unverified) tells apart the two places a mistyped `aud` can fail.
 * Undefined for a failure no step owns.
 */
export function jwtStepOf(
  failure: Finding,
  expected: JwtExpectations,
  claims: Record<string, unknown> = {},
): string | undefined {
  switch (failure.code) {
    case 'JWT_TOO_LARGE':
      return 'Size'
    // Before any key, the header did not decode; from jose, the JWS (signature) or the claims set.
    case 'JWT_MALFORMED':
      return failure.evidence.cause === undefined
        ? 'JWS'
        : failure.evidence.cause === 'ERR_JWT_INVALID'
          ? 'Claims'
          : 'Signature'
    case 'JWT_BASE64URL_NON_CANONICAL':
      return 'Encoding'
    case 'JWT_ALGORITHM_FORBIDDEN':
      return 'alg'
    case 'JWT_HEADER_KEY_FORBIDDEN':
      return 'Header keys'
    case 'JWT_CRIT_UNSUPPORTED':
      return 'crit'
    case 'JWT_KEY_UNKNOWN':
    case 'JWT_JWKS_UNAVAILABLE':
      return 'Key'
    case 'JWT_SIGNATURE_INVALID':
      return 'Signature'
    case 'JWT_CLAIM_MISSING':
      return 'Claims'
    case 'JWT_CLAIM_INVALID':
      return invalidClaimStep(failure, expected, claims)
    case 'JWT_ISSUER_MISMATCH':
      return 'iss'
    case 'JWT_AUDIENCE_MISMATCH':
      return 'aud'
    case 'JWT_NOT_YET_VALID':
      return 'nbf'
    case 'JWT_EXPIRED':
      return 'exp'
    case 'JWT_ISSUED_IN_FUTURE':
      return 'iat'
    case 'JWT_AZP_MISMATCH':
      return 'azp'
    case 'SP_AUTHN_CONTEXT_INSUFFICIENT':
      return 'acr'
    case 'JWT_SUBJECT_MISSING':
    case 'IDENTIFIER_LOOK_ALIKE':
      return 'Subject'
    case 'JWT_REPLAY':
      return 'Replay'
    default:
      return undefined
  }
}

/**
 * JWT_CLAIM_INVALID comes from three places: jose reading a NumericDate (`iat` before `nbf`,
 * `nbf` and `exp` in their own steps); jose comparing `iss` or `aud` of the wrong type with the
 * expected value; verify.ts's type check after `exp` (every claim jose did not compare).
 */
function invalidClaimStep(
  failure: Finding,
  expected: JwtExpectations,
  claims: Record<string, unknown>,
): string | undefined {
  switch (failure.check) {
    case 'iat':
      return failure.evidence.reason === 'invalid' ? 'iat type' : 'iat'
    case 'nbf':
    case 'exp':
      return failure.check
    // A configured issuer is a string: a mistyped iss never equals it.
    case 'iss':
      return expected.issuer === undefined ? 'Claim types' : 'iss'
    // jose accepts an aud array naming the audience whatever else it holds.
    case 'aud':
      return expected.audience === undefined ||
        (Array.isArray(claims.aud) && claims.aud.includes(expected.audience))
        ? 'Claim types'
        : 'aud'
    case 'sub':
    case 'jti':
      return 'Claim types'
    default:
      return undefined
  }
}

function requiredClaims(expected: JwtExpectations): string[] {
  const required = [...(expected.requiredClaims ?? defaultRequiredClaims)]
  if (expected.issuer !== undefined) required.push('iss')
  if (expected.audience !== undefined) required.push('aud')
  return required
}
