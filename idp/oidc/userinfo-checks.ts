import type { CheckTable } from '../../core/checks/run-check-table.ts'
import type { IdpContext } from '../context.ts'
import type { IdpUser } from '../users/user.ts'
import type { OidcClient } from './clients.ts'
import type { Grant } from './grants.ts'
import { OAuthError } from './oauth-error.ts'

/** What the userinfo checks need and learn as they go. */
export interface UserinfoChecks {
  ctx: IdpContext
  authorization: string | undefined
  /** The `access_token` field of a form-encoded POST body, if any. */
  formToken: string | File | (string | File)[] | undefined
  token?: string
  grant?: Grant
  client?: OidcClient
  user?: IdpUser
}

/** The userinfo endpoint's checks (OIDC Core §5.3, RFC 6750 §2–§3), in the order they run. */
export const userinfoChecks: CheckTable<UserinfoChecks> = [
  [
    'access_token',
    (checks) => {
      const { authorization, formToken } = checks
      const bearer = authorization?.match(/^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i)?.[1]
      if (authorization !== undefined && bearer === undefined) {
        throw new OAuthError(
          400,
          'invalid_request',
          'the Authorization header is not a Bearer token',
        )
      }
      if (bearer !== undefined && formToken !== undefined) {
        throw new OAuthError(400, 'invalid_request', 'send the access token one way, not two')
      }
      if (bearer === undefined && typeof formToken !== 'string') {
        throw new OAuthError(401, 'invalid_token', 'no access token', 'Bearer')
      }
      checks.token = bearer ?? (formToken as string)
    },
    'one Bearer header or one form field, not both (invalid_request / invalid_token)',
  ],
  [
    'grant',
    (checks) => {
      const { ctx } = checks
      checks.grant = ctx.oidcGrants.accessToken(checks.token as string)
      checks.client = checks.grant ? ctx.oidcClients.get(checks.grant.clientId) : undefined
      checks.user = checks.grant ? ctx.users.get(checks.grant.userId) : undefined
      if (!checks.grant || !checks.client || !checks.user) {
        throw new OAuthError(
          401,
          'invalid_token',
          'the access token is unknown, expired or revoked',
          'Bearer error="invalid_token"',
        )
      }
    },
    'a live access token of a known client and user (invalid_token)',
  ],
  [
    'scope',
    ({ client, grant }) => {
      if (client?.mode === 'oidc' && !grant?.scopes.includes('openid')) {
        throw new OAuthError(
          403,
          'insufficient_scope',
          'userinfo needs the openid scope',
          'Bearer error="insufficient_scope", scope="openid"',
        )
      }
    },
    'openid, for an OIDC-mode client (insufficient_scope)',
  ],
]
