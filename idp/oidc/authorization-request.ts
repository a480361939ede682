import { SsoError } from '../../core/errors/index.ts'
import { isPkceValue, type PkceMethod, pkceMethods } from '../../core/jwt/pkce.ts'
import type { OidcClient, OidcClientRegistry } from './clients.ts'

/** An authorization request every check accepted. */
export interface AuthorizationRequest {
  client: OidcClient
  redirectUri: string
  scopes: string[]
  state: string | undefined
  nonce: string | undefined
  codeChallenge: string | undefined
  codeChallengeMethod: PkceMethod | undefined
  prompt: string[]
  maxAgeSeconds: number | undefined
  loginHint: string | undefined
  /** How the answer travels (OAuth 2.0 Multiple Response Types §2.1, Form Post Response Mode). */
  responseMode: ResponseMode
}

/** The response modes the provider answers by: the query (the code flow's default) or a form post. */
export const responseModes = ['query', 'form_post'] as const
export type ResponseMode = (typeof responseModes)[number]

/**
 * An error the client hears at its redirect_uri (RFC 6749 §4.1.2.1): the redirect_uri is known
 * to be the client's, so it is safe to go there.
 */
export class AuthorizationError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
    /** The name the client gave `state` (OAuth2 mode). */
    readonly stateName: string,
    readonly clientId: string,
    readonly responseMode: ResponseMode,
  ) {
    super(`${error}: ${description}`)
  }
}

const promptValues = ['none', 'login', 'consent', 'select_account']
const maxStateLength = 512

/**
 * The provider's checks on an authorization request, in order. Until the redirect_uri is known
 * good, a failure is an error page and no redirect (OIDC Core §3.1.2.6):
 *   1. client_id names a registered client                          OIDC_CLIENT_UNKNOWN
 *   2. redirect_uri equals one the client registered, exactly        OIDC_REDIRECT_URI_NOT_ALLOWED
 * From then on, a failure goes back to the redirect_uri with `error` and `state`, by the
 * response mode asked for when it is one the provider answers by:
 *   3. response_mode, when sent, is `query` or `form_post`           invalid_request
 *   4. no request objects (request, request_uri)                     request_not_supported
 *   5. response_type is `code`                                       unsupported_response_type
 *   6. scopes: `openid` (OIDC mode); one the client may not ask for
 *      is left out, or refused when it registered unknownScopes
 *      `refuse`                                                      invalid_scope
 *   7. PKCE: S256 or plain, a valid challenge; required for public
 *      clients and clients registered with requirePkce               invalid_request
 *   8. prompt values known, `none` alone; max_age a whole number;
 *      state and nonce at most 512 characters                       invalid_request
 * In OAuth2 mode the client may call client_id, redirect_uri, scope, state and response_type
 * by the names it registered (`parameterNames`).
 */
export function checkAuthorizationRequest(
  params: Record<string, string | undefined>,
  clients: OidcClientRegistry,
): AuthorizationRequest {
  const client = findClient(params, clients)
  const param = (name: keyof OidcClient['parameterNames']) =>
    params[client.parameterNames[name] ?? name]
  const redirectUri = param('redirect_uri')
  if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
    throw new SsoError(
      'OIDC_REDIRECT_URI_NOT_ALLOWED',
      'redirect_uri',
      'the redirect_uri is not registered for this client',
      {
        clientId: client.clientId,
        redirectUri: (redirectUri ?? '').slice(0, 200),
      },
    )
  }
  const state = param('state')
  const asked = params.response_mode
  const responseMode: ResponseMode = responseModes.includes(asked as ResponseMode)
    ? (asked as ResponseMode)
    : 'query'
  const fail = (error: string, description: string) =>
    new AuthorizationError(
      error,
      description,
      redirectUri,
      state !== undefined && state.length <= maxStateLength ? state : undefined,
      client.parameterNames.state ?? 'state',
      client.clientId,
      responseMode,
    )

  if (asked !== undefined && asked !== responseMode) {
    throw fail('invalid_request', 'response_mode must be query or form_post')
  }
  if (params.request !== undefined || params.request_uri !== undefined) {
    throw fail('request_not_supported', 'request objects are not supported')
  }
  if (param('response_type') !== 'code')
    throw fail('unsupported_response_type', 'only response_type=code is supported')

  const requested = (param('scope') ?? '').split(' ').filter((scope) => scope !== '')
  if (client.mode === 'oidc' && !requested.includes('openid'))
    throw fail('invalid_scope', 'the openid scope is required')
  const unknown = requested.filter((scope) => !client.scopes.includes(scope))
  if (unknown.length > 0 && client.unknownScopes === 'refuse')
    throw fail(
      'invalid_scope',
      `scope not allowed for this client: ${unknown.join(' ').slice(0, 100)}`,
    )
  const scopes = [...new Set(requested.filter((scope) => client.scopes.includes(scope)))]

  const codeChallenge = params.code_challenge
  const method = params.code_challenge_method ?? (codeChallenge !== undefined ? 'plain' : undefined)
  if (method !== undefined && !pkceMethods.includes(method as PkceMethod)) {
    throw fail('invalid_request', 'code_challenge_method must be S256 or plain')
  }
  if (
    codeChallenge === undefined &&
    (method !== undefined || client.clientSecret === undefined || client.requirePkce)
  ) {
    throw fail('invalid_request', 'PKCE is required: send code_challenge (RFC 7636)')
  }
  if (codeChallenge !== undefined && !isPkceValue(codeChallenge)) {
    throw fail('invalid_request', 'code_challenge must be 43 to 128 unreserved characters')
  }

  const prompt = (params.prompt ?? '').split(' ').filter((value) => value !== '')
  if (prompt.some((value) => !promptValues.includes(value)))
    throw fail('invalid_request', 'unknown prompt value')
  if (prompt.includes('none') && prompt.length > 1)
    throw fail('invalid_request', 'prompt=none must stand alone')
  const maxAge = params.max_age
  if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge))
    throw fail('invalid_request', 'max_age must be a whole number of seconds')
  if (state !== undefined && state.length > maxStateLength)
    throw fail('invalid_request', 'state is too long')
  const nonce = params.nonce
  if (nonce !== undefined && nonce.length > maxStateLength)
    throw fail('invalid_request', 'nonce is too long')

  return {
    client,
    redirectUri,
    scopes,
    state,
    nonce,
    codeChallenge,
    codeChallengeMethod: method as PkceMethod | undefined,
    prompt,
    maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
    loginHint: params.login_hint,
    responseMode,
  }
}

/** The client ID the request names, under `client_id` or an OAuth2-mode client's own name for it. */
export function namedClientId(
  params: Record<string, string | undefined>,
  clients: OidcClientRegistry,
): string | undefined {
  if (params.client_id !== undefined) return params.client_id
  for (const candidate of clients.list()) {
    const name = candidate.parameterNames.client_id
    if (name !== undefined && params[name] !== undefined) return params[name]
  }
  return undefined
}

/** The client by `client_id`, or by the client_id parameter name an OAuth2-mode client registered. */
function findClient(
  params: Record<string, string | undefined>,
  clients: OidcClientRegistry,
): OidcClient {
  const standard = params.client_id === undefined ? undefined : clients.get(params.client_id)
  const client =
    standard ??
    clients.list().find((candidate) => {
      const name = candidate.parameterNames.client_id
      return name !== undefined && params[name] === candidate.clientId
    })
  if (!client) {
    throw new SsoError(
      'OIDC_CLIENT_UNKNOWN',
      'client_id',
      'no client is registered under this client_id',
      {
        clientId: (params.client_id ?? '').slice(0, 200),
      },
    )
  }
  return client
}
