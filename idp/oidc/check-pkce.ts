import { isPkceValue, type PkceMethod, pkceMethods } from '../../core/jwt/pkce.ts'
import type { OidcClient } from './clients.ts'

/**
 * RFC 7636 §4.3: code_challenge_method is S256 or plain (plain when only a challenge is sent),
 * the challenge 43 to 128 unreserved characters; a public client, or one registered with
 * requirePkce, must send one. Returns the method; `refuse` makes the `invalid_request` error.
 */
export function checkPkce(
  codeChallenge: string | undefined,
  codeChallengeMethod: string | undefined,
  client: Pick<OidcClient, 'clientSecret' | 'requirePkce'>,
  refuse: (description: string) => Error,
): PkceMethod | undefined {
  const method = codeChallengeMethod ?? (codeChallenge !== undefined ? 'plain' : undefined)
  if (method !== undefined && !pkceMethods.includes(method as PkceMethod)) {
    throw refuse('code_challenge_method must be S256 or plain')
  }
  if (
    codeChallenge === undefined &&
    (method !== undefined || client.clientSecret === undefined || client.requirePkce)
  ) {
    throw refuse('PKCE is required: send code_challenge (RFC 7636)')
  }
  if (codeChallenge !== undefined && !isPkceValue(codeChallenge)) {
    throw refuse('code_challenge must be 43 to 128 unreserved characters')
  }
  return method as PkceMethod | undefined
}
