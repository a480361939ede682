import type { CheckTable } from '../../core/checks/run-check-table.ts'
import { pkceChallenge } from '../../core/jwt/pkce.ts'
import type { IdpContext } from '../context.ts'
import { authenticateClient } from './client-auth.ts'
import type { OidcClient } from './clients.ts'
import type { AuthorizationCode, Grant } from './grants.ts'
import { OAuthError } from './oauth-error.ts'

/** What the token endpoint's checks need and learn as they go. */
export interface TokenChecks {
  ctx: IdpContext
  authorization: string | undefined
  body: Record<string, string>
  client?: OidcClient
  /** The code being exchanged, taken out of the store (used up). */
  code?: AuthorizationCode
  /** The grant a refresh token stands for, and the scopes the new tokens carry. */
  grant?: Grant
  scopes?: string[]
}

const invalidGrant = (description: string) => new OAuthError(400, 'invalid_grant', description)

/** Before either grant (RFC 6749 §3.2, §2.3.1). */
export const tokenRequestChecks: CheckTable<TokenChecks> = [
  [
    'client authentication',
    (checks) => {
      checks.client = authenticateClient(checks.authorization, checks.body, checks.ctx.oidcClients)
    },
    'one method: client_secret_basic, client_secret_post, or none for a public client (invalid_request / invalid_client)',
  ],
]

/** grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6). */
export const authorizationCodeChecks: CheckTable<TokenChecks> = [
  [
    'code',
    (checks) => {
      const { oidcGrants } = checks.ctx
      const taken = oidcGrants.takeCode(checks.body.code ?? '')
      if (taken?.kind === 'reused') {
        // RFC 6749 §4.1.2: a reused code revokes every token issued from it.
        oidcGrants.revoke(taken.grantId)
        throw invalidGrant('the code was already used; its tokens are revoked')
      }
      if (!taken) throw invalidGrant('the code is unknown or expired')
      checks.code = taken.code
    },
    'exists, unexpired and unused; a reused code revokes its tokens (invalid_grant)',
  ],
  [
    'client_id',
    ({ code, client }) => {
      if (code?.clientId !== client?.clientId) {
        throw invalidGrant('the code was issued to another client')
      }
    },
    'the code was issued to this client (invalid_grant)',
  ],
  [
    'redirect_uri',
    ({ code, body }) => {
      if (body.redirect_uri !== code?.redirectUri) {
        throw invalidGrant('redirect_uri differs from the authorization request')
      }
    },
    'the one of the authorization request (invalid_grant)',
  ],
  [
    'code_verifier',
    ({ code, body }) => {
      const verifier = body.code_verifier
      if (code?.codeChallenge === undefined) {
        if (verifier !== undefined) {
          throw invalidGrant('code_verifier sent, but the request had no code_challenge')
        }
      } else if (
        verifier === undefined ||
        pkceChallenge(verifier, code.codeChallengeMethod ?? 'plain') !== code.codeChallenge
      ) {
        throw invalidGrant('the code_verifier does not match the code_challenge')
      }
    },
    'matches the code_challenge; none without one (invalid_grant)',
  ],
]

/** grant_type=refresh_token (RFC 6749 §6): rotation, reuse revokes the grant. */
export const refreshTokenChecks: CheckTable<TokenChecks> = [
  [
    'refresh_token',
    (checks) => {
      const { oidcGrants } = checks.ctx
      const value = checks.body.refresh_token ?? ''
      checks.grant = oidcGrants.refreshToken(value)
      if (checks.grant) return
      const taken = oidcGrants.takeRefreshToken(value)
      if (taken?.kind === 'reused') {
        oidcGrants.revoke(taken.grantId)
        throw invalidGrant('the refresh token was already used; its grant is revoked')
      }
      throw invalidGrant('the refresh token is unknown or expired')
    },
    'exists and unused; a reused one revokes its grant (invalid_grant)',
  ],
  [
    'client_id',
    ({ grant, client }) => {
      if (grant?.clientId !== client?.clientId) {
        throw invalidGrant('the refresh token was issued to another client')
      }
    },
    'issued to this client (invalid_grant)',
  ],
  [
    'scope',
    (checks) => {
      const granted = (checks.grant as Grant).scopes
      const asked = checks.body.scope?.split(' ').filter((scope) => scope !== '')
      if (asked?.some((scope) => !granted.includes(scope))) {
        throw new OAuthError(400, 'invalid_scope', 'scope is wider than the grant')
      }
      checks.scopes = asked ?? granted
    },
    'no wider than granted (invalid_scope)',
  ],
  [
    'user',
    ({ ctx, grant, body }) => {
      if (!ctx.users.get((grant as Grant).userId)) {
        throw invalidGrant('the user no longer exists')
      }
      // Only now, every check passed, is the refresh token spent.
      ctx.oidcGrants.takeRefreshToken(body.refresh_token ?? '')
    },
    'the user still exists; then the token is spent (invalid_grant)',
  ],
]

/** The checks of each grant_type the endpoint takes; any other is unsupported_grant_type. */
export const grantChecks: Record<string, CheckTable<TokenChecks>> = {
  authorization_code: authorizationCodeChecks,
  refresh_token: refreshTokenChecks,
}
