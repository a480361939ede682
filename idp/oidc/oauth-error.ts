import type { Context } from 'hono'

/**
 * An error the token and userinfo endpoints answer in OAuth's own JSON shape (RFC 6749 §5.2,
 * RFC 6750 §3), which clients such as openid-client read — not the IdP's error page.
 */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    readonly error: string,
    readonly description: string,
    /** RFC 6750 §3 / RFC 7235: the challenge for a 401. */
    readonly challenge?: string,
  ) {
    super(`${error}: ${description}`)
  }
}

export function oauthErrorResponse(c: Context, error: OAuthError, log: (line: string) => void) {
  log(`IdP ${c.req.path} ${error.status} ${error.error}`)
  c.header('Cache-Control', 'no-store')
  if (error.challenge) c.header('WWW-Authenticate', error.challenge)
  return c.json({ error: error.error, error_description: error.description }, error.status)
}
