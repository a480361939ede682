import { timingSafeEqual } from 'node:crypto'
import type { OidcClient, OidcClientRegistry } from './clients.ts'
import { OAuthError } from './oauth-error.ts'

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1, OIDC Core §9), one method per
 * request: client_secret_basic (HTTP Basic, each part form-urlencoded), client_secret_post
 * (client_id and client_secret in the body), or none for a public client (client_id only; PKCE
 * carries the proof). A confidential client must authenticate.
 */
export function authenticateClient(
  authorization: string | undefined,
  body: Record<string, string>,
  clients: OidcClientRegistry,
): OidcClient {
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i)
  if (authorization !== undefined && !basic) {
    throw invalidClient('the Authorization header is not HTTP Basic')
  }
  if (basic && body.client_secret !== undefined) {
    throw new OAuthError(400, 'invalid_request', 'use one client authentication method, not two')
  }
  let clientId = body.client_id
  let secret = body.client_secret
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon === -1) throw invalidClient('the Basic credentials have no colon')
    const basicId = formDecode(decoded.slice(0, colon))
    if (clientId !== undefined && clientId !== basicId) {
      throw new OAuthError(
        400,
        'invalid_request',
        'client_id in the body differs from the Basic credentials',
      )
    }
    clientId = basicId
    secret = formDecode(decoded.slice(colon + 1))
  }
  const client = clientId === undefined ? undefined : clients.get(clientId)
  if (!client) throw invalidClient('unknown client', basic !== null)
  if (client.clientSecret === undefined) {
    if (secret !== undefined) throw invalidClient('a public client has no secret', basic !== null)
    return client
  }
  if (secret === undefined || !sameSecret(client.clientSecret, secret)) {
    throw invalidClient('client authentication failed', basic !== null)
  }
  return client
}

function invalidClient(description: string, basic = true): OAuthError {
  return new OAuthError(
    401,
    'invalid_client',
    description,
    basic ? 'Basic realm="ssoproof"' : undefined,
  )
}

// RFC 6749 §2.3.1: the client id and secret are form-urlencoded before Basic encoding.
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return value
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(given, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
