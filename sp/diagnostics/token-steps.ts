import type { Finding } from '../../core/errors/index.ts'

/**
 * The JWT and OIDC callbacks throw their first failure instead of reporting every check. These
 * tables list their checks in the order they run (sp/jwt/validate-token.ts over core/jwt/verify.ts;
 * sp/oidc/handle-oidc-callback.ts and validate-id-token.ts), each with the failures that end it,
 * so the one failure places the attempt: the steps before it passed, the ones after were not
 * reached. Nothing here validates anything itself.
 */
export interface TokenStep {
  check: string
  enforces: string
  /** True when `failure` is this step's. */
  owns(failure: Finding): boolean
}

const is =
  (...codes: string[]) =>
  (failure: Finding) =>
    codes.includes(failure.code)

/** core/jwt/verify.ts's checks (jose checks iss and aud before nbf and exp; iat comes last). */
function jwtSteps(prefix: string): TokenStep[] {
  const claim =
    (name: string, ...codes: string[]) =>
    (failure: Finding) =>
      codes.includes(failure.code) ||
      (failure.code === 'JWT_CLAIM_INVALID' && failure.check === name)
  return [
    { check: `${prefix}size`, enforces: 'within the size cap', owns: is('JWT_TOO_LARGE') },
    {
      check: `${prefix}JWS`,
      enforces: 'three base64url parts, a JSON header',
      owns: (f) => f.code === 'JWT_MALFORMED' && f.evidence.cause === undefined,
    },
    {
      check: `${prefix}alg`,
      enforces: 'on the allow-list, never none',
      owns: is('JWT_ALGORITHM_FORBIDDEN'),
    },
    {
      check: `${prefix}header keys`,
      enforces: 'no jwk, jku, x5u or x5c: keys come from configuration',
      owns: is('JWT_HEADER_KEY_FORBIDDEN'),
    },
    { check: `${prefix}crit`, enforces: 'no crit extensions', owns: is('JWT_CRIT_UNSUPPORTED') },
    {
      check: `${prefix}key (kid)`,
      enforces: 'a configured key fits alg and kid',
      owns: is('JWT_KEY_UNKNOWN', 'JWT_JWKS_UNAVAILABLE'),
    },
    {
      check: `${prefix}signature`,
      enforces: 'verifies with that key',
      owns: (f) =>
        f.code === 'JWT_SIGNATURE_INVALID' ||
        (f.code === 'JWT_MALFORMED' &&
          f.evidence.cause !== undefined &&
          f.evidence.cause !== 'ERR_JWT_INVALID'),
    },
    {
      check: `${prefix}claims`,
      enforces: 'a JSON object with the required claims',
      owns: (f) =>
        f.code === 'JWT_CLAIM_MISSING' ||
        (f.code === 'JWT_MALFORMED' && f.evidence.cause === 'ERR_JWT_INVALID') ||
        (f.code === 'JWT_CLAIM_INVALID' && !['iat', 'nbf', 'exp'].includes(f.check)),
    },
    { check: `${prefix}iss`, enforces: 'the expected issuer', owns: is('JWT_ISSUER_MISMATCH') },
    { check: `${prefix}aud`, enforces: 'names this SP', owns: is('JWT_AUDIENCE_MISMATCH') },
    {
      check: `${prefix}nbf`,
      enforces: 'absent or passed, with the skew',
      owns: claim('nbf', 'JWT_NOT_YET_VALID'),
    },
    {
      check: `${prefix}exp`,
      enforces: 'not passed, with the skew',
      owns: claim('exp', 'JWT_EXPIRED'),
    },
    {
      check: `${prefix}iat`,
      enforces: 'not in the future beyond the skew',
      owns: claim('iat', 'JWT_ISSUED_IN_FUTURE'),
    },
  ]
}

/** /jwt/callback: a token, core/jwt/verify.ts, azp, a subject, the replay cache. */
export const jwtCallbackSteps: readonly TokenStep[] = [
  {
    check: 'token',
    enforces: 'the request carries a token, not an error',
    owns: is('JWT_TOKEN_MISSING', 'JWT_SIGN_IN_FAILED'),
  },
  ...jwtSteps(''),
  {
    check: 'azp',
    enforces: 'absent or this SP; required with several audiences',
    owns: is('JWT_AZP_MISMATCH'),
  },
  { check: 'subject', enforces: 'a non-empty id or sub', owns: is('JWT_SUBJECT_MISSING') },
  { check: 'replay', enforces: 'jti (or the token) not used before', owns: is('JWT_REPLAY') },
]

/** /oidc/callback, in the order of handle-oidc-callback.ts and validate-id-token.ts. */
export const oidcCallbackSteps: readonly TokenStep[] = [
  {
    check: 'state',
    enforces: 'a sign-in this browser started, state equal to the one sent',
    owns: is('OIDC_STATE_MISMATCH'),
  },
  {
    check: 'iss (authorization response)',
    enforces: 'absent, or the configured issuer (RFC 9207)',
    owns: is('OIDC_ISSUER_MISMATCH'),
  },
  { check: 'error', enforces: 'no error from the IdP', owns: is('OIDC_AUTHORIZATION_ERROR') },
  { check: 'code', enforces: 'an authorization code', owns: is('OIDC_CODE_MISSING') },
  {
    check: 'discovery',
    enforces: 'the discovery document, its issuer exactly the configured one',
    owns: is('OIDC_DISCOVERY_FAILED', 'OIDC_DISCOVERY_ISSUER_MISMATCH'),
  },
  {
    check: 'token request',
    enforces: 'the code exchanged with client authentication and the code_verifier',
    owns: is('OIDC_TOKEN_REQUEST_FAILED', 'OIDC_TOKEN_RESPONSE_INVALID'),
  },
  ...jwtSteps('ID token '),
  {
    check: 'azp',
    enforces: 'absent or the client ID; required with several audiences',
    owns: is('OIDC_AZP_MISMATCH'),
  },
  { check: 'nonce', enforces: 'the one this browser sent', owns: is('OIDC_NONCE_MISMATCH') },
  {
    check: 'at_hash',
    enforces: 'when present, matches the access token',
    owns: is('OIDC_AT_HASH_MISMATCH'),
  },
  {
    check: 'userinfo',
    enforces: 'the userinfo endpoint answers with the access token',
    owns: is('OIDC_USERINFO_FAILED'),
  },
  {
    check: 'userinfo sub',
    enforces: "exactly the ID token's sub (OIDC Core §5.3.2)",
    owns: is('OIDC_USERINFO_SUB_MISMATCH'),
  },
  {
    check: 'subject',
    enforces: 'a sub (or the claim named for it)',
    owns: is('OIDC_SUBJECT_MISSING'),
  },
]
