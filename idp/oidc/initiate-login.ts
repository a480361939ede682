import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'
import { appendQuery } from '../jwt/return-url.ts'

const maxParameterLength = 2048

/**
 * GET /oidc/initiate-login?client_id=…[&login_hint=…][&target_link_uri=…] — login initiated by
 * the IdP for an OIDC client (OIDC Core §4): the browser goes to the client's registered
 * `initiate_login_uri` with `iss`, and `login_hint` and `target_link_uri` when given; the client
 * then sends an ordinary authorization request. The client, not the IdP, decides whether it
 * follows target_link_uri (it must be one of its own pages).
 *   1. client_id names a registered client        OIDC_CLIENT_UNKNOWN
 *   2. that client registered initiateLoginUri    OIDC_INITIATE_LOGIN_UNCONFIGURED
 */
export function initiateLogin(ctx: IdpContext, c: Context) {
  const clientId = c.req.query('client_id') ?? ''
  const client = ctx.oidcClients.get(clientId)
  if (!client) {
    throw new SsoError(
      'OIDC_CLIENT_UNKNOWN',
      'client_id',
      'no client is registered under this client_id',
      {
        clientId: clientId.slice(0, 200),
      },
    )
  }
  if (client.initiateLoginUri === undefined) {
    throw new SsoError(
      'OIDC_INITIATE_LOGIN_UNCONFIGURED',
      'initiate_login_uri',
      'the client registered no initiate_login_uri',
      { clientId: client.clientId },
    )
  }
  const params: Record<string, string> = { iss: ctx.options.issuer }
  for (const name of ['login_hint', 'target_link_uri'] as const) {
    const value = c.req.query(name)
    if (value !== undefined) params[name] = value.slice(0, maxParameterLength)
  }
  ctx.options.log(`IdP third-party-initiated login for ${client.clientId}`)
  c.header('Cache-Control', 'no-store')
  return c.redirect(appendQuery(new URL(client.initiateLoginUri), params), 302)
}
