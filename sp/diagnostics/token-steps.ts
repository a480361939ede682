import type { Finding } from '../../core/errors/index.ts'
import {
  type JwtExpectations,
  type JwtStep,
  jwtStepOf,
  signInTokenSteps,
  verifyJwtSteps,
} from '../jwt/token-steps.ts'

/**
 * The JWT and OIDC callbacks throw their first failure instead of reporting every check. These
 * tables list their checks in the order they run, each with the failures that end it, so the one
 * failure places the attempt: the steps before it passed, the ones after were not reached. The
 * token's own checks and their order come from sp/jwt/token-steps.ts, the table `ssoproof check
 * jwt` prints too; the callbacks add theirs around them. Nothing here validates anything itself.
 */
export interface TokenStep {
  check: string
  enforces(expected: JwtExpectations): string
  /** True when `failure` is this step's; `claims` are the token's, decoded. */
  owns(failure: Finding, expected: JwtExpectations, claims: Record<string, unknown>): boolean
}

const is =
  (...codes: string[]) =>
  (failure: Finding) =>
    codes.includes(failure.code)

const fixed = (text: string) => () => text

/** The shared token steps, named after `prefix` ("ID token signature"). */
function tokenSteps(steps: readonly JwtStep[], prefix: string): TokenStep[] {
  return steps.map((step) => ({
    check: prefix === '' ? step.check : `${prefix}${inSentence(step.check)}`,
    enforces: step.enforces,
    owns: (failure, expected, claims) => jwtStepOf(failure, expected, claims) === step.check,
  }))
}

/** "Signature" reads "signature" after a prefix; names like JWS, alg and iss stay as they are. */
function inSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? `${name[0]?.toLowerCase()}${name.slice(1)}` : name
}

/** /jwt/callback: a token, then verifySignInToken's steps (verify.ts, azp, subject, replay). */
export const jwtCallbackSteps: readonly TokenStep[] = [
  {
    check: 'token',
    enforces: fixed('the request carries a token, not an error'),
    owns: is('JWT_TOKEN_MISSING', 'JWT_SIGN_IN_FAILED'),
  },
  ...tokenSteps(signInTokenSteps, ''),
]

/** /oidc/callback, in the order of handle-oidc-callback.ts and validate-id-token.ts. */
export const oidcCallbackSteps: readonly TokenStep[] = [
  {
    check: 'state',
    enforces: fixed('a sign-in this browser started, state equal to the one sent'),
    owns: is('OIDC_STATE_MISMATCH'),
  },
  {
    check: 'iss (authorization response)',
    enforces: fixed('absent, or the configured issuer (RFC 9207)'),
    owns: is('OIDC_ISSUER_MISMATCH'),
  },
  {
    check: 'error',
    enforces: fixed('no error from the IdP'),
    owns: is('OIDC_AUTHORIZATION_ERROR'),
  },
  { check: 'code', enforces: fixed('an authorization code'), owns: is('OIDC_CODE_MISSING') },
  {
    check: 'discovery',
    enforces: fixed('the discovery document, its issuer exactly the configured one'),
    owns: is('OIDC_DISCOVERY_FAILED', 'OIDC_DISCOVERY_ISSUER_MISMATCH'),
  },
  {
    check: 'token request',
    enforces: fixed('the code exchanged with client authentication and the code_verifier'),
    owns: is('OIDC_TOKEN_REQUEST_FAILED', 'OIDC_TOKEN_RESPONSE_INVALID'),
  },
  ...tokenSteps(verifyJwtSteps, 'ID token '),
  {
    check: 'azp',
    enforces: fixed('absent or the client ID; required with several audiences'),
    owns: is('OIDC_AZP_MISMATCH'),
  },
  { check: 'nonce', enforces: fixed('the one this browser sent'), owns: is('OIDC_NONCE_MISMATCH') },
  {
    check: 'at_hash',
    enforces: fixed('when present, matches the access token'),
    owns: is('OIDC_AT_HASH_MISMATCH'),
  },
  {
    check: 'sub',
    enforces: fixed('exact: no white space at its ends, no invisible character'),
    owns: is('IDENTIFIER_LOOK_ALIKE'),
  },
  {
    check: 'userinfo',
    enforces: fixed('the userinfo endpoint answers with the access token'),
    owns: is('OIDC_USERINFO_FAILED'),
  },
  {
    check: 'userinfo sub',
    enforces: fixed("exactly the ID token's sub (OIDC Core §5.3.2)"),
    owns: is('OIDC_USERINFO_SUB_MISMATCH'),
  },
  {
    check: 'subject',
    enforces: fixed('a sub (or the claim named for it)'),
    owns: is('OIDC_SUBJECT_MISSING'),
  },
]
