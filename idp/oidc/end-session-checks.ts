import type { CheckTable } from '../../core/checks/run-check-table.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'
import type { OidcClient } from './clients.ts'

/** The claims of an id_token_hint whose signature verified, or why it did not. */
export type VerifiedHint = { claims: Record<string, unknown> } | { failure: SsoError }

/** What the end_session checks need and learn as they go. */
export interface EndSessionChecks {
  ctx: IdpContext
  params: Record<string, string | undefined>
  /** The hint's signature, verified before the table runs (jose verifies asynchronously). */
  hint: VerifiedHint | undefined
  /** The client the hint was issued to. */
  hinted?: string
  clientId?: string
  client?: OidcClient
}

/**
 * RP-initiated logout's checks (OpenID Connect RP-Initiated Logout 1.0 §2, §3), in the order
 * they run, before anything ends.
 */
export const endSessionChecks: CheckTable<EndSessionChecks> = [
  [
    'id_token_hint',
    (checks) => {
      const { hint } = checks
      if (hint === undefined) return
      if ('failure' in hint) throw hint.failure
      const { claims } = hint
      if (claims.iss !== checks.ctx.options.issuer) {
        throw hintInvalid('the id_token_hint was issued by another provider')
      }
      const clientId =
        typeof claims.azp === 'string'
          ? claims.azp
          : Array.isArray(claims.aud)
            ? claims.aud[0]
            : claims.aud
      if (typeof clientId !== 'string') throw hintInvalid('the id_token_hint names no client')
      checks.hinted = clientId
    },
    'an ID token this provider signed and issued, expired or not, naming a client (OIDC_ID_TOKEN_HINT_INVALID)',
  ],
  [
    'client_id',
    (checks) => {
      const { hinted, params, ctx } = checks
      if (hinted !== undefined && params.client_id !== undefined && hinted !== params.client_id) {
        throw hintInvalid('the id_token_hint was issued to another client than client_id')
      }
      checks.clientId = hinted ?? params.client_id
      checks.client =
        checks.clientId === undefined ? undefined : ctx.oidcClients.get(checks.clientId)
    },
    "agrees with the hint's audience when both are sent (OIDC_ID_TOKEN_HINT_INVALID)",
  ],
  [
    'post_logout_redirect_uri',
    ({ params, client, clientId }) => {
      const redirect = params.post_logout_redirect_uri
      if (redirect !== undefined && !client?.postLogoutRedirectUris.includes(redirect)) {
        throw new SsoError(
          'OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED',
          'post_logout_redirect_uri',
          'the post_logout_redirect_uri is not registered for the client',
          {
            clientId: (clientId ?? '').slice(0, 200),
            postLogoutRedirectUri: redirect.slice(0, 200),
          },
        )
      }
    },
    'one the (known) client registered, exactly, when sent (OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED)',
  ],
]

export function hintInvalid(reason: string): SsoError {
  return new SsoError('OIDC_ID_TOKEN_HINT_INVALID', 'id_token_hint', reason, {})
}
