import { type CheckTable, runCheckTable } from '../../core/checks/run-check-table.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { PkceMethod } from '../../core/jwt/pkce.ts'
import type { ContextRequirement } from '../login/choose-authn-method.ts'
import { checkPkce } from './check-pkce.ts'
import type { OidcClient, OidcClientRegistry } from './clients.ts'
import { requestedAcr } from './requested-acr.ts'

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
  /** `acr_values`, or an essential `acr` in `claims` (requested-acr.ts). */
  authnContext: ContextRequirement | undefined
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

type Params = Record<string, string | undefined>

/** What the checks need and learn as they go; each reads what the ones before it set. */
interface AuthorizeChecks {
  params: Params
  clients: OidcClientRegistry
  client?: OidcClient
  redirectUri?: string
  responseMode?: ResponseMode
  scopes?: string[]
  codeChallengeMethod?: PkceMethod | undefined
  prompt?: string[]
  authnContext?: ContextRequirement | undefined
}

/** A parameter by its standard name, or by the name an OAuth2-mode client registered for it. */
function param(checks: AuthorizeChecks, name: keyof OidcClient['parameterNames']) {
  return checks.params[checks.client?.parameterNames[name] ?? name]
}

/** The error for the client's redirect_uri, once the redirect_uri is known good. */
function refuse(checks: AuthorizeChecks, error: string, description: string) {
  const client = checks.client as OidcClient
  const state = param(checks, 'state')
  return new AuthorizationError(
    error,
    description,
    checks.redirectUri as string,
    state !== undefined && state.length <= maxStateLength ? state : undefined,
    client.parameterNames.state ?? 'state',
    client.clientId,
    checks.responseMode ?? 'query',
  )
}

/**
 * The provider's checks on an authorization request (OIDC Core §3.1.2.2, RFC 6749 §4.1.1), in
 * the order they run. Until the redirect_uri is known good, a failure is an error page and no
 * redirect (OIDC Core §3.1.2.6); from then on it goes back to the redirect_uri with `error` and
 * `state`, by the response mode asked for when it is one the provider answers by. In OAuth2
 * mode the client may call client_id, redirect_uri, scope, state and response_type by the names
 * it registered (`parameterNames`).
 */
export const authorizeChecks: CheckTable<AuthorizeChecks> = [
  [
    'client_id',
    (checks) => {
      checks.client = findClient(checks.params, checks.clients)
    },
    'a registered client, else an error page (OIDC_CLIENT_UNKNOWN)',
  ],
  [
    'redirect_uri',
    (checks) => {
      const client = checks.client as OidcClient
      const redirectUri = param(checks, 'redirect_uri')
      if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
        throw new SsoError(
          'OIDC_REDIRECT_URI_NOT_ALLOWED',
          'redirect_uri',
          'the redirect_uri is not registered for this client',
          { clientId: client.clientId, redirectUri: (redirectUri ?? '').slice(0, 200) },
        )
      }
      checks.redirectUri = redirectUri
    },
    'one the client registered, exactly, else an error page (OIDC_REDIRECT_URI_NOT_ALLOWED)',
  ],
  [
    'response_mode',
    (checks) => {
      const asked = checks.params.response_mode
      const known = responseModes.includes(asked as ResponseMode)
      checks.responseMode = known ? (asked as ResponseMode) : 'query'
      if (asked !== undefined && !known) {
        throw refuse(checks, 'invalid_request', 'response_mode must be query or form_post')
      }
    },
    'query or form_post when sent (invalid_request)',
  ],
  [
    'request',
    (checks) => {
      if (checks.params.request !== undefined || checks.params.request_uri !== undefined) {
        throw refuse(checks, 'request_not_supported', 'request objects are not supported')
      }
    },
    'no request object, by value or by reference (request_not_supported)',
  ],
  [
    'response_type',
    (checks) => {
      if (param(checks, 'response_type') !== 'code') {
        throw refuse(checks, 'unsupported_response_type', 'only response_type=code is supported')
      }
    },
    'code (unsupported_response_type)',
  ],
  [
    'scope',
    (checks) => {
      const client = checks.client as OidcClient
      const requested = (param(checks, 'scope') ?? '').split(' ').filter((scope) => scope !== '')
      if (client.mode === 'oidc' && !requested.includes('openid')) {
        throw refuse(checks, 'invalid_scope', 'the openid scope is required')
      }
      const unknown = requested.filter((scope) => !client.scopes.includes(scope))
      if (unknown.length > 0 && client.unknownScopes === 'refuse') {
        throw refuse(
          checks,
          'invalid_scope',
          `scope not allowed for this client: ${unknown.join(' ').slice(0, 100)}`,
        )
      }
      checks.scopes = [...new Set(requested.filter((scope) => client.scopes.includes(scope)))]
    },
    "openid (OIDC mode); one the client may not ask for is left out, or refused when it registered unknownScopes 'refuse' (invalid_scope)",
  ],
  [
    'code_challenge',
    (checks) => {
      checks.codeChallengeMethod = checkPkce(
        checks.params.code_challenge,
        checks.params.code_challenge_method,
        checks.client as OidcClient,
        (description) => refuse(checks, 'invalid_request', description),
      )
    },
    'PKCE: S256 or plain, a valid challenge; required for public clients and requirePkce (invalid_request)',
  ],
  [
    'prompt',
    (checks) => {
      const prompt = (checks.params.prompt ?? '').split(' ').filter((value) => value !== '')
      if (prompt.some((value) => !promptValues.includes(value))) {
        throw refuse(checks, 'invalid_request', 'unknown prompt value')
      }
      if (prompt.includes('none') && prompt.length > 1) {
        throw refuse(checks, 'invalid_request', 'prompt=none must stand alone')
      }
      checks.prompt = prompt
    },
    'known values, none alone (invalid_request)',
  ],
  [
    'max_age',
    (checks) => {
      const maxAge = checks.params.max_age
      if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge)) {
        throw refuse(checks, 'invalid_request', 'max_age must be a whole number of seconds')
      }
    },
    'a whole number of seconds (invalid_request)',
  ],
  [
    'acr',
    (checks) => {
      try {
        checks.authnContext = requestedAcr(checks.params.acr_values, checks.params.claims)
      } catch {
        throw refuse(checks, 'invalid_request', 'claims is not a JSON object')
      }
    },
    'acr_values, or an essential acr in claims, a JSON object (invalid_request)',
  ],
  [
    'state',
    (checks) => {
      const state = param(checks, 'state')
      if (state !== undefined && state.length > maxStateLength) {
        throw refuse(checks, 'invalid_request', 'state is too long')
      }
      const nonce = checks.params.nonce
      if (nonce !== undefined && nonce.length > maxStateLength) {
        throw refuse(checks, 'invalid_request', 'nonce is too long')
      }
    },
    'state and nonce at most 512 characters (invalid_request)',
  ],
]

/** Runs authorizeChecks; the accepted request, or the first refusal thrown. */
export function checkAuthorizationRequest(
  params: Params,
  clients: OidcClientRegistry,
): AuthorizationRequest {
  const { ctx: checks } = runCheckTable(
    authorizeChecks,
    (): AuthorizeChecks => ({ params, clients }),
  )
  const maxAge = params.max_age
  return {
    client: checks.client as OidcClient,
    redirectUri: checks.redirectUri as string,
    scopes: checks.scopes as string[],
    state: param(checks, 'state'),
    nonce: params.nonce,
    codeChallenge: params.code_challenge,
    codeChallengeMethod: checks.codeChallengeMethod,
    prompt: checks.prompt as string[],
    maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
    loginHint: params.login_hint,
    authnContext: checks.authnContext,
    responseMode: checks.responseMode as ResponseMode,
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
