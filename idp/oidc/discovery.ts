import { authnClasses } from '../../core/authn-context/classes.ts'
import type { IdpContext } from '../context.ts'

/**
 * The provider metadata (OpenID Connect Discovery 1.0 §3) at /.well-known/openid-configuration,
 * with what RFC 9207 §3 (iss in the authorization response), Front-Channel Logout §3 and
 * Back-Channel Logout §2.1 add.
 */
export function discoveryDocument(ctx: IdpContext) {
  const { urls, issuer } = ctx.options
  return {
    issuer,
    authorization_endpoint: urls.oidcAuthorize,
    token_endpoint: urls.oidcToken,
    userinfo_endpoint: urls.oidcUserinfo,
    jwks_uri: urls.oidcJwks,
    end_session_endpoint: urls.oidcEndSession,
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256', 'HS256'],
    userinfo_signing_alg_values_supported: ['RS256', 'ES256', 'HS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256', 'plain'],
    scopes_supported: ['openid', 'profile', 'email', 'phone', 'offline_access'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'at_hash',
      'azp',
      'sid',
      'acr',
      'amr',
      'name',
      'preferred_username',
      'picture',
      'email',
      'email_verified',
      'phone_number',
    ],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    // Only for an essential `acr` (OIDC Core §5.5.1.1); other requested claims are left alone.
    claims_parameter_supported: true,
    acr_values_supported: [authnClasses.passwordProtectedTransport, authnClasses.mfa],
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  }
}
